"""Committee PDFs laid out with fpdf2: the clinician's report and the clinic roll-up.

Both share one look: a title block, a headline, a weekly table, the charts of
carelog.core.exporting.charts, and a definitions section, on US Letter pages with a footer that
states what the document holds.
"""

from __future__ import annotations

import io
from datetime import date
from typing import Any

from carelog.core.domain.formatting import STATUS_WORDS, clock, hm, percent, plural, status_word
from carelog.core.domain.history import REASON_WORDS, ReasonCode
from carelog.core.domain.models import ACCESS_STANDARD_DAYS, REASON_LABELS, ErosionReason
from carelog.core.domain.privacy import PRIVACY_STATEMENT
from carelog.core.exporting.charts import (
    WeekPoint,
    attainment_figure,
    figure_png,
    points_from_weeks,
    protected_time_figure,
)
from carelog.core.exporting.clinic_rollup import ClinicRollup
from carelog.core.exporting.committee_report import (
    WITHHELD,
    CommitteeReport,
    CommitteeTotals,
    CommitteeWeek,
    ShownCapacity,
    ToldEscalation,
)
from carelog.core.exporting.report_table import marked_status, report_table
from carelog.core.exporting.text import clinic_headline, headline
from carelog.core.ledger.week import DEFAULT_PARTLY_MET_AT, WeekRecord, status_of
from carelog.core.ledger.week_parts import BlockOccurrence, amended_sentence, timeliness_sentence
from carelog.resources import FONTS
from fpdf import FPDF
from fpdf.fonts import FontFace

INK = (34, 34, 34)
MUTED = (110, 110, 110)
RULE = (200, 200, 200)
HEAD_FILL = (232, 238, 245)
STATUS_INK = {"met": (46, 133, 64), "partly_met": (160, 110, 10), "not_met": (192, 57, 43),
              "no_target": MUTED}
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
    ("Flexible time", "Under a rule with a protected and a flexible part, the flexible part "
                      "is filled by indirect patient care in paid hours beyond the protected "
                      "part; the rest was displaced, shared between the direct care and the "
                      "other work done in paid hours in proportion to their minutes."),
    ("No break", "Working days that are over, with work logged and no break of the set "
                 "length (30 minutes unless changed); touching breaks count as one."),
    ("Escalations", "Times the clinician told a manager that protected time was lost, how "
                    "many were answered and how many resolved."),
    ("Capacity", "The clinician's own counts: the latest caseload of the period, patients who "
                 "could not be offered a return within the clinically indicated interval, "
                 "and new (intake) and return visits held. Numbers only."),
    ("Counts", "Counts of patient-related events between 1 and 10 are shown as <11."),
]


SEAL_EXPLAINED = (
    "Each week that was over when this report was made is sealed: its seal is a SHA-256 digest "
    "of the week's entries (start, end and category of each; never a note), chained to the "
    "seal made before it, and kept in the clinician's log. Any later change to a sealed week "
    "shows: the clinician's log then no longer gives the same digest, and a report made after "
    "it says the week was amended, how much and why (by category; the reasons' wording stays "
    "private).")


def seal_range(weeks: list[CommitteeWeek]) -> str | None:
    """'Sealed weeks 2026-W45–2026-W48, last seal sha256:60ab5063…' or None when none is."""
    sealed = [(w.record.week, w.seal) for w in weeks if w.seal]
    if not sealed:
        return None
    first, last = sealed[0][0], sealed[-1][0]
    span = first if first == last else f"{first}–{last}"
    return f"Sealed {span}; last seal {sealed[-1][1][:23]}…"


class _Doc(FPDF):
    """A Letter page with Carelog's footer."""

    footer_text = PRIVACY_STATEMENT
    seal_text: str | None = None

    def __init__(self, title: str) -> None:
        super().__init__(orientation="P", unit="mm", format="Letter")
        self.add_font("Sans", "", str(FONTS / "DejaVuSans.ttf"))
        self.add_font("Sans", "B", str(FONTS / "DejaVuSans-Bold.ttf"))
        self.add_font("Sans", "I", str(FONTS / "DejaVuSans-Oblique.ttf"))
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


def _period(title: str | None, first: date | None, last: date | None, weeks: list[str]) -> str:
    """The period as a title names it, else its weeks and dates."""
    if title:
        return title
    if first is None or last is None:  # a roll-up of files without a week
        return ""
    span = f"{first:%-d %b %Y} – {last:%-d %b %Y}"
    if not weeks:
        return span
    if len(weeks) == 1:
        return f"{weeks[0]} ({span})"
    return f"{weeks[0]} to {weeks[-1]} ({span}, {len(weeks)} weeks)"


def _who(report: CommitteeReport) -> str:
    return report.display_name or f"anonymous contributor {report.contributor}"


def personal_pdf(report: CommitteeReport) -> bytes:
    """The clinician's committee report: one to three pages of weekly aggregates."""
    pdf = _Doc("Protected time report")
    pdf.seal_text = seal_range(report.weeks)
    pdf.add_page()
    pdf.set_font("Sans", "B", 18)
    pdf.cell(0, 9, "Protected time report", new_x="LMARGIN", new_y="NEXT")
    records = [w.record for w in report.weeks]
    period = _period(report.title, report.first, report.last, [w.week for w in records])
    pdf.para(f"{period}  ·  {_who(report)}", 9.5, colour=MUTED)
    contract = report.contract
    if contract:
        rule = (f"Contract rule: {contract.describe()}; full time "
                f"{contract.full_time_h:g} h; partly met from "
                f"{round(contract.partly_met_at * 100)} %. Times in {report.timezone}.")
    else:
        rule = "No schedule was set for this period, so no target could be computed."
    pdf.para(rule, 8.5, colour=MUTED)
    pdf.ln(3)
    t = report.totals.figures
    pdf.para(headline(t, hm) + ".", 13, "B", height=6.5)
    pdf.ln(1)
    pdf.key_figures([
        ("target (h:mm)", hm(t.target_min)),
        ("IPC received in paid hours", hm(t.ipc_in_hours_min)),
        ("attainment", percent(t.attainment)),
        ("shortfall", hm(t.shortfall_min)),
        ("all work after hours", hm(t.after_hours_min)),
    ])
    if t.weeks:
        amended = amended_sentence(t.amended)
        pdf.para(timeliness_sentence(t.recorded) + (f" {amended}" if amended else ""), 9)
    if t.weeks_left_out:
        pdf.para(f"Weeks marked “so far” are not over: they are measured against the target due "
                 f"by the moment of export and left out of the headline and totals "
                 f"({t.weeks_left_out} left out).", 8.5, colour=MUTED)

    pdf.heading("Week by week")
    table = report_table(report)
    pdf.grid(list(table.header), table.rows, [16, 15, 12, 15, 19.5, 19, 14, 14, 14, 15, 12, 14],
             ["LEFT", *["RIGHT"] * 4, "LEFT", *["RIGHT"] * 6], status_col=5)
    pdf.para("All times are hours and minutes (h:mm). Access is the next available return "
             f"appointment in business days (standard: {ACCESS_STANDARD_DAYS}). No break "
             "counts working days without a meal break.", 7.5, colour=MUTED)

    points = points_from_weeks(records)  # the week under way is drawn apart
    partly = contract.partly_met_at if contract else DEFAULT_PARTLY_MET_AT
    pdf.heading("Charts", keep_with=75)
    pdf.chart(figure_png(protected_time_figure(points, width=8.6, height=3.0)))
    pdf.chart(figure_png(attainment_figure(points, partly, width=8.6, height=2.4)))

    pdf.heading("Protected blocks and what happened to them")
    b = t.blocks
    pdf.para(f"{b.count} protected blocks ({hm(b.scheduled_min)}): honored "
             f"{hm(b.honored_min)}, booked over by patient care "
             f"{hm(b.booked_over_min)}, diverted to other work "
             f"{hm(b.diverted_min)}, break {hm(b.break_min)}, not "
             f"logged {hm(b.unlogged_min)}. Escalated to a manager: "
             f"{b.escalated}.", 9)
    if b.reasons:
        reason_rows = [[REASON_LABELS[ErosionReason(k)], str(v)]
                       for k, v in sorted(b.reasons.items(), key=lambda kv: -kv[1])]
        pdf.ln(1)
        pdf.grid(["Reason recorded by the clinician", "Blocks"], reason_rows, [120, 30],
                 ["LEFT", "RIGHT"])
    else:
        pdf.para("No reasons were recorded for lost blocks.", 9, colour=MUTED)
    pdf.ln(1)
    pdf.para(f"Direct-care sessions logged: {report.totals.direct_sessions}; safety and "
             f"mandated events: {report.totals.safety_events}.", 9)
    _more_than_minutes(pdf, report.totals)

    record_section(pdf, report)
    pdf.definitions(DEFINITIONS)
    return bytes(pdf.output())


def record_section(pdf: _Doc, report: CommitteeReport) -> None:
    """How the log was kept: timeliness, amendments after sealing, and each week's seal."""
    t = report.totals.figures
    pdf.heading("How the log was kept, and how to verify this report", keep_with=50)
    amended: str | None = None
    if t.weeks:
        amended = amended_sentence(t.amended)
        timeliness = timeliness_sentence(t.recorded)
        pdf.para(f"{timeliness} Minutes count by the first recording of their entry; a "
                 "change of times or category made more than 7 days after the minutes it moves "
                 "makes those minutes late. An entry recorded before it happened (a planned "
                 "block, an appointment imported from the calendar) counts as recorded the "
                 "same day.", 9)
    amended_weeks = [w.record for w in report.weeks if w.record.amended.entries]
    if amended_weeks:
        pdf.ln(1)
        pdf.para(f"{amended or ''} {plural(len(amended_weeks), 'week')} changed after an "
                 "earlier export sealed it. The clinician gave a reason for every change; the "
                 "categories are counted here, the wording stays private.".strip(), 9)
        rows = []
        for w in amended_weeks:
            a = w.amended
            reasons = ", ".join(f"{REASON_WORDS[ReasonCode(k)].lower()} {v}"
                                for k, v in sorted(a.reasons.items()))
            rows.append([w.week, str(a.entries), hm(a.minutes), reasons or "—"])
        pdf.ln(1)
        pdf.grid(["Week", "Entries", "Minutes (h:mm)", "Reasons given (category and count)"],
                 rows, [22, 18, 26, 112], ["LEFT", "RIGHT", "RIGHT", "LEFT"])
    sealed = [[w.record.week, w.seal] for w in report.weeks if w.seal]
    pdf.ln(1)
    pdf.para(SEAL_EXPLAINED, 9)
    if sealed:
        pdf.ln(1)
        pdf.grid(["Week", "Seal"], sealed, [22, 156], ["LEFT", "LEFT"], size=6.8)
    pdf.ln(1)
    pdf.para(report.verification, 9)


def _more_than_minutes(pdf: _Doc, totals: CommitteeTotals) -> None:
    """Flexible time, meal breaks, escalations and capacity over the period's weeks."""
    t = totals.figures
    lines = []
    if t.flexible_min:
        f = t.flexible
        lines.append(f"Flexible time {hm(t.flexible_min)}: to indirect patient care "
                     f"{hm(f.ipc_min)}; displaced by direct care {hm(f.direct_min)}, by "
                     f"other work {hm(f.other_min)}, not logged {hm(f.unlogged_min)}.")
    lines.append(f"Working days without a meal break: {t.days_without_break}.")
    esc = t.escalations
    lines.append(f"Escalations to a manager: {esc.count}; answered {esc.responded}; "
                 f"resolved {esc.resolved}.")
    lines.append(capacity_sentence(totals.capacity))
    pdf.heading("Also recorded", keep_with=20)
    for line in lines:
        pdf.para(line, 9)


def _shown_count(value: object) -> str:
    if value is None:
        return "not counted"
    return "withheld (a week was <11)" if value == WITHHELD else str(value)


def capacity_sentence(capacity: ShownCapacity | None, head: str = "Capacity") -> str:
    """'Capacity (4 weeks recorded): latest caseload 112; …' in a committee's suppressed counts."""
    if capacity is None:
        return f"{head}: not recorded."
    shown = _shown_count
    weeks = capacity.weeks
    if weeks is not None:
        head += f" ({weeks} week{'s' if weeks != 1 else ''} recorded)"
    return (f"{head}: latest caseload {shown(capacity.caseload)}; patients not offered a "
            f"return within the indicated interval {shown(capacity.return_not_offered)}; "
            f"new visits {shown(capacity.new_visits)}, return visits "
            f"{shown(capacity.return_visits)}.")


def _withheld_or(minutes: float | None) -> str:
    return "withheld" if minutes is None else hm(round(minutes))


def clinic_pdf(merged: dict[str, Any]) -> bytes:
    """The clinic roll-up: per-week figures where enough clinicians contribute.

    It takes the roll-up as the merge gives it and reads it into its records once, here.
    """
    clinic = ClinicRollup.of(merged)
    pdf = _Doc("Clinic protected-time roll-up")
    pdf.footer_text = (f"weeks with fewer than {clinic.min_clinicians} clinicians are "
                       "suppressed; no patient information, no individual entries.")
    pdf.add_page()
    pdf.set_font("Sans", "B", 18)
    pdf.cell(0, 9, "Clinic protected-time roll-up", new_x="LMARGIN", new_y="NEXT")
    period = _period(None, clinic.first, clinic.last, [w.week for w in clinic.weeks])
    pdf.para(f"{period}  ·  {clinic.clinicians} clinicians' summaries merged; "
             f"figures shown only where at least {clinic.min_clinicians} contribute.", 9.5,
             colour=MUTED)
    pdf.ln(3)
    shown = clinic.shown
    pdf.para(clinic_headline(clinic) + ".", 13, "B", height=6.5)
    for note in clinic.notes:
        pdf.para(note, 8.5, colour=MUTED)
    pdf.heading("Week by week")
    header = ["Week", "Clinicians", "Median attain.", "Quartiles", "Weeks met",
              "IPC after hrs /FTE", "Median /FTE", "Booked over"]
    rows = []
    for w in clinic.weeks:
        if w.suppressed:
            rows.append([w.week, "<" + str(clinic.min_clinicians), "suppressed", "", "",
                         "", "", ""])
            continue
        q = w.attainment_quartiles
        rows.append([w.week, str(w.clinicians), percent(w.attainment_median),
                     "—" if q is None else f"{percent(q[0])}–{percent(q[1])}",
                     f"{w.clinician_weeks_met} of {w.clinician_weeks_with_target}",
                     _withheld_or(w.ipc_after_hours_per_fte_total_min),
                     hm(round(w.ipc_after_hours_per_fte_median_min)),
                     _withheld_or(w.booked_over_min)])
    pdf.grid(header, rows, [20, 18, 22, 26, 22, 26, 20, 20],
             ["LEFT", "RIGHT", "RIGHT", "RIGHT", "RIGHT", "RIGHT", "RIGHT", "RIGHT"])
    if shown:
        points = [WeekPoint(w.week, 0, 0, 0, w.attainment_median,
                            status_of(w.attainment_median, DEFAULT_PARTLY_MET_AT))
                  for w in shown]
        pdf.heading("Median attainment", keep_with=60)
        pdf.chart(figure_png(attainment_figure(points, width=8.6, height=2.4)))
        reasons: dict[str, int | None] = {}
        for w in shown:
            for k, v in w.reasons.items():
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
    capacity = [(w.week, w.capacity) for w in shown if w.capacity is not None]
    if capacity:
        pdf.heading("Capacity (medians of the clinicians who recorded it)")
        pdf.grid(["Week", "Clinicians", "Caseload", "Returns not offered", "New visits",
                  "Return visits"],
                 [[week, str(c.clinicians), _shown_count(c.caseload_median),
                   "too few counted" if c.return_not_offered_median is None
                   else _shown_count(c.return_not_offered_median),
                   _shown_count(c.new_visits_median), _shown_count(c.return_visits_median)]
                  for week, c in capacity],
                 [24, 22, 24, 36, 24, 24], ["LEFT", *["RIGHT"] * 5])
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
        ("Capacity", "The middle clinician's caseload, patients not offered a return within the "
                     "indicated interval, new and return visits (the lower middle when even), "
                     "shown only where at least the minimum of clinicians recorded them; a "
                     "median from 1 to 10 is shown as <11."),
    ])
    return bytes(pdf.output())



# ----------------------------------------------------------------------------- workload report

def _flexible_actual(w: WeekRecord) -> str:
    f = w.flexible
    return (f"to IPC {hm(f.ipc_min)}; displaced by direct care {hm(f.direct_min)}, "
            f"other work {hm(f.other_min)}, not logged {hm(f.unlogged_min)}")


def _escalation_text(e: ToldEscalation) -> str:
    state = "resolved" if e.resolved else "open"
    return (f"Told {e.to} {e.how}, {e.told_at}. Asked: {e.asked}. Response: "
            f"{e.response}; {state}.")


def _lost_text(o: BlockOccurrence) -> str:
    parts = [(o.booked_over_min, "booked over by patient care"),
             (o.diverted_min, "taken by other work"), (o.break_min, "break"),
             (o.unlogged_min, "not logged")]
    return "; ".join(f"{w} {hm(m)}" for m, w in parts if m)


def _workload_week(pdf: _Doc, report: CommitteeReport, week: CommitteeWeek) -> None:
    w = week.record
    pdf.add_page()
    start = w.start
    end = start.fromordinal(start.toordinal() + 6)
    pdf.set_font("Sans", "B", 16)
    pdf.cell(0, 8, "Workload report", new_x="LMARGIN", new_y="NEXT")
    so_far = w.status == "in_progress"
    mark = "  ·  week not over: figures so far" if so_far else ""
    pdf.para(f"Week {w.week}, {start:%a %-d %b} – {end:%a %-d %b %Y}  ·  {_who(report)}{mark}",
             9.5, colour=MUTED)
    contract = report.contract
    rule = f"Contract rule: {contract.describe()}." if contract else \
        "No schedule was set for this week, so no target could be computed."
    pdf.para(f"{rule} Times in {report.timezone}; durations in hours and minutes (h:mm).",
             8.5, colour=MUTED)
    if week.seal:
        pdf.para(f"Week sealed in the clinician's log: {week.seal} (carelog verify checks a "
                 "committee export's seals against the log).", 7.5, colour=MUTED)
    pdf.ln(1)
    pdf.para(_week_headline(w), 11.5, "B", height=5.8)

    pdf.heading("Planned and actual", size=11, keep_with=40)
    target = w.target_so_far_min if so_far else w.target_min
    expected = w.expected_so_far_min if so_far else w.expected_min
    b = w.blocks
    rows = [
        ["Scheduled hours", hm(w.scheduled_min),
         f"{hm(expected)} expected after {hm(w.leave_min)} of leave"
         + (" (due by now)" if so_far else "")],
        ["Protected time", f"{hm(target)} due",
         f"{hm(w.ipc_in_hours_min)} received in paid hours ({percent(w.attainment)}, "
         f"{status_word(w.status)})"],
    ]
    if w.flexible_min:
        rows.append(["Flexible time", hm(w.flexible.so_far_min), _flexible_actual(w)])
    meal = 30 if report.meal_break_min is None else report.meal_break_min
    rows += [
        ["Protected blocks", f"{b.count} ({hm(b.scheduled_min)})",
         f"kept {hm(b.honored_min)}; booked over {hm(b.booked_over_min)}; diverted "
         f"{hm(b.diverted_min)}; not logged {hm(b.unlogged_min)}"],
        ["Direct patient care", "—",
         f"{hm(w.direct_min)}; sessions {week.direct_sessions}"],
        ["Work after hours", "0:00",
         f"{hm(w.after_hours_min)}, of which indirect patient care "
         f"{hm(w.ipc_after_hours_min)}"],
        ["Meal breaks", f"a {meal} m break each working day", _break_text(w)],
    ]
    pdf.grid(["", "Planned", "Actual"], rows, [38, 38, 107], ["LEFT", "LEFT", "LEFT"],
             size=8.5)

    pdf.heading("Protected blocks lost, and what was done", size=11, keep_with=25)
    if not week.lost_blocks:
        pdf.para("No protected block was lost this week.", 9, colour=MUTED)
    else:
        lost_rows = []
        for blk in week.lost_blocks:
            o = blk.occurrence
            reason = REASON_LABELS[o.reason] if o.reason else "No reason recorded"
            told = " ".join(_escalation_text(e) for e in blk.escalations) \
                or "Not escalated."
            lost_rows.append([f"{o.day:%a} {o.day.isoformat()}\n"
                              f"{clock(o.start_minute)}–{clock(o.end_minute)}",
                              _lost_text(o), reason, told])
        pdf.grid(["Block", "Lost", "Reason recorded", "Escalation"], lost_rows,
                 [28, 38, 40, 77], ["LEFT"] * 4, size=8)
    if week.day_escalations:
        pdf.heading("Escalations about a whole day", size=11, keep_with=20)
        pdf.grid(["Day", "Escalation"],
                 [[f"{e.day:%a} {e.day.isoformat()}" if e.day else "", _escalation_text(e)]
                  for e in week.day_escalations], [28, 155], ["LEFT", "LEFT"], size=8)

    pdf.heading("Capacity (numbers only)", size=11, keep_with=12)
    pdf.para(capacity_sentence(week.capacity, head="Recorded this week"), 9)


def _week_headline(w: WeekRecord) -> str:
    if w.status == "in_progress":
        return (f"So far: {hm(w.ipc_in_hours_min)} of {hm(w.target_so_far_min)} protected "
                "time due by now.")
    if w.status == "no_target":
        return "No protected-time target this week."
    return (f"Protected time {status_word(w.status)}: {hm(w.ipc_in_hours_min)} of "
            f"{hm(w.target_min)} ({percent(w.attainment)}); "
            f"{hm(w.ipc_after_hours_min)} of indirect patient care after hours.")


def _break_text(w: WeekRecord) -> str:
    dates = w.dates_without_break
    if not dates:
        return "a break every working day"
    shown = ", ".join(f"{d:%a %-d %b}" for d in dates)
    return f"{len(dates)} working day{'s' if len(dates) != 1 else ''} without: {shown}"


def workload_pdf(report: CommitteeReport) -> bytes:
    """The workload report: one page per week (a long week may run onto a second)."""
    pdf = _Doc("Workload report")
    for w in report.weeks:
        _workload_week(pdf, report, w)
    if not report.weeks:
        pdf.add_page()
        pdf.para("The period holds no week to report.", 10)
    return bytes(pdf.output())
