"""The summary as a short plain-text table, to paste into an email.

It reads the summary dict (the same numbers as the JSON), so text and JSON cannot disagree.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from carelog.core.domain.formatting import fmt_minutes, hm, percent, plural, status_word
from carelog.core.ledger.record import record_statements


def headline(totals: dict[str, Any], minutes: Callable[[int], str] | None = None) -> str:
    """'Protected time met in 3 of 12 weeks; 18 h 40 m of IPC done outside paid hours'.

    `minutes` formats the minute figure (the PDF writes every figure as h:mm).
    """
    after = (minutes or fmt_minutes)(totals["ipc_after_hours_min"])
    if totals["weeks"] == 0 and totals.get("weeks_left_out"):
        return "No week of this period is over yet, so there is no verdict to report"
    if totals["weeks_with_target"] == 0:
        return (f"No week in this period had a protected-time target; {after} of IPC done "
                "outside paid hours")
    return (f"Protected time met in {totals['weeks_met']} of "
            f"{plural(totals['weeks_with_target'], 'week')}; {after} of IPC done outside paid "
            "hours")


def clinic_headline(clinic: dict[str, Any]) -> str:
    """The roll-up's headline over the weeks that are shown (not suppressed)."""
    shown = [w for w in clinic["weeks"] if not w["suppressed"]]
    if not shown:
        return "Every week is suppressed: fewer clinicians contributed than the minimum"
    cw = sum(w["clinician_weeks_with_target"] for w in shown)
    met = sum(w["clinician_weeks_met"] for w in shown)
    head = (f"Protected time met in {met} of {plural(cw, 'clinician-week')} "
            f"({percent(met / cw if cw else None)})")
    totals = [w["ipc_after_hours_total_min"] for w in shown]
    if any(x is None for x in totals):
        # A week withholds its total (one clinician made up most of it); a sum over the
        # weeks would give it back by subtraction, so the period's total is withheld too.
        return head + "; IPC done outside paid hours withheld (one clinician made up most of it)"
    return head + f"; {fmt_minutes(sum(totals))} of IPC done outside paid hours"


def summary_text(data: dict[str, Any], timezone: str) -> str:
    """The summary dict rendered as a table with a totals line and a few sentences."""
    head = ("Week", "Expected", "Target", "Received", "Attain", "Status", "IPC after",
            "After hrs", "Blocks kept/lost", "Access")
    rows: list[tuple[str, ...]] = []
    for w in data["weeks"] + [dict(data["totals"], week="Total")]:
        b = w["blocks"]
        lost = b["booked_over_min"] + b["diverted_min"] + b["break_min"] + b["unlogged_min"]
        access = "—" if w.get("access_days") is None else f"{w['access_days']} d"
        # A week under way is measured against what is due by now (marked *).
        so_far = w.get("status") == "in_progress"
        expected = hm(w["expected_so_far_min"]) + "*" if so_far else hm(w["expected_min"])
        target = hm(w["target_so_far_min"]) + "*" if so_far else hm(w["target_min"])
        rows.append((w["week"], expected, target,
                     hm(w["ipc_in_hours_min"]), percent(w["attainment"]), status_word(w["status"]),
                     hm(w["ipc_after_hours_min"]), hm(w["after_hours_min"]),
                     f"{hm(b['honored_min'])}/{hm(lost)}", access))
    widths = [max(len(r[i]) for r in [head, *rows]) for i in range(len(head))]

    def fmt(r: tuple[str, ...]) -> str:
        cells = [r[0].ljust(widths[0])] + [c.rjust(widths[i]) if i != 5 else c.ljust(widths[i])
                                           for i, c in enumerate(r) if i]
        return "  ".join(cells).rstrip()

    lines = [f"Carelog summary, {data['from']} to {data['to']} (times in {timezone}; "
             "hours as h:mm)", "", fmt(head), fmt(tuple("-" * w for w in widths))]
    lines += [fmt(r) for r in rows[:-1]]
    lines += [fmt(tuple("-" * w for w in widths)), fmt(rows[-1]), ""]
    t = data["totals"]
    if t.get("weeks_left_out"):
        left = t["weeks_left_out"]
        lines.append(f"Totals cover the {plural(t['weeks'], 'week')} that are over; "
                     f"{plural(left, 'week')} not over yet "
                     + ("is" if left == 1 else "are") + " left out (* = due by now).")
    if t["weeks_with_target"]:
        lines.append(f"Protected time met in {t['weeks_met']} of {t['weeks_with_target']} weeks "
                     f"with a target; {hm(t['ipc_in_hours_min'])} received of "
                     f"{hm(t['target_min'])} ({percent(t['attainment'])}).")
    else:
        lines.append("No week in this period had a protected-time target.")
    lines.append(f"Indirect patient care done outside paid hours: {hm(t['ipc_after_hours_min'])};"
                 f" all work outside paid hours: {hm(t['after_hours_min'])}.")
    b = t["blocks"]
    if b["count"]:
        lines.append(f"Protected blocks: {b['count']} ({hm(b['scheduled_min'])}); honored "
                     f"{hm(b['honored_min'])}, booked over {hm(b['booked_over_min'])}, diverted "
                     f"{hm(b['diverted_min'])}, break {hm(b['break_min'])}, unlogged "
                     f"{hm(b['unlogged_min'])}; {b['escalated']} escalated.")
        if b["reasons"]:
            reasons = ", ".join(f"{k} {v}" for k, v in b["reasons"].items())
            lines.append(f"Reasons recorded: {reasons}.")
    if t["weeks"]:
        timeliness, amended = record_statements(t)
        lines.append(timeliness)
        if amended:
            lines.append(amended)
    lines.append("Received is indirect patient care inside paid hours; attainment is received "
                 "divided by target; after hours counts work outside the schedule or on leave.")
    return "\n".join(lines)
