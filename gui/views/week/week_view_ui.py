"""How the Week view looks; layout only.

The week's status and what it would be under another contract, its numbers, its blocks,
escalations, IPC mix and capacity, and the page shown when there is no schedule yet.
`WeekView` (week_view.py, beside this file) fills these widgets from the week's ledger record
and records what a person says about lost blocks.
"""

from __future__ import annotations

from carelog.core.domain.models import REASON_LABELS, ErosionReason
from carelog.gui.models import block_table_model as blocks_m
from carelog.gui.models import category_minutes_model as mix_m
from carelog.gui.models import escalation_table_model as esc_m
from carelog.gui.models.block_table_model import BlockTableModel
from carelog.gui.models.category_minutes_model import CategoryMinutesModel
from carelog.gui.models.escalation_table_model import EscalationTableModel
from carelog.gui.widgets.contracts import compare_row
from carelog.gui.widgets.controls import named
from carelog.gui.widgets.labels import emphasise, wrapped_label
from carelog.gui.widgets.refresh_when_shown import RefreshWhenShown
from carelog.gui.widgets.steps import step_buttons, step_row
from carelog.gui.widgets.tables import size_columns, sorted_table, sorting_proxy
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

NO_SCHEDULE_TEXT = (
    "Carelog needs your schedule before it can show a week: your working hours, your "
    "protected blocks and the rule for your protected-time target. Set it up in a few clicks, "
    "starting from your contract's example or your own numbers."
)
CAPACITY_NOTE = ("Numbers only: how many patients are on your caseload, and how many could not "
                 "be offered a return within the clinically indicated interval. Nothing about "
                 "any patient is recorded.")

# How each number is worked out, in the words the tooltips use.
TIPS: dict[str, str] = {
    "target": "Your protected-time target for this week. Each day's share comes from that "
              "day's expected minutes and the target rule of the schedule in force that day; "
              "the shares are added up and rounded once, at the end of the week.",
    "received": "Indirect patient care logged inside your scheduled working hours, on days "
                "without whole-day leave. This is the protected time you actually received.",
    "attainment": "Received divided by target.",
    "shortfall": "How much of the target was not received: target minus received, and never "
                 "less than zero.",
    "ipc_after": "Indirect patient care logged outside scheduled hours or on leave days. It "
                 "does not count toward the target: it is the work that protected time was "
                 "meant to hold, done on your own time.",
    "after_hours": "Every minute of work (any category except break) logged outside scheduled "
                   "hours or on leave days. An entry that crosses the end of a shift is split "
                   "at it.",
    "scheduled": "Minutes of working hours in your schedule for this week.",
    "leave": "For each leave day, the leave hours, never more than that day's scheduled "
             "minutes; a whole-day leave takes all of them.",
    "expected": "Scheduled minus leave: the hours the target is worked out from.",
    "direct": "Direct patient care: sessions, intakes, groups, urgent visits.",
    "other": "Other work: meetings, training, admin, supervision, committee.",
    "break": "Breaks are shown but are not work and count toward nothing.",
    "blocks": "Minutes of this week's protected blocks used for indirect patient care, out of "
              "all their minutes. Blocks on leave days are not counted.",
    "access": "Your own note of the next available return appointment, in business days (the "
              "latest one recorded this week), against the 10-business-day standard for "
              "non-urgent follow-ups. It says nothing about any patient.",
    "leave_days": "Leave recorded on days of this week.",
    "flexible": "Under a rule with a protected and a flexible part: how the flexible part was "
                "used. Indirect patient care in paid hours beyond the protected part fills it; "
                "the rest was displaced, shared between direct care and other work in "
                "proportion to their minutes in paid hours.",
    "no_break": "Working days that are over, with work logged and no break of the meal-break "
                "length (set in Settings); breaks that touch count as one.",
    "escalations": "Times this week's blocks or days were raised with a manager, how many were "
                   "answered and how many resolved.",
    "capacity": "The latest caseload you recorded this week, the returns you could not offer "
                "in time (added up over the week), and the new (intake) and return visits "
                "held. Numbers only.",
}


def _metric_label(text: str, tip: str, value: bool = False) -> QLabel:
    label = QLabel(text)
    label.setToolTip(tip)
    label.setAccessibleName(text)
    if value:
        label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class WeekViewUi(RefreshWhenShown):
    """The Week view's widgets and their layout; the tables' models start empty."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Week view")

        self.prev_button, self.this_week_button, self.next_button = step_buttons(
            "week", "This week", "Go to this week")
        self.title_label = named(QLabel(), "Week shown")
        emphasise(self.title_label, 1.4)
        self.title_label.setWordWrap(True)

        self.stack = QStackedWidget()
        self.ledger_page = self._build_ledger_page()
        self.no_schedule_page = self._build_no_schedule_page()
        self.stack.addWidget(self.ledger_page)
        self.stack.addWidget(self.no_schedule_page)

        nav = step_row((self.prev_button, self.this_week_button, self.next_button),
                       self.title_label, gap=16)
        outer = QVBoxLayout(self)
        outer.addLayout(nav)
        outer.addWidget(self.stack, 1)


    # ------------------------------------------------------------------ building

    def _build_ledger_page(self) -> QWidget:
        self.status_frame = QFrame()
        self.status_frame.setObjectName("statusFrame")
        self.status_label = wrapped_label("Week status")
        emphasise(self.status_label, 1.5)
        self.shortfall_label = named(QLabel(), "Shortfall")
        self.shortfall_label.setToolTip(TIPS["shortfall"])
        self.shortfall_label.setWordWrap(True)
        self.rule_label = wrapped_label("Target rule")
        self.record_label = wrapped_label("How the week was recorded")
        self.record_label.setToolTip(
            "When this week's logged minutes were first recorded: the same day, within 7 days, "
            "or later. A change of times or category more than 7 days later counts as late "
            "for the minutes it moves; an entry recorded before it happened counts as the same "
            "day. Once a committee export seals the week, later changes are amendments.")
        compare = compare_row("See the same log")
        self.what_if_combo, self.what_if_label = compare.combo, compare.label
        status_box = QVBoxLayout(self.status_frame)
        status_box.addWidget(self.status_label)
        status_box.addWidget(self.shortfall_label)
        status_box.addWidget(self.rule_label)
        status_box.addWidget(self.record_label)
        status_box.addLayout(compare.layout)

        numbers = QGroupBox("This week in numbers")
        grid = QGridLayout(numbers)
        grid.setColumnStretch(1, 1)
        self.values: dict[str, QLabel] = {}
        rows = [("target", "Protected-time target"), ("received", "Received in scheduled hours"),
                ("attainment", "Attainment"), ("shortfall", "Shortfall"),
                ("ipc_after", "IPC after hours"), ("after_hours", "All work after hours"),
                ("scheduled", "Scheduled"), ("leave", "Leave"), ("expected", "Expected"),
                ("direct", "Direct care"), ("other", "Other work"), ("break", "Break"),
                ("blocks", "Protected blocks honored"), ("access", "Next return appointment"),
                ("leave_days", "Leave days"), ("flexible", "Flexible time"),
                ("no_break", "Days without a meal break"), ("escalations", "Escalations"),
                ("capacity", "Capacity")]
        for r, (key, text) in enumerate(rows):
            grid.addWidget(_metric_label(text, TIPS[key]), r, 0)
            value = _metric_label("", TIPS[key], value=True)
            value.setAccessibleName(f"{text} value")
            value.setWordWrap(key in ("leave_days", "access", "flexible", "no_break",
                                      "capacity"))
            self.values[key] = value
            grid.addWidget(value, r, 1)
        grid.setRowStretch(len(rows), 1)
        numbers.setMaximumWidth(400)

        blocks = QGroupBox("Protected blocks")
        self.block_model = BlockTableModel(self)
        self.block_proxy = sorting_proxy(self.block_model, self)
        self.block_table = sorted_table("Protected blocks of the week", self.block_proxy,
                                        blocks_m.COL_DATE)
        size_columns(self.block_table, fit=(blocks_m.COL_DATE, blocks_m.COL_TIME,
                                            blocks_m.COL_LABEL, blocks_m.COL_ESCALATED),
                     stretch=(blocks_m.COL_OUTCOME, blocks_m.COL_REASON))
        self.no_blocks_label = wrapped_label("No protected blocks")
        self.selected_block_label = named(
            QLabel("Select a block to record why it was lost."), "Selected block")
        self.reason_combo = named(QComboBox(), "Erosion reason",
                                  "Why the block was not used for indirect patient care.")
        self.reason_combo.setPlaceholderText("Choose a reason…")
        for reason in ErosionReason:
            self.reason_combo.addItem(REASON_LABELS[reason], reason.value)
        self.escalated_check = named(QCheckBox("Escalated to a manager"), "Escalated to a manager",
                                     "Tick when you raised the loss of this block with a "
                                     "manager, as a contemporaneous record.")
        self.save_tag_button = named(QPushButton("Save tag"), "Save tag")
        self.remove_tag_button = named(QPushButton("Remove tag"), "Remove tag")
        self.escalate_block_button = named(QPushButton("Escalate…"), "Escalate the selected block",
                                           "Record when you told a manager this block was "
                                           "lost: to whom, how, and what you asked.")
        tag_row = QHBoxLayout()
        tag_row.addWidget(self.reason_combo, 1)
        tag_row.addWidget(self.escalated_check)
        tag_row.addWidget(self.save_tag_button)
        tag_row.addWidget(self.remove_tag_button)
        tag_row.addWidget(self.escalate_block_button)
        block_box = QVBoxLayout(blocks)
        block_box.addWidget(self.block_table, 1)
        block_box.addWidget(self.no_blocks_label)
        block_box.addWidget(self.selected_block_label)
        block_box.addLayout(tag_row)

        escalations = QGroupBox("Escalations to a manager")
        self.escalation_model = EscalationTableModel(self)
        self.escalation_proxy = sorting_proxy(self.escalation_model, self)
        self.escalation_table = sorted_table("Escalations of the week", self.escalation_proxy,
                                             esc_m.COL_ABOUT)
        size_columns(self.escalation_table,
                     fit=[c for c in range(self.escalation_model.columnCount())
                          if c != esc_m.COL_ASKED], stretch=(esc_m.COL_ASKED,))
        # A few rows are a busy week; the table scrolls beyond them.
        row_height = self.escalation_table.fontMetrics().height() + 10
        self.escalation_table.setMaximumHeight(row_height * 6)
        self.escalate_day_button = named(QPushButton("Escalate a day…"), "Escalate a day",
                                         "Record when you told a manager that a whole day "
                                         "of this week went wrong (no block of its own).")
        self.respond_button = named(QPushButton("Record the response…"), "Record the response",
                                    "The manager's answer to the selected escalation, its "
                                    "date, and whether the matter is resolved.")
        escalation_row = QHBoxLayout()
        escalation_row.addWidget(self.escalate_day_button)
        escalation_row.addWidget(self.respond_button)
        escalation_row.addStretch(1)
        escalation_box = QVBoxLayout(escalations)
        escalation_box.addWidget(self.escalation_table, 1)
        escalation_box.addLayout(escalation_row)

        capacity = QGroupBox("Capacity")
        capacity_note = wrapped_label("Capacity is numbers only", CAPACITY_NOTE)
        self.capacity_day_combo = named(QComboBox(), "Capacity date")
        self.caseload_spin = named(QSpinBox(), "Caseload", "Patients on your caseload that day.")
        self.caseload_spin.setRange(0, 2000)
        self.not_offered_spin = named(QSpinBox(), "Returns not offered in time",
                                      "How many patients could not be offered a return "
                                      "within the clinically indicated interval that day.")
        self.not_offered_spin.setRange(-1, 2000)
        self.not_offered_spin.setSpecialValueText("not counted")
        self.not_offered_spin.setValue(-1)
        self.log_capacity_button = named(QPushButton("Record"), "Record capacity")
        capacity_row = QHBoxLayout()
        capacity_row.addWidget(self.capacity_day_combo)
        capacity_row.addWidget(QLabel("Caseload"))
        capacity_row.addWidget(self.caseload_spin)
        capacity_row.addWidget(QLabel("Returns not offered in time"))
        capacity_row.addWidget(self.not_offered_spin)
        capacity_row.addWidget(self.log_capacity_button)
        capacity_row.addStretch(1)
        capacity_box = QVBoxLayout(capacity)
        capacity_box.addWidget(capacity_note)
        capacity_box.addLayout(capacity_row)

        mix = QGroupBox("Indirect patient care by category")
        self.category_model = CategoryMinutesModel(self)
        self.category_proxy = sorting_proxy(self.category_model, self)
        self.category_table = sorted_table("IPC minutes by category", self.category_proxy,
                                           mix_m.COL_TIME, Qt.SortOrder.DescendingOrder)
        size_columns(self.category_table, fit=(mix_m.COL_TIME,), stretch=(mix_m.COL_CATEGORY,))
        self.category_total_label = named(QLabel(), "IPC total")
        mix_box = QVBoxLayout(mix)
        mix_box.addWidget(self.category_table, 1)
        mix_box.addWidget(self.category_total_label)

        right = QVBoxLayout()
        right.addWidget(blocks, 1)
        right.addWidget(escalations)
        right.addWidget(mix, 1)
        right.addWidget(capacity)
        columns = QHBoxLayout()
        columns.addWidget(numbers, 1)
        columns.addLayout(right, 2)

        content = QWidget()
        box = QVBoxLayout(content)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(self.status_frame)
        box.addLayout(columns, 1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(content)
        return scroll

    def _build_no_schedule_page(self) -> QWidget:
        page = QWidget()
        box = QVBoxLayout(page)
        self.no_schedule_label = wrapped_label("No schedule", NO_SCHEDULE_TEXT)
        emphasise(self.no_schedule_label, 1.15, bold=False)
        self.setup_button = named(QPushButton("Set up my schedule…"), "Set up my schedule")
        self.setup_button.setToolTip("Opens the first-run guide: working hours, protected "
                                     "blocks and the target rule of your contract.")
        self.check_again_button = named(QPushButton("Check again"), "Check again for a schedule")
        box.addWidget(self.no_schedule_label)
        row = QHBoxLayout()
        row.addWidget(self.setup_button)
        row.addWidget(self.check_again_button)
        row.addStretch(1)
        box.addLayout(row)
        box.addStretch(1)
        return page
