"""The clinic roll-up week by week, as the merge computed it; small weeks show no figures."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from carelog.core.domain.models import REASON_LABELS, ErosionReason
from carelog.core.domain.timeutil import fmt_minutes
from carelog.core.exporting.clinic_rollup import ClinicWeek
from carelog.gui.formatting import long_day
from carelog.gui.models.row_table_model import RIGHT_ALIGNED, RowTableModel
from carelog.gui.theme import muted_colour
from PySide6.QtCore import Qt

(COL_WEEK, COL_CLINICIANS, COL_MEDIAN, COL_QUARTILES, COL_MET, COL_AFTER_TOTAL,
 COL_AFTER_MEDIAN, COL_BOOKED, COL_REASONS) = range(9)

_HEADERS = ("Week", "Clinicians", "Median\nattainment", "Quartiles", "Clinician-\nweeks met",
            "IPC after hours\nper FTE, total", "IPC after hours\nper FTE, median",
            "Booked\nover", "Reasons recorded for lost blocks")
_HEADER_TIPS = (
    "The ISO week (Monday to Sunday).",
    "How many clinicians' summaries contribute to the week.",
    "The median of each clinician's IPC received in paid hours divided by their target, over "
    "the clinicians with a target that week.",
    "The lower and upper quartile of the clinicians' attainment.",
    "Clinician-weeks with attainment of 100 % or more, out of those with a target.",
    "Indirect patient care done outside paid hours, each clinician's scaled to full time, "
    "added up over the clinicians.",
    "The median over the clinicians of IPC done outside paid hours, scaled to full time.",
    "Minutes of protected blocks taken by direct patient care, all clinicians together.",
    "Why protected blocks were lost, as the clinicians recorded it, with how many blocks.",
)


def suppressed_text(min_clinicians: int) -> str:
    """What a suppressed week shows instead of figures."""
    return f"suppressed (fewer than {min_clinicians} clinicians)"


def _pct(x: float | None) -> str:
    return "—" if x is None else f"{round(x * 100)} %"


def _reason(code: str) -> str:
    try:
        return REASON_LABELS[ErosionReason(code)]
    except ValueError:  # a reason written by a newer Carelog
        return code.replace("_", " ")


def _reasons(reasons: Mapping[str, int | None]) -> str:
    if not reasons:
        return "none"
    ordered = sorted(reasons.items(), key=lambda kv: (-(kv[1] or 0), kv[0]))
    return "; ".join(f"{_reason(k)}: {WITHHELD if v is None else v}" for k, v in ordered)


def _minutes(value: float | None) -> str:
    """Minutes as the app shows them, or the word for a total one clinician dominated."""
    return WITHHELD if value is None else fmt_minutes(round(value))


WITHHELD = "withheld"


class ClinicTableModel(RowTableModel[ClinicWeek]):
    """Whole rows of the roll-up's weeks, set at once from the roll-up's merge."""

    headers = _HEADERS
    header_tips = _HEADER_TIPS

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._min = 0

    def set_rows(self, weeks: Sequence[ClinicWeek], min_clinicians: int) -> None:
        """Replace every row with the roll-up's weeks and the minimum it was merged with."""
        self._min = min_clinicians
        self.replace_rows(weeks)

    def is_suppressed(self, row: int) -> bool:
        """True when the week in a row has too few clinicians to show figures."""
        return self.row_at(row).suppressed

    def cell(self, w: ClinicWeek, col: int, role: int) -> Any:
        """The week's figures, or only its clinicians' count when it is suppressed."""
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(w, col)
        if role == Qt.ItemDataRole.ToolTipRole:
            if col == COL_WEEK:
                return f"The week of {long_day(w.start)}."
            if w.suppressed:
                return ("Fewer clinicians contributed to this week than the minimum, so it "
                        "shows no figures and no one can be singled out.")
            return _HEADER_TIPS[col]
        if role == Qt.ItemDataRole.ForegroundRole and w.suppressed and col != COL_WEEK:
            return muted_colour()
        if role == Qt.ItemDataRole.TextAlignmentRole and not w.suppressed \
                and COL_CLINICIANS <= col <= COL_BOOKED:
            return RIGHT_ALIGNED
        return None

    def _display(self, w: ClinicWeek, col: int) -> str | None:
        if col == COL_WEEK:
            return w.week
        if w.suppressed:
            return suppressed_text(self._min) if col == COL_CLINICIANS else ""
        if col == COL_CLINICIANS:
            return str(w.clinicians)
        if col == COL_MEDIAN:
            return _pct(w.attainment_median)
        if col == COL_QUARTILES:
            q = w.attainment_quartiles
            return "—" if q is None else f"{_pct(q[0])} – {_pct(q[1])}"
        if col == COL_MET:
            return f"{w.clinician_weeks_met} of {w.clinician_weeks_with_target}"
        if col == COL_AFTER_TOTAL:
            return _minutes(w.ipc_after_hours_per_fte_total_min)
        if col == COL_AFTER_MEDIAN:
            return fmt_minutes(round(w.ipc_after_hours_per_fte_median_min))
        if col == COL_BOOKED:
            return _minutes(w.booked_over_min)
        if col == COL_REASONS:
            return _reasons(w.reasons)
        return None
