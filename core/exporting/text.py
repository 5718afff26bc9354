"""The summary as a short plain-text table, to paste into an email.

It reads the ledger's records, the same ones the summary JSON is written from, so text and JSON
cannot disagree.
"""

from __future__ import annotations

from collections.abc import Callable

from carelog.core.domain.formatting import fmt_minutes, hm, percent, plural, status_word
from carelog.core.exporting.clinic_rollup import ClinicRollup
from carelog.core.ledger.week import Summary, Totals, WeekRecord
from carelog.core.ledger.week_parts import amended_sentence, timeliness_sentence


def headline(totals: Totals, minutes: Callable[[int], str] | None = None) -> str:
    """'Protected time met in 3 of 12 weeks; 18 h 40 m of IPC done outside paid hours'.

    `minutes` formats the minute figure (the PDF writes every figure as h:mm).
    """
    after = (minutes or fmt_minutes)(totals.ipc_after_hours_min)
    if totals.weeks == 0 and totals.weeks_left_out:
        return "No week of this period is over yet, so there is no verdict to report"
    if totals.weeks_with_target == 0:
        return (f"No week in this period had a protected-time target; {after} of IPC done "
                "outside paid hours")
    return (f"Protected time met in {totals.weeks_met} of "
            f"{plural(totals.weeks_with_target, 'week')}; {after} of IPC done outside paid "
            "hours")


def clinic_headline(clinic: ClinicRollup) -> str:
    """The roll-up's headline over the weeks that are shown (not suppressed)."""
    shown = clinic.shown
    if not shown:
        return "Every week is suppressed: fewer clinicians contributed than the minimum"
    cw = sum(w.clinician_weeks_with_target for w in shown)
    met = sum(w.clinician_weeks_met for w in shown)
    head = (f"Protected time met in {met} of {plural(cw, 'clinician-week')} "
            f"({percent(met / cw if cw else None)})")
    totals = [w.ipc_after_hours_total_min for w in shown]
    if any(x is None for x in totals):
        # A week withholds its total (one clinician made up most of it); a sum over the
        # weeks would give it back by subtraction, so the period's total is withheld too.
        return head + "; IPC done outside paid hours withheld (one clinician made up most of it)"
    return head + f"; {fmt_minutes(sum(x or 0 for x in totals))} of IPC done outside paid hours"


def what_if_sentence(name: str, totals: Totals) -> str:
    """'Under Kaiser SoCal 2024–2028 contract: 5 h guaranteed: met in 9 of 12 weeks'."""
    if totals.weeks_with_target == 0:
        return f"Under {name}: no week over with a target"
    return (f"Under {name}: met in {totals.weeks_met} of "
            f"{plural(totals.weeks_with_target, 'week')}")


def _so_far(w: WeekRecord | Totals) -> bool:
    # A week under way is measured against what is due by now (marked *); totals never are.
    return isinstance(w, WeekRecord) and w.status == "in_progress"


def _target_cell(w: WeekRecord | Totals) -> str:
    if isinstance(w, WeekRecord) and _so_far(w):
        return hm(w.target_so_far_min) + "*"
    return hm(w.target_min)


def _row(label: str, w: WeekRecord | Totals, other: WeekRecord | Totals | None
         ) -> tuple[str, ...]:
    b = w.blocks
    lost = b.booked_over_min + b.diverted_min + b.break_min + b.unlogged_min
    access = "—" if w.access_days is None else f"{w.access_days} d"
    expected = hm(w.expected_so_far_min) + "*" if isinstance(w, WeekRecord) and _so_far(w) \
        else hm(w.expected_min)
    row: tuple[str, ...] = (
        label, expected, _target_cell(w), hm(w.ipc_in_hours_min), percent(w.attainment),
        status_word(w.status), hm(w.ipc_after_hours_min), hm(w.after_hours_min),
        f"{hm(b.honored_min)}/{hm(lost)}", access, str(w.days_without_break))
    if other is not None:
        row += (_target_cell(other), percent(other.attainment), status_word(other.status))
    return row


def summary_text(summary: Summary, timezone: str) -> str:
    """The summary rendered as a table with a totals line and a few sentences.

    A what-if (`compare`) adds three columns: the target, attainment and status of the same
    weeks under the other rule.
    """
    head: tuple[str, ...] = ("Week", "Expected", "Target", "Received", "Attain", "Status",
                             "IPC after", "After hrs", "Blocks kept/lost", "Access",
                             "No break")
    ledger, compare = summary.ledger, summary.compare
    t = ledger.totals
    if compare:
        head += ("If: target", "If: attain", "If: status")
    rows = [_row(w.week, w, compare.ledger.weeks[i] if compare else None)
            for i, w in enumerate(ledger.weeks)]
    rows.append(_row("Total", t, compare.ledger.totals if compare else None))
    widths = [max(len(r[i]) for r in [head, *rows]) for i in range(len(head))]
    left = {0, 5, 13}

    def fmt(r: tuple[str, ...]) -> str:
        cells = [c.ljust(widths[i]) if i in left else c.rjust(widths[i])
                 for i, c in enumerate(r)]
        return "  ".join(cells).rstrip()

    lines = [f"Carelog summary, {ledger.first.isoformat()} to {ledger.last.isoformat()} "
             f"(times in {timezone}; hours as h:mm)", "", fmt(head),
             fmt(tuple("-" * w for w in widths))]
    lines += [fmt(r) for r in rows[:-1]]
    lines += [fmt(tuple("-" * w for w in widths)), fmt(rows[-1]), ""]
    if t.weeks_left_out:
        out = t.weeks_left_out
        lines.append(f"Totals cover the {plural(t.weeks, 'week')} that are over; "
                     f"{plural(out, 'week')} not over yet "
                     + ("is" if out == 1 else "are") + " left out (* = due by now).")
    if t.weeks_with_target:
        lines.append(f"Protected time met in {t.weeks_met} of {t.weeks_with_target} weeks "
                     f"with a target; {hm(t.ipc_in_hours_min)} received of "
                     f"{hm(t.target_min)} ({percent(t.attainment)}).")
    else:
        lines.append("No week in this period had a protected-time target.")
    lines.append(f"Indirect patient care done outside paid hours: {hm(t.ipc_after_hours_min)};"
                 f" all work outside paid hours: {hm(t.after_hours_min)}.")
    b = t.blocks
    if b.count:
        lines.append(f"Protected blocks: {b.count} ({hm(b.scheduled_min)}); honored "
                     f"{hm(b.honored_min)}, booked over {hm(b.booked_over_min)}, diverted "
                     f"{hm(b.diverted_min)}, break {hm(b.break_min)}, unlogged "
                     f"{hm(b.unlogged_min)}; {b.escalated} escalated.")
        if b.reasons:
            reasons = ", ".join(f"{k} {v}" for k, v in b.reasons.items())
            lines.append(f"Reasons recorded: {reasons}.")
    if t.weeks:
        lines.append(timeliness_sentence(t.recorded))
        amended = amended_sentence(t.amended)
        if amended:
            lines.append(amended)
    if t.flexible_min:
        f = t.flexible
        lines.append(f"Flexible time: {hm(t.flexible_min)}; went to IPC {hm(f.ipc_min)}, "
                     f"displaced by direct care {hm(f.direct_min)}, by other work "
                     f"{hm(f.other_min)}, not logged {hm(f.unlogged_min)}.")
    if t.days_without_break:
        lines.append(f"Working days without a meal break: {t.days_without_break}.")
    esc = t.escalations
    if esc.count:
        lines.append(f"Escalations to a manager: {esc.count}, {esc.responded} answered, "
                     f"{esc.resolved} resolved.")
    cap = t.capacity
    if cap is not None:
        not_offered = "not counted" if cap.return_not_offered is None \
            else str(cap.return_not_offered)
        lines.append(f"Capacity ({plural(cap.weeks, 'week')} recorded): latest caseload "
                     f"{cap.caseload}; returns not offered in time {not_offered}; new visits "
                     f"{cap.new_visits}, return visits {cap.return_visits}.")
    if compare:
        lines.append(f"If (the same weeks under another rule): "
                     f"{what_if_sentence(compare.named.name, compare.ledger.totals)} "
                     f"({compare.named.rule.describe()}); under your own rule: met in "
                     f"{t.weeks_met} of {plural(t.weeks_with_target, 'week')}.")
    lines.append("Received is indirect patient care inside paid hours; attainment is received "
                 "divided by target; after hours counts work outside the schedule or on leave; "
                 "no break counts working days without a meal break.")
    return "\n".join(lines)
