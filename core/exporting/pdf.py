"""Committee PDFs laid out with fpdf2: the clinician's report and the clinic roll-up.

Both share one look: a title block, a headline, a weekly table, the charts of
carelog.core.exporting.charts, and a definitions section, on US Letter pages with a footer that
states what the document holds.
"""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path
from typing import Any

from carelog.core.domain.formatting import STATUS_WORDS, hm, percent, plural, status_word
from carelog.core.domain.history import REASON_WORDS, ReasonCode
from carelog.core.domain.models import ACCESS_STANDARD_DAYS, REASON_LABELS, ErosionReason
from carelog.core.domain.privacy import PRIVACY_STATEMENT
from carelog.core.exporting.charts import (
    attainment_figure,
    figure_png,
    points_from_weeks,
    protected_time_figure,
)
from carelog.core.exporting.text import clinic_headline, headline
from carelog.core.ledger.compute import DEFAULT_PARTLY_MET_AT, status_of
from carelog.core.ledger.record import record_statements
from fpdf import FPDF
from fpdf.fonts import FontFace

INK = (34, 34, 34)
MUTED = (110, 110, 110)
RULE = (200, 200, 200)
HEAD_FILL = (232, 238, 245)
STATUS_INK = {"met": (46, 133, 64), "partly_met": (160, 110, 10), "not_met": (192, 57, 43),
              "no_target": MUTED}
# Status in words with a mark, so a page printed in greyscale still says it.
STATUS_MARKS = {"met": "✓", "partly_met": "◐", "not_met": "✗", "no_target": "–",
                "in_progress": "…", "upcoming": ""}


def marked_status(code: str) -> str:
    """'✓ met', '◐ partly met', '✗ not met', '… so far': a status in a mark and words."""
    return f"{STATUS_MARKS[code]} {status_word(code)}".strip()

DEFINITIONS: list[tuple[str, str]] = [
    ("Expected", "Scheduled working minutes of the week minus leave (a whole-day leave removes "
                 "the whole scheduled day)."),
    ("Target", "The protected-time target for the expected minutes, from the contract rule "
               "shown above; each day uses the schedule in force on it."),
    ("Received", "Indirect patient care (charting, messages, treatment planning, care "
                 "coordination, community linkage, safety and mandated work, group prep, "
                 "patient forms) logged inside scheduled hours on days without leave."),
    ("Attainment", "Received divided by target. Met at 100 %; partly met from the contract's "
                   "threshold; not met below it. Weeks without a target are not counted."),
    ("IPC after hours", "Indirect patient care done outside scheduled hours or on leave days: "
                        "not compliance, but evidence that the protected time fell short."),
    ("After-hours work", "All work (anything but breaks) outside scheduled hours or on leave "
                         "days."),
    ("Booked over / diverted", "Minutes of the protected blocks taken by direct patient care / "
                               "by other work such as meetings, training or admin."),
    ("Access", "The clinician's own next available return appointment, in business days, "
               f"against California's {ACCESS_STANDARD_DAYS}-business-day standard for "
               "non-urgent follow-ups."),
    ("Counts", "Counts of patient-related events between 1 and 10 are shown as <11."),
]


def _font_dir() -> Path:
    # The fonts ship with matplotlib; importing it is slow, so only when a PDF is made.
    import matplotlib  # noqa: PLC0415

    return Path(matplotlib.get_data_path()) / "fonts" / "ttf"


SEAL_EXPLAINED = (
    "Each week that was over when this report was made is sealed: its seal is a SHA-256 digest "
    "of the week's entries (start, end and category of each; never a note), chained to the "
    "seal made before it, and kept in the clinician's log. Any later change to a sealed week "
    "shows: the clinician's log then no longer gives the same digest, and a report made after "
    "it says the week was amended, how much and why (by category; the reasons' wording stays "
    "private).")


def seal_range(weeks: list[dict[str, Any]]) -> str | None:
    """'Sealed weeks 2026-W45–2026-W48, last seal sha256:60ab5063…' or None when none is."""
    sealed = [w for w in weeks if w.get("seal")]
    if not sealed:
        return None
    first, last = sealed[0]["week"], sealed[-1]["week"]
    span = first if first == last else f"{first}–{last}"
    return f"Sealed {span}; last seal {sealed[-1]['seal'][:23]}…"


class _Doc(FPDF):
    """A Letter page with Carelog's footer."""

    footer_text = PRIVACY_STATEMENT
    seal_text: str | None = None

    def __init__(self, title: str) -> None:
        super().__init__(orientation="P", unit="mm", format="Letter")
        fonts = _font_dir()
        self.add_font("Sans", "", str(fonts / "DejaVuSans.ttf"))
        self.add_font("Sans", "B", str(fonts / "DejaVuSans-Bold.ttf"))
        self.add_font("Sans", "I", str(fonts / "DejaVuSans-Oblique.ttf"))
        self.set_margins(16, 16, 16)
        self.set_auto_page_break(True, margin=18)
        self.set_title(title)
        self.set_author("Carelog")
        self.set_creator("Carelog")
        self.set_text_color(*INK)
        self.alias_nb_pages()

    def footer(self) -> None:
        self.set_y(-13 if self.seal_text is None else -16)
        self.set_font("Sans", "", 7)
        if self.seal_text is not None:
            self.set_text_color(*MUTED)
            self.cell(0, 3.5, f"{self.seal_text} — check it with carelog verify and the "
                      "clinician's log.", new_x="LMARGIN", new_y="NEXT")
        self.set_text_color(*MUTED)
        width = self.w - self.l_margin - self.r_margin
        self.cell(width - 24, 4, f"Carelog — {self.footer_text}", align="L")
        self.cell(24, 4, f"Page {self.page_no()} of {{nb}}", align="R")
        self.set_text_color(*INK)

    def heading(self, text: str, size: float = 12, keep_with: float = 30) -> None:
        # Never leave a heading alone at the foot of a page.
        if self.get_y() + 12 + keep_with > self.page_break_trigger:
            self.add_page()
        self.ln(2)
        self.set_font("Sans", "B", size)
        self.cell(0, 7, text, new_x="LMARGIN", new_y="NEXT")
        self.set_draw_color(*RULE)
        self.line(self.l_margin, self.get_y(), self.w - self.r_margin, self.get_y())
        self.ln(2)

    def para(self, text: str, size: float = 9, style: str = "", colour: tuple[int, ...] = INK,
             height: float = 4.6) -> None:
        self.set_font("Sans", style, size)
        self.set_text_color(*colour)
        self.multi_cell(0, height, text, align="L", new_x="LMARGIN", new_y="NEXT")
        self.set_text_color(*INK)

    def key_figures(self, figures: list[tuple[str, str]]) -> None:
        width = (self.w - self.l_margin - self.r_margin) / len(figures)
        y = self.get_y()
        for i, (label, value) in enumerate(figures):
            x = self.l_margin + i * width
            self.set_xy(x, y)
            self.set_font("Sans", "B", 13)
            self.cell(width, 7, value)
            self.set_xy(x, y + 7)
            self.set_font("Sans", "", 7.5)
            self.set_text_color(*MUTED)
            self.cell(width, 4, label)
            self.set_text_color(*INK)
        self.set_xy(self.l_margin, y + 13)

    def grid(self, header: list[str], rows: list[list[str]], widths: list[float],
             align: list[str], status_col: int | None = None, size: float = 7.5) -> None:
        self.set_font("Sans", "", size)
        self.set_draw_color(*RULE)
        with self.table(col_widths=widths, text_align=align, line_height=4.4,
                        headings_style=FontFace(emphasis="BOLD", fill_color=HEAD_FILL),
                        borders_layout="HORIZONTAL_LINES", padding=0.8,
                        repeat_headings=1) as table:
            head = table.row()
            for h in header:
                head.cell(h)
            for r in rows:
                row = table.row()
                for i, value in enumerate(r):
                    style = None
                    if status_col is not None and i == status_col:
                        code = next((k for k in STATUS_WORDS if marked_status(k) == value), "")
                        style = FontFace(color=STATUS_INK.get(code, INK))
                    row.cell(value, style=style)

    def definitions(self, terms: list[tuple[str, str]]) -> None:
        """A 'Definitions' section: each term in bold, then what it means."""
        self.heading("Definitions")
        for term, text in terms:
            self.set_font("Sans", "B", 8.5)
            self.write(4.4, f"{term}. ")
            self.set_font("Sans", "", 8.5)
            self.write(4.4, text)
            self.ln(5.2)

    def chart(self, png: bytes, width: float | None = None) -> None:
        w = width or (self.w - self.l_margin - self.r_margin)
        self.image(io.BytesIO(png), x=self.l_margin, w=w)
        self.ln(2)


def _period(data: dict[str, Any]) -> str:
    if data.get("title"):
        return str(data["title"])
    first, last = date.fromisoformat(data["from"]), date.fromisoformat(data["to"])
    weeks = data["weeks"]
    span = f"{first:%-d %b %Y} – {last:%-d %b %Y}"
    if not weeks:
        return span
    if len(weeks) == 1:
        return f"{weeks[0]['week']} ({span})"
    return f"{weeks[0]['week']} to {weeks[-1]['week']} ({span}, {len(weeks)} weeks)"


def personal_pdf(data: dict[str, Any]) -> bytes:
    """The clinician's committee report: one to three pages of weekly aggregates."""
    pdf = _Doc("Protected time report")
    pdf.seal_text = seal_range(data["weeks"])
    pdf.add_page()
    pdf.set_font("Sans", "B", 18)
    pdf.cell(0, 9, "Protected time report", new_x="LMARGIN", new_y="NEXT")
    who = data.get("display_name") or f"anonymous contributor {data['contributor']}"
    pdf.para(f"{_period(data)}  ·  {who}", 9.5, colour=MUTED)
    contract = data.get("contract")
    if contract:
        rule = (f"Contract rule: {contract['description']}; full time "
                f"{contract['full_time_h']:g} h; partly met from "
                f"{round(contract['partly_met_at'] * 100)} %. Times in {data.get('timezone')}.")
    else:
        rule = "No schedule was set for this period, so no target could be computed."
    pdf.para(rule, 8.5, colour=MUTED)
    pdf.ln(3)
    t = data["totals"]
    pdf.para(headline(t, hm) + ".", 13, "B", height=6.5)
    pdf.ln(1)
    pdf.key_figures([
        ("target (h:mm)", hm(t["target_min"])),
        ("IPC received in paid hours", hm(t["ipc_in_hours_min"])),
        ("attainment", percent(t["attainment"])),
        ("shortfall", hm(t["shortfall_min"])),
        ("all work after hours", hm(t["after_hours_min"])),
    ])
    if t.get("weeks"):
        timeliness, amended = record_statements(t)
        pdf.para(timeliness + (f" {amended}" if amended else ""), 9)
    if t.get("weeks_left_out"):
        pdf.para(f"Weeks marked “so far” are not over: they are measured against the target due "
                 f"by the moment of export and left out of the headline and totals "
                 f"({t['weeks_left_out']} left out).", 8.5, colour=MUTED)

    pdf.heading("Week by week")
    header = ["Week", "Expected", "Target", "Received", "Attain.", "Status", "IPC after",
              "After hrs", "Booked over", "Diverted", "Access"]
    rows = []
    for w in [*data["weeks"], dict(t, week="Total")]:
        b = w["blocks"]
        access = "—" if w.get("access_days") is None else f"{w['access_days']} d"
        so_far = w.get("status") == "in_progress"
        rows.append([w["week"],
                     hm(w["expected_so_far_min"] if so_far else w["expected_min"]),
                     hm(w["target_so_far_min"] if so_far else w["target_min"]),
                     hm(w["ipc_in_hours_min"]), percent(w["attainment"]),
                     marked_status(w["status"]), hm(w["ipc_after_hours_min"]),
                     hm(w["after_hours_min"]), hm(b["booked_over_min"]), hm(b["diverted_min"]),
                     access])
    pdf.grid(header, rows, [20, 15, 13, 15, 13, 17, 15, 15, 17, 15, 13],
             ["LEFT", *["RIGHT"] * 4, "LEFT", *["RIGHT"] * 5], status_col=5)
    pdf.para("All times are hours and minutes (h:mm). Access is the next available return "
             f"appointment in business days (standard: {ACCESS_STANDARD_DAYS}).", 7.5,
             colour=MUTED)

    points = points_from_weeks(data["weeks"])  # the week under way is drawn apart
    partly = contract["partly_met_at"] if contract else DEFAULT_PARTLY_MET_AT
    pdf.heading("Charts", keep_with=75)
    pdf.chart(figure_png(protected_time_figure(points, width=8.6, height=3.0)))
    pdf.chart(figure_png(attainment_figure(points, partly, width=8.6, height=2.4)))

    pdf.heading("Protected blocks and what happened to them")
    b = t["blocks"]
    pdf.para(f"{b['count']} protected blocks ({hm(b['scheduled_min'])}): honored "
             f"{hm(b['honored_min'])}, booked over by patient care "
             f"{hm(b['booked_over_min'])}, diverted to other work "
             f"{hm(b['diverted_min'])}, break {hm(b['break_min'])}, not "
             f"logged {hm(b['unlogged_min'])}. Escalated to a manager: "
             f"{b['escalated']}.", 9)
    if b["reasons"]:
        reason_rows = [[REASON_LABELS[ErosionReason(k)], str(v)]
                       for k, v in sorted(b["reasons"].items(), key=lambda kv: -kv[1])]
        pdf.ln(1)
        pdf.grid(["Reason recorded by the clinician", "Blocks"], reason_rows, [120, 30],
                 ["LEFT", "RIGHT"])
    else:
        pdf.para("No reasons were recorded for lost blocks.", 9, colour=MUTED)
    sessions, safety = t.get("direct_sessions"), t.get("safety_events")
    if sessions is not None:
        pdf.ln(1)
        pdf.para(f"Direct-care sessions logged: {sessions}; safety and mandated events: "
                 f"{safety}.", 9)

    record_section(pdf, data)
    pdf.definitions(DEFINITIONS)
    return bytes(pdf.output())


def record_section(pdf: _Doc, data: dict[str, Any]) -> None:
    """How the log was kept: timeliness, amendments after sealing, and each week's seal."""
    t = data["totals"]
    pdf.heading("How the log was kept, and how to verify this report", keep_with=50)
    amended: str | None = None
    if t.get("weeks"):
        timeliness, amended = record_statements(t)
        pdf.para(f"{timeliness} Minutes count by the first recording of their entry; a "
                 "change of times or category made more than 7 days after the minutes it moves "
                 "makes those minutes late. An entry recorded before it happened (a planned "
                 "block, an appointment imported from the calendar) counts as recorded the "
                 "same day.", 9)
    amended_weeks = [w for w in data["weeks"] if (w.get("amended") or {}).get("entries")]
    if amended_weeks:
        pdf.ln(1)
        pdf.para(f"{amended or ''} {plural(len(amended_weeks), 'week')} changed after an "
                 "earlier export sealed it. The clinician gave a reason for every change; the "
                 "categories are counted here, the wording stays private.".strip(), 9)
        rows = []
        for w in amended_weeks:
            a = w["amended"]
            reasons = ", ".join(f"{REASON_WORDS[ReasonCode(k)].lower()} {v}"
                                for k, v in sorted(a.get("reasons", {}).items()))
            rows.append([w["week"], str(a["entries"]), hm(a["minutes"]), reasons or "—"])
        pdf.ln(1)
        pdf.grid(["Week", "Entries", "Minutes (h:mm)", "Reasons given (category and count)"],
                 rows, [22, 18, 26, 112], ["LEFT", "RIGHT", "RIGHT", "LEFT"])
    sealed = [w for w in data["weeks"] if w.get("seal")]
    pdf.ln(1)
    pdf.para(SEAL_EXPLAINED, 9)
    if sealed:
        pdf.ln(1)
        pdf.grid(["Week", "Seal"], [[w["week"], w["seal"]] for w in sealed], [22, 156],
                 ["LEFT", "LEFT"], size=6.8)
    pdf.ln(1)
    pdf.para(str(data.get("verification") or ""), 9)


def _withheld_or(minutes: float | None) -> str:
    return "withheld" if minutes is None else hm(round(minutes))


def clinic_pdf(clinic: dict[str, Any]) -> bytes:
    """The clinic roll-up: per-week figures where enough clinicians contribute."""
    pdf = _Doc("Clinic protected-time roll-up")
    pdf.footer_text = (f"weeks with fewer than {clinic['min_clinicians']} clinicians are "
                       "suppressed; no patient information, no individual entries.")
    pdf.add_page()
    pdf.set_font("Sans", "B", 18)
    pdf.cell(0, 9, "Clinic protected-time roll-up", new_x="LMARGIN", new_y="NEXT")
    pdf.para(f"{_period(clinic)}  ·  {clinic['clinicians']} clinicians' summaries merged; "
             f"figures shown only where at least {clinic['min_clinicians']} contribute.", 9.5,
             colour=MUTED)
    pdf.ln(3)
    shown = [w for w in clinic["weeks"] if not w["suppressed"]]
    pdf.para(clinic_headline(clinic) + ".", 13, "B", height=6.5)
    for note in clinic.get("notes", []):
        pdf.para(note, 8.5, colour=MUTED)
    pdf.heading("Week by week")
    header = ["Week", "Clinicians", "Median attain.", "Quartiles", "Weeks met",
              "IPC after hrs /FTE", "Median /FTE", "Booked over"]
    rows = []
    for w in clinic["weeks"]:
        if w["suppressed"]:
            rows.append([w["week"], "<" + str(clinic["min_clinicians"]), "suppressed", "", "",
                         "", "", ""])
            continue
        q = w["attainment_quartiles"]
        rows.append([w["week"], str(w["clinicians"]), percent(w["attainment_median"]),
                     "—" if q is None else f"{percent(q[0])}–{percent(q[1])}",
                     f"{w['clinician_weeks_met']} of {w['clinician_weeks_with_target']}",
                     _withheld_or(w["ipc_after_hours_per_fte_total_min"]),
                     hm(round(w["ipc_after_hours_per_fte_median_min"])),
                     _withheld_or(w["booked_over_min"])])
    pdf.grid(header, rows, [20, 18, 22, 26, 22, 26, 20, 20],
             ["LEFT", "RIGHT", "RIGHT", "RIGHT", "RIGHT", "RIGHT", "RIGHT", "RIGHT"])
    if shown:
        points = points_from_weeks([
            {"week": w["week"], "target_min": 0, "ipc_in_hours_min": 0,
             "ipc_after_hours_min": 0, "attainment": w["attainment_median"],
             "status": status_of(w["attainment_median"], DEFAULT_PARTLY_MET_AT)} for w in shown])
        pdf.heading("Median attainment", keep_with=60)
        pdf.chart(figure_png(attainment_figure(points, width=8.6, height=2.4)))
        reasons: dict[str, int | None] = {}
        for w in shown:
            for k, v in w["reasons"].items():
                # A count withheld in any week is withheld over the period too: the sum would
                # give it back by subtraction.
                before = reasons.get(k, 0)
                reasons[k] = None if v is None or before is None else before + v
        if reasons:
            pdf.heading("Reasons recorded for lost protected blocks")
            pdf.grid(["Reason", "Blocks"],
                     [[REASON_LABELS[ErosionReason(k)], "withheld" if v is None else str(v)]
                      for k, v in sorted(reasons.items(), key=lambda kv: -(kv[1] or 0))],
                     [120, 30], ["LEFT", "RIGHT"])
    pdf.definitions([
        ("Clinicians", "Summaries contributing to the week (anonymous unless a clinician chose "
                       "to show a name)."),
        ("Attainment", "Each clinician's IPC received in paid hours divided by their target; "
                       "median and quartiles over the clinicians with a target that week."),
        ("Weeks met", "Clinician-weeks with attainment of 100 % or more, out of those with a "
                      "target."),
        ("IPC after hours per FTE", "Indirect patient care done outside paid hours, divided by "
                                    "each clinician's scheduled hours as a share of full time; "
                                    "total and median."),
        ("Suppressed", "A week with fewer clinicians than the minimum shows no figures, so no "
                       "one can be singled out."),
    ])
    return bytes(pdf.output())

