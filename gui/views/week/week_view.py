"""The week view: a week's ledger, block tagging, escalations, capacity, and what-if.

The ledger is of the ISO week holding the selected day; what-if shows the same weeks under
another contract. The widgets are laid out in week_view_ui.py, beside this file.
"""

from __future__ import annotations

from datetime import date, timedelta

from carelog.core.domain.errors import CarelogError
from carelog.core.domain.formatting import percent
from carelog.core.domain.models import (
    REASON_LABELS,
    BlockTag,
    CapacityObservation,
    ErosionReason,
    Escalation,
    tag_escalation,
)
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
from carelog.gui.models import escalation_table_model as esc_m
from carelog.gui.state import AppState
from carelog.gui.theme import css_colour, muted_colour, status_colour
from carelog.gui.views.week.week_view_ui import TIPS, WeekViewUi
from carelog.gui.widgets.contracts import chosen_preset
from carelog.gui.widgets.steps import follow_steps
from PySide6.QtCore import QItemSelection
from PySide6.QtWidgets import (
    QWidget,
)

WHAT_IF_WEEKS = 12


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


class WeekView(WeekViewUi):
    """Status, shortfall and after-hours work of a week, its blocks (taggable) and IPC mix."""

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.record: WeekRecord | None = None
        follow_steps(state, (self.prev_button, self.this_week_button, self.next_button), 7)
        self.block_table.selectionModel().selectionChanged.connect(
            self._on_block_selection_changed)
        self.reason_combo.currentIndexChanged.connect(self._on_reason_combo_current_index_changed)
        self.save_tag_button.clicked.connect(self._on_save_tag_button_clicked)
        self.remove_tag_button.clicked.connect(self._on_remove_tag_button_clicked)
        self.check_again_button.clicked.connect(self._on_check_again_button_clicked)
        self.setup_button.clicked.connect(self._on_setup_button_clicked)
        self.escalate_block_button.clicked.connect(self._on_escalate_block_button_clicked)
        self.escalate_day_button.clicked.connect(self._on_escalate_day_button_clicked)
        self.respond_button.clicked.connect(self._on_respond_button_clicked)
        self.escalation_table.selectionModel().selectionChanged.connect(
            self._on_escalation_selection_changed)
        self.log_capacity_button.clicked.connect(self._on_log_capacity_button_clicked)
        self.what_if_combo.currentIndexChanged.connect(self._on_what_if_combo_changed)
        self.dialog: EscalationDialog | RespondDialog | None = None
        state.day_changed.connect(self._on_day_changed)
        state.data_changed.connect(self._on_state_data_changed)
        self.refresh()

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
        self.stale = False
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
        elif week.status == "upcoming":
            self.shortfall_label.setText("Nothing is due yet: this week has not begun.")
        elif week.status == "in_progress":
            # A week under way has no verdict and no shortfall yet: only how it stands so far.
            self.shortfall_label.setText(f"Due by now: {fmt_minutes(week.target_so_far_min)} "
                                         f"of the week's {fmt_minutes(week.target_min)}  ·  "
                                         f"Behind: {fmt_minutes(week.shortfall_min)}  ·  "
                                         f"IPC after hours so far: "
                                         f"{fmt_minutes(week.ipc_after_hours_min)}")
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
        so_far = week.status == "in_progress"
        v["target"].setText(fmt_minutes(week.target_min) + (
            f" ({fmt_minutes(week.target_so_far_min)} due by now)" if so_far else ""))
        v["received"].setText(fmt_minutes(week.ipc_in_hours_min))
        v["attainment"].setText(percent(week.attainment)
                                + (" of what is due by now" if so_far else ""))
        v["shortfall"].setText(fmt_minutes(week.shortfall_min)
                               + (" behind what is due by now" if so_far else ""))
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
        preset = chosen_preset(self.what_if_combo)
        if preset is None:
            self.what_if_label.setText("")
            return
        sunday = self.monday + timedelta(days=6)
        first = self.monday - timedelta(weeks=WHAT_IF_WEEKS - 1)
        ledger = load_ledger(self.state.store, Period(first, sunday), self.state.now_minute(),
                             preset.rule)
        week = ledger.weeks[-1]
        self.what_if_label.setText(
            f"{what_if_sentence(preset.name, ledger.totals)} up to this one. "
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
        self.refresh_when_shown()

    def _on_state_data_changed(self) -> None:
        self.refresh_when_shown()

    def _on_setup_button_clicked(self) -> None:
        self.state.schedule_wanted.emit()

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
