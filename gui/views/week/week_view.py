"""The week view: the ledger of the ISO week holding the selected day, block tagging, the
escalation record, capacity counts, and the same weeks under another contract."""

from __future__ import annotations

from datetime import date, timedelta

from carelog.core.domain.errors import CarelogError
from carelog.core.domain.models import (
    REASON_LABELS,
    BlockTag,
    CapacityObservation,
    ErosionReason,
    Escalation,
    tag_escalation,
)
from carelog.core.domain.schedule import EXAMPLE_NOTE, PRESETS, standard_week
from carelog.core.domain.timeutil import (
    Period,
    day_start_utc,
    fmt_minutes,
    week_label,
    week_monday,
)
from carelog.core.exporting.text import what_if_sentence
from carelog.core.ledger.compute import ACCESS_STANDARD_DAYS, BlockOccurrence, WeekRecord
from carelog.core.ledger.load import load_ledger
from carelog.core.ledger.record import amended_sentence, timeliness_sentence
from carelog.core.store.database import Store
from carelog.gui.dialogs.escalation_dialog import EscalationDialog, RespondDialog
from carelog.gui.formatting import hhmm, short_day, week_span
from carelog.gui.models import block_table_model as blocks_m
from carelog.gui.models import category_minutes_model as mix_m
from carelog.gui.models import escalation_table_model as esc_m
from carelog.gui.models.block_table_model import BlockTableModel
from carelog.gui.models.category_minutes_model import CategoryMinutesModel
from carelog.gui.models.escalation_table_model import EscalationTableModel
from carelog.gui.state import AppState
from carelog.gui.theme import css_colour, muted_colour, status_colour
from carelog.gui.widgets.controls import named
from carelog.gui.widgets.labels import emphasise, wrapped_label
from carelog.gui.widgets.tables import size_columns, sorted_table, sorting_proxy
from PySide6.QtCore import QItemSelection, Qt
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

NO_SCHEDULE_TEXT = (
    "Carelog needs your schedule before it can show a week: your working hours, your "
    "protected blocks and the rule for your protected-time target. Write them in a TOML file "
    "like the example below (change it to match your own contract), then run:"
)
SCHEDULE_COMMAND = "carelog schedule set FILE.toml"
WHAT_IF_WEEKS = 12
NO_COMPARISON = "—"
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


def record_line(store: Store, week: WeekRecord, monday: date) -> str:
    """The week's timeliness line, whether it is sealed, and its amendments."""
    parts = [timeliness_sentence(week.recorded) if week.recorded.total
             else "Nothing logged yet, so nothing to say about when it was recorded."]
    tz = store.tz
    if store.sealed_weeks((day_start_utc(monday, tz),
                           day_start_utc(monday + timedelta(days=7), tz))):
        parts.append(amended_sentence(week.amended) or
                     "Sealed by a committee export, and unchanged since.")
    return " ".join(parts)


class WeekView(QWidget):
    """Status, shortfall and after-hours work of a week, its blocks (taggable) and IPC mix."""

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.record: WeekRecord | None = None
        self.setAccessibleName("Week view")

        self.prev_button = named(QPushButton("◀ Previous week"), "Previous week")
        self.this_week_button = named(QPushButton("This week"), "Go to this week")
        self.next_button = named(QPushButton("Next week ▶"), "Next week")
        self.title_label = named(QLabel(), "Week shown")
        emphasise(self.title_label, 1.4)
        self.title_label.setWordWrap(True)

        self.stack = QStackedWidget()
        self.ledger_page = self._build_ledger_page()
        self.no_schedule_page = self._build_no_schedule_page()
        self.stack.addWidget(self.ledger_page)
        self.stack.addWidget(self.no_schedule_page)

        nav = QHBoxLayout()
        nav.addWidget(self.prev_button)
        nav.addWidget(self.this_week_button)
        nav.addWidget(self.next_button)
        nav.addSpacing(16)
        nav.addWidget(self.title_label, 1)
        outer = QVBoxLayout(self)
        outer.addLayout(nav)
        outer.addWidget(self.stack, 1)

        self.prev_button.clicked.connect(self._on_prev_button_clicked)
        self.this_week_button.clicked.connect(self._on_this_week_button_clicked)
        self.next_button.clicked.connect(self._on_next_button_clicked)
        self.block_table.selectionModel().selectionChanged.connect(
            self._on_block_selection_changed)
        self.reason_combo.currentIndexChanged.connect(self._on_reason_combo_current_index_changed)
        self.save_tag_button.clicked.connect(self._on_save_tag_button_clicked)
        self.remove_tag_button.clicked.connect(self._on_remove_tag_button_clicked)
        self.check_again_button.clicked.connect(self._on_check_again_button_clicked)
        self.escalate_block_button.clicked.connect(self._on_escalate_block_button_clicked)
        self.escalate_day_button.clicked.connect(self._on_escalate_day_button_clicked)
        self.respond_button.clicked.connect(self._on_respond_button_clicked)
        self.escalation_table.selectionModel().selectionChanged.connect(
            self._on_escalation_selection_changed)
        self.log_capacity_button.clicked.connect(self._on_log_capacity_button_clicked)
        self.what_if_combo.currentIndexChanged.connect(self._on_what_if_combo_changed)
        self.dialog: EscalationDialog | RespondDialog | None = None
        state.day_changed.connect(self._on_day_changed)
        state.data_changed.connect(self.refresh)
        self.refresh()

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
        self.what_if_combo = named(QComboBox(), "Compare with another contract",
                                   "See the same log under another contract rule: the same "
                                   "hours, blocks and entries, only the target differs. "
                                   f"Every preset is an {EXAMPLE_NOTE}.")
        self.what_if_combo.addItem(NO_COMPARISON, "")
        for p in PRESETS:
            self.what_if_combo.addItem(p.name, p.key)
            self.what_if_combo.setItemData(self.what_if_combo.count() - 1, p.tooltip,
                                           Qt.ItemDataRole.ToolTipRole)
        self.what_if_label = wrapped_label("Under another contract")
        what_if_row = QHBoxLayout()
        what_if_row.addWidget(QLabel("Compare with:"))
        what_if_row.addWidget(self.what_if_combo)
        what_if_row.addWidget(self.what_if_label, 1)
        status_box = QVBoxLayout(self.status_frame)
        status_box.addWidget(self.status_label)
        status_box.addWidget(self.shortfall_label)
        status_box.addWidget(self.rule_label)
        status_box.addWidget(self.record_label)
        status_box.addLayout(what_if_row)

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
        command = named(QLabel(SCHEDULE_COMMAND), "Command that sets the schedule")
        command.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        mono.setBold(True)
        command.setFont(mono)
        self.example = QPlainTextEdit()
        self.example.setAccessibleName("Example schedule file")
        self.example.setReadOnly(True)
        self.example.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.example_caption = QLabel()
        self.example_caption.setWordWrap(True)
        self.check_again_button = named(QPushButton("Check again"), "Check again for a schedule")
        box.addWidget(self.no_schedule_label)
        box.addWidget(command)
        box.addWidget(self.example_caption)
        box.addWidget(self.example, 1)
        row = QHBoxLayout()
        row.addWidget(self.check_again_button)
        row.addStretch(1)
        box.addLayout(row)
        return page

    # ------------------------------------------------------------------ public

    @property
    def monday(self) -> date:
        """The Monday of the week shown."""
        return week_monday(self.state.day)

    def status_text(self) -> str:
        """The status sentence shown (empty when there is no schedule)."""
        return self.status_label.text() if self.stack.currentWidget() is self.ledger_page \
            else ""

    def select_block(self, day: date, start_minute: int) -> bool:
        """Select the row of a block occurrence; False when it is not in this week."""
        row = self.block_model.row_of(day, start_minute)
        if row is None:
            return False
        index = self.block_proxy.mapFromSource(self.block_model.index(row, blocks_m.COL_DATE))
        self.block_table.selectRow(index.row())
        return True

    def selected_block(self) -> BlockOccurrence | None:
        """The block occurrence selected in the table, or None."""
        rows = self.block_table.selectionModel().selectedRows()
        if not rows:
            return None
        return self.block_model.occurrence_at(self.block_proxy.mapToSource(rows[0]).row())

    def selected_escalation(self) -> Escalation | None:
        """The escalation selected in its table, or None."""
        rows = self.escalation_table.selectionModel().selectedRows()
        if not rows:
            return None
        return self.escalation_model.row_at(self.escalation_proxy.mapToSource(rows[0]).row())

    def select_escalation(self, escalation_id: int) -> bool:
        """Select the row of an escalation; False when it is not in this week."""
        row = self.escalation_model.row_of(escalation_id)
        if row is None:
            self.escalation_table.clearSelection()
            return False
        index = self.escalation_proxy.mapFromSource(
            self.escalation_model.index(row, esc_m.COL_ABOUT))
        self.escalation_table.selectRow(index.row())
        return True

    def days_so_far(self) -> list[date]:
        """The days of the week shown that have begun (today included)."""
        today = self.state.today()
        return [d for d in (self.monday + timedelta(days=i) for i in range(7)) if d <= today]

    def refresh(self) -> None:
        """Compute the week again and redraw everything."""
        monday = self.monday
        sunday = monday + timedelta(days=6)
        self.title_label.setText(f"Week {week_label(monday)} · {week_span(monday, sunday)}")
        self.this_week_button.setEnabled(week_monday(self.state.today()) != monday)
        store = self.state.store
        schedules = store.schedules()
        if not schedules:
            self.record = None
            self._show_no_schedule()
            return
        self.stack.setCurrentWidget(self.ledger_page)
        kept = self.selected_block()
        kept_escalation = self.selected_escalation()
        week = self.state.week(monday)
        self.record = week
        self._show_status(week, monday)
        self._show_numbers(week)
        self.block_model.set_rows(week.occurrences)
        self._show_no_blocks(week)
        self.escalation_model.set_rows(week.escalation_records, store.tz)
        if kept_escalation is None or not self.select_escalation(int(kept_escalation.id or 0)):
            self.respond_button.setEnabled(False)
        self._show_days(self.days_so_far())
        self._show_what_if()
        self.category_model.set_rows(week.by_category_min, store.categories)
        ipc_total = self.category_model.total_minutes()
        self.category_total_label.setText(f"All IPC this week: {fmt_minutes(ipc_total)} "
                                          f"({fmt_minutes(week.ipc_in_hours_min)} in scheduled "
                                          f"hours, {fmt_minutes(week.ipc_after_hours_min)} "
                                          "after hours)")
        if kept is None or not self.select_block(kept.day, kept.start_minute):
            self._show_tag_controls(None)

    # ------------------------------------------------------------------ drawing

    def _show_no_schedule(self) -> None:
        self.stack.setCurrentWidget(self.no_schedule_page)
        store = self.state.store
        example = standard_week(week_monday(self.state.today()), store.timezone_name,
                                PRESETS[0].rule)
        self.example_caption.setText(f"Example schedule, target rule “{PRESETS[0].name}” "
                                     f"({EXAMPLE_NOTE}):")
        self.example.setPlainText(example.to_toml())
        self.block_model.set_rows([])
        self.category_model.set_rows({}, store.categories)

    def _show_status(self, week: WeekRecord, monday: date) -> None:
        colour = css_colour(status_colour(week.status, self.palette()))
        self.status_label.setText(week.status_sentence())
        self.status_label.setStyleSheet(f"color: {colour};")
        self.status_label.setToolTip(
            f"{TIPS['received']} {TIPS['attainment']} Met at 100 %; partly met from the "
            "schedule's partly-met share of the target.")
        self.status_frame.setStyleSheet(
            f"#statusFrame {{ border-left: 6px solid {colour}; padding-left: 8px; }}")
        muted = css_colour(muted_colour(self.palette()))
        if week.status == "no_target":
            self.shortfall_label.setText("Shortfall: none (no target this week)")
        else:
            self.shortfall_label.setText(f"Shortfall: {fmt_minutes(week.shortfall_min)}  ·  "
                                         f"IPC after hours: "
                                         f"{fmt_minutes(week.ipc_after_hours_min)}  ·  "
                                         f"All work after hours: "
                                         f"{fmt_minutes(week.after_hours_min)}")
        schedules = self.state.store.schedules()
        version = schedules.on(monday) or schedules.on(monday + timedelta(days=6))
        if version is None:
            first = schedules.versions[0].effective_from
            self.rule_label.setText(f"This week is before your first schedule, which is in "
                                    f"force from {first}.")
        else:
            self.rule_label.setText(f"Target rule: {version.target.describe()}.")
        self.rule_label.setStyleSheet(f"color: {muted};")
        self.record_label.setText(record_line(self.state.store, week, monday))
        self.record_label.setStyleSheet(f"color: {muted};")

    def _show_numbers(self, week: WeekRecord) -> None:
        v = self.values
        v["target"].setText(fmt_minutes(week.target_min))
        v["received"].setText(fmt_minutes(week.ipc_in_hours_min))
        v["attainment"].setText("—" if week.attainment is None
                                else f"{round(week.attainment * 100)} %")
        v["shortfall"].setText(fmt_minutes(week.shortfall_min))
        v["ipc_after"].setText(fmt_minutes(week.ipc_after_hours_min))
        v["after_hours"].setText(fmt_minutes(week.after_hours_min))
        v["scheduled"].setText(fmt_minutes(week.scheduled_min))
        v["leave"].setText(fmt_minutes(week.leave_min))
        v["expected"].setText(fmt_minutes(week.expected_min))
        v["direct"].setText(fmt_minutes(week.direct_min))
        v["other"].setText(fmt_minutes(week.other_min))
        v["break"].setText(fmt_minutes(week.break_min))
        b = week.blocks
        v["blocks"].setText(f"{fmt_minutes(b.honored_min)} of {fmt_minutes(b.scheduled_min)}"
                            if b.count else "none this week")
        if week.access_days is None:
            v["access"].setText("not recorded")
        else:
            side = "within" if week.access_days <= ACCESS_STANDARD_DAYS else "beyond"
            v["access"].setText(f"{week.access_days} business days ({side} the "
                                f"{ACCESS_STANDARD_DAYS}-day standard)")
        if week.flexible_min:
            f = week.flexible
            v["flexible"].setText(f"{fmt_minutes(f.so_far_min)}: to IPC "
                                  f"{fmt_minutes(f.ipc_min)}, displaced by direct care "
                                  f"{fmt_minutes(f.direct_min)}, other work "
                                  f"{fmt_minutes(f.other_min)}, not logged "
                                  f"{fmt_minutes(f.unlogged_min)}")
        else:
            v["flexible"].setText("none under this rule")
        v["no_break"].setText(f"{week.days_without_break}" + (
            f" ({', '.join(short_day(d) for d in week.dates_without_break)})"
            if week.dates_without_break else ""))
        e = week.escalations
        v["escalations"].setText(f"{e.count}, {e.responded} answered, {e.resolved} resolved"
                                 if e.count else "none")
        c = week.capacity
        if c is None:
            v["capacity"].setText("not recorded")
        else:
            not_offered = "not counted" if c.return_not_offered is None \
                else str(c.return_not_offered)
            v["capacity"].setText(f"caseload {c.caseload}; not offered a return in time "
                                  f"{not_offered}; {c.new_visits} new, {c.return_visits} "
                                  "return visits")
        if week.leave_days:
            v["leave_days"].setText(", ".join(
                f"{short_day(lv.day)} ({lv.type.value}, "
                f"{'whole day' if lv.whole_day else fmt_minutes(lv.minutes or 0)})"
                for lv in week.leave_days))
        else:
            v["leave_days"].setText("none")

    def _show_no_blocks(self, week: WeekRecord) -> None:
        if week.occurrences:
            self.no_blocks_label.hide()
            return
        if week.leave_days and week.blocks.count == 0 and self._has_blocks_in_schedule():
            text = "Every protected block of this week fell on leave, so none is counted."
        else:
            text = "Your schedule has no protected blocks in this week."
        self.no_blocks_label.setText(text)
        self.no_blocks_label.show()

    def _has_blocks_in_schedule(self) -> bool:
        schedules = self.state.store.schedules()
        for i in range(7):
            d = self.monday + timedelta(days=i)
            version = schedules.on(d)
            if version is not None and version.blocks(d.weekday()):
                return True
        return False

    def _show_days(self, days: list[date]) -> None:
        kept = self.capacity_day_combo.currentData()
        self.capacity_day_combo.clear()
        for d in days:
            self.capacity_day_combo.addItem(short_day(d), d.isoformat())
        index = self.capacity_day_combo.findData(kept)
        self.capacity_day_combo.setCurrentIndex(index if index >= 0 else len(days) - 1)
        for w in (self.escalate_day_button, self.capacity_day_combo, self.caseload_spin,
                  self.not_offered_spin, self.log_capacity_button):
            w.setEnabled(bool(days))

    def _show_what_if(self) -> None:
        key = self.what_if_combo.currentData()
        preset = next((p for p in PRESETS if p.key == key), None)
        if preset is None:
            self.what_if_label.setText("")
            return
        sunday = self.monday + timedelta(days=6)
        first = self.monday - timedelta(weeks=WHAT_IF_WEEKS - 1)
        ledger = load_ledger(self.state.store, Period(first, sunday), self.state.now_minute(),
                             preset.rule)
        week = ledger.weeks[-1]
        self.what_if_label.setText(
            f"{what_if_sentence(preset.name, ledger.totals.model_dump())} up to this one. "
            f"This week under it: {week.status_sentence()}.")
        self.what_if_label.setToolTip(preset.tooltip)

    def _show_tag_controls(self, occ: BlockOccurrence | None) -> None:
        for w in (self.reason_combo, self.escalated_check, self.save_tag_button):
            w.setEnabled(occ is not None)
        lost = occ is not None and occ.honored_min + occ.upcoming_min < occ.scheduled_min
        self.escalate_block_button.setEnabled(lost)
        if occ is None:
            self.selected_block_label.setText("Select a block to record why it was lost.")
            self.reason_combo.setCurrentIndex(-1)
            self.escalated_check.setChecked(False)
            self.remove_tag_button.setEnabled(False)
            return
        self.selected_block_label.setText(
            f"{short_day(occ.day)} {hhmm(occ.start_minute)}–{hhmm(occ.end_minute)} "
            f"{occ.label}: {occ.outcome}")
        self.reason_combo.setCurrentIndex(
            self.reason_combo.findData(occ.reason.value) if occ.reason else -1)
        self.escalated_check.setChecked(occ.escalated)
        self.remove_tag_button.setEnabled(occ.reason is not None)
        self.save_tag_button.setEnabled(self.reason_combo.currentIndex() >= 0)

    # ------------------------------------------------------------------ slots

    def _on_day_changed(self, d: date) -> None:
        self.refresh()

    def _on_prev_button_clicked(self) -> None:
        self.state.shift_day(-7)

    def _on_next_button_clicked(self) -> None:
        self.state.shift_day(7)

    def _on_this_week_button_clicked(self) -> None:
        self.state.set_day(self.state.today())

    def _on_check_again_button_clicked(self) -> None:
        self.state.notify_changed()

    def _on_block_selection_changed(self, selected: QItemSelection,
                                    deselected: QItemSelection) -> None:
        occ = self.selected_block()
        self._show_tag_controls(occ)
        if occ is None or self.record is None:
            return
        about = [e for e in self.record.escalation_records
                 if e.day == occ.day and e.start_minute == occ.start_minute]
        if about:
            self.select_escalation(int(about[-1].id or 0))

    def _on_escalation_selection_changed(self, selected: QItemSelection,
                                         deselected: QItemSelection) -> None:
        self.respond_button.setEnabled(self.selected_escalation() is not None)

    def _on_escalate_block_button_clicked(self) -> None:
        occ = self.selected_block()
        if occ is None:
            return
        self.dialog = EscalationDialog(self.state, block=(occ.day, occ.start_minute,
                                                          occ.end_minute), parent=self)
        self.dialog.open()

    def _on_escalate_day_button_clicked(self) -> None:
        self.dialog = EscalationDialog(self.state, days=self.days_so_far(), parent=self)
        self.dialog.open()

    def _on_respond_button_clicked(self) -> None:
        escalation = self.selected_escalation()
        if escalation is None:
            return
        self.dialog = RespondDialog(self.state, escalation, parent=self)
        self.dialog.open()

    def _on_log_capacity_button_clicked(self) -> None:
        value = self.capacity_day_combo.currentData()
        if value is None:
            return
        day = date.fromisoformat(str(value))
        not_offered = self.not_offered_spin.value()
        try:
            obs = self.state.store.log_capacity(CapacityObservation(
                day=day, caseload=self.caseload_spin.value(),
                return_not_offered=None if not_offered < 0 else not_offered))
        except CarelogError as exc:
            self.state.say(exc.message)
            return
        self.state.say(f"Recorded capacity on {short_day(obs.day)}: caseload {obs.caseload}.")
        self.state.notify_changed()

    def _on_what_if_combo_changed(self, index: int) -> None:
        self._show_what_if()

    def _on_reason_combo_current_index_changed(self, index: int) -> None:
        self.save_tag_button.setEnabled(index >= 0 and self.selected_block() is not None)

    def _on_save_tag_button_clicked(self) -> None:
        occ = self.selected_block()
        value = self.reason_combo.currentData()
        if occ is None or value is None:
            return
        tag = BlockTag(day=occ.day, start_minute=occ.start_minute,
                       reason=ErosionReason(value), escalated=self.escalated_check.isChecked())
        try:
            # Ticking "escalated" records an escalation (to a manager, now) unless the block
            # has one; the Escalate… form records who, how and what was asked.
            escalation = tag_escalation(tag, self.state.now_minute()) if tag.escalated \
                else None
            self.state.store.save_block_tag(tag, escalation, now=self.state.now())
        except CarelogError as exc:
            self.state.say(exc.message)
            return
        esc = ", escalated to a manager" if tag.escalated else ""
        self.state.say(f"Tagged the {hhmm(occ.start_minute)} block on {short_day(occ.day)}: "
                       f"{REASON_LABELS[tag.reason]}{esc}.")
        self.state.notify_changed()

    def _on_remove_tag_button_clicked(self) -> None:
        occ = self.selected_block()
        if occ is None:
            return
        try:
            self.state.store.remove_block_tag(occ.day, occ.start_minute)
        except CarelogError as exc:
            self.state.say(exc.message)
            return
        self.state.say(f"Removed the tag of the {hhmm(occ.start_minute)} block on "
                       f"{short_day(occ.day)}.")
        self.state.notify_changed()
