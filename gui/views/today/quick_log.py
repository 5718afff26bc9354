"""The quick-log bar at the top of the Today view: log the last few minutes in two keystrokes.

Pick a category (a button, or Alt+letter), then how long (a preset button, the digit keys
1–5 right after the category, or Alt+1…Alt+5 from anywhere): the last N minutes, ending now, are
logged around whatever is already in the log. A count logs several stretches end to end
("4 × Messages, 3 min each"); the timer runs while charting; and the quick line reads
"msg 10", "doc 14:10-14:40" or "4 x msg 3 # note", showing what it means as you type.
"""

from __future__ import annotations

from collections.abc import Callable

from carelog.core.domain.categories import CategoryClass, CategoryInfo
from carelog.core.domain.errors import CarelogError
from carelog.core.domain.privacy import warning_sentence
from carelog.gui.formatting import CLASS_WORDS, class_tip, escape_mnemonic
from carelog.gui.quick_commands import (
    DEFAULT_PRESETS,
    MAX_PRESETS,
    Logged,
    QuickCommands,
    shortcut_text,
)
from carelog.gui.remedies import window_sentence
from carelog.gui.theme import css_colour, error_colour, muted_colour, tint, warning_colour
from carelog.gui.undo_keys import UndoFallsThrough
from carelog.gui.widgets.controls import named
from carelog.gui.widgets.flow_layout import FlowLayout, flow_policy
from carelog.gui.widgets.labels import emphasise, wrapped_label
from carelog.resources import icon_path
from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QIcon, QKeyEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

LINE_HINT = ("Type e.g. msg 10 · doc 14:10-14:40 · group 50 · 4 x msg 3 # note — "
             "Return logs it (Ctrl+L comes here from anywhere)")
CHOOSE_FIRST = "Choose a category first (a button above, or Alt+M, Alt+D, Alt+T…)."
_CLASS_ORDER = (CategoryClass.IPC, CategoryClass.DIRECT, CategoryClass.OTHER)


def elapsed_text(seconds: int) -> str:
    """'4:05' for four minutes and five seconds, '1:02:03' past an hour."""
    h, rest = divmod(max(0, seconds), 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


class _ReturnSpinBox(QSpinBox):
    """A spin box that says when Return is pressed in it (leaving it by Tab logs nothing)."""

    return_pressed = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        super().keyPressEvent(event)
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.return_pressed.emit()


class QuickLogBar(QFrame):
    """Category buttons by class, duration presets, a count, the timer and the quick line."""

    armed_changed = Signal(str)

    def __init__(self, commands: QuickCommands, presets: tuple[int, ...] = DEFAULT_PRESETS,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.commands = commands
        self.state = commands.state
        self.setObjectName("quickLogBar")
        self.setAccessibleName("Quick log")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        # The chosen category stands out in the palette's own highlight (light or dark).
        self.setStyleSheet("QToolButton:checked { background: palette(highlight); "
                           "color: palette(highlighted-text); border: 1px solid "
                           "palette(highlight); border-radius: 3px; padding: 2px 4px; }")
        self._armed = ""
        self.category_buttons: dict[str, QToolButton] = {}
        self.preset_buttons: list[QToolButton] = []
        self._presets: tuple[int, ...] = ()

        self.group = QButtonGroup(self)
        self.group.setExclusive(True)
        self.categories_box = QVBoxLayout()
        self.categories_box.setSpacing(4)
        self.armed_label = named(QLabel(), "Chosen category")
        self.count_spin = QSpinBox()
        self.count_spin.setRange(1, 50)
        self.count_spin.setPrefix("× ")
        self.count_spin.setAccessibleName("How many stretches")
        self.count_spin.setToolTip(
            "Log several stretches of the chosen length end to end, ending now: "
            "× 4 with 3 m logs four 3-minute entries, e.g. four voicemails.")
        self.minutes_spin = _ReturnSpinBox()
        self.minutes_spin.setRange(1, 24 * 60)
        self.minutes_spin.setValue(20)
        self.minutes_spin.setSuffix(" min")
        self.minutes_spin.setAccessibleName("Last minutes to log")
        self.minutes_spin.setToolTip("Any number of minutes, ending now; Return or Log logs it.")
        self.minutes_button = named(QPushButton("Log"), "Log the last minutes",
                                    "Log the chosen category for the number of minutes on "
                                    "the left, ending now.")

        self.timer_label = named(QLabel(), "Running timer")
        self.start_button = QToolButton()
        self.start_button.setText("Start timer")
        self.start_button.setIcon(QIcon(str(icon_path("timer"))))
        self.start_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.start_button.setPopupMode(QToolButton.ToolButtonPopupMode.MenuButtonPopup)
        self.start_button.setAccessibleName("Start timer")
        self.start_button.setToolTip("Start a timer for the chosen category (Ctrl+Shift+T); "
                                     "the arrow lists every category.")
        self.start_menu = QMenu(self.start_button)
        self.start_menu.setAccessibleName("Start a timer for")
        self.start_button.setMenu(self.start_menu)
        self.stop_button = named(QPushButton("Stop && log"), "Stop timer and log it",
                                 "Stop the timer and log its time (Ctrl+Shift+E), fitted "
                                 "around anything logged meanwhile.")
        self.discard_button = named(QPushButton("Discard"), "Discard timer",
                                    "Stop the timer without logging anything.")
        self.ticker = QTimer(self)
        self.ticker.setInterval(1000)

        self.line = named(QLineEdit(), "Quick line")
        self.line.setPlaceholderText("msg 10")
        self.line.setToolTip(
            "One line logs one entry or a batch:\n"
            "  msg 10            the last 10 minutes, ending now\n"
            "  doc 14:10-14:40   that range today\n"
            "  coord 13:50 10    10 minutes from 13:50\n"
            "  4 x msg 3         four 3-minute messages end to end, ending now\n"
            "  msg 5 # note      anything after # is a private note\n"
            "Return logs it; Ctrl+Z undoes it.")
        self._undo_filter = UndoFallsThrough(self)
        self.line.installEventFilter(self._undo_filter)
        self.feedback = wrapped_label("What the quick line means")
        self.feedback.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._feedback_kind = "hint"

        self._lay_out()
        self.set_presets(presets)
        self.fill_categories()
        self._connect()
        self._show_feedback(LINE_HINT, "hint")
        self.update_timer()

    # ------------------------------------------------------------------ building

    def _lay_out(self) -> None:
        self.last_label = QLabel("or the last")
        self.how_holder = QWidget()
        self.how_flow = FlowLayout(self.how_holder, spacing=6)
        flow_policy(self.how_holder)

        line_label = QLabel("&Quick line")
        line_label.setBuddy(self.line)
        line_row = QHBoxLayout()
        line_row.setSpacing(6)
        line_row.addWidget(line_label)
        line_row.addWidget(self.line, 1)
        line_row.addSpacing(12)
        line_row.addWidget(self.timer_label)
        line_row.addWidget(self.start_button)
        line_row.addWidget(self.stop_button)
        line_row.addWidget(self.discard_button)

        box = QVBoxLayout(self)
        box.setContentsMargins(8, 6, 8, 6)
        box.setSpacing(4)
        box.addLayout(self.categories_box)
        box.addWidget(self.how_holder)
        box.addLayout(line_row)
        box.addWidget(self.feedback)

    def _fill_how(self) -> None:
        """Lay out the 'how long' controls in order; they wrap on a narrow window."""
        while self.how_flow.count():
            self.how_flow.takeAt(0)
        for widget in (self.armed_label, *self.preset_buttons, self.count_spin,
                       self.last_label, self.minutes_spin, self.minutes_button):
            self.how_flow.addWidget(widget)
        self.how_flow.invalidate()

    def fill_categories(self) -> None:
        """(Re)build the category buttons from the store's categories, by class, IPC first."""
        while self.categories_box.count():
            item = self.categories_box.takeAt(0)
            holder = item.widget() if item is not None else None
            if holder is not None:
                holder.deleteLater()
        for button in self.group.buttons():
            self.group.removeButton(button)
        self.category_buttons.clear()
        self.start_menu.clear()
        infos = self.commands.categories()
        for cls in _CLASS_ORDER:
            members = [c for c in infos if c.cls is cls]
            if not members:
                continue
            row = QWidget()
            grid = QGridLayout(row)
            grid.setContentsMargins(0, 0, 0, 0)
            heading = QLabel(CLASS_WORDS[cls])
            heading.setToolTip(class_tip(None, cls))
            emphasise(heading)
            heading.setFixedWidth(self.fontMetrics().horizontalAdvance("Direct care") + 16)
            heading.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
            heading.setMinimumHeight(self.fontMetrics().height() + 10)
            flow_holder = QWidget()
            flow = FlowLayout(flow_holder, spacing=4)
            flow_policy(flow_holder)
            for info in members:
                button = self._category_button(info)
                flow.addWidget(button)
            grid.addWidget(heading, 0, 0, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(flow_holder, 0, 1)
            grid.setColumnStretch(1, 1)
            self.categories_box.addWidget(row)
            for info in members:
                action = self.start_menu.addAction(escape_mnemonic(info.label))
                action.triggered.connect(self._timer_starter(info.code))
            self.start_menu.addSeparator()
        if self._armed and self._armed in self.category_buttons:
            self.category_buttons[self._armed].setChecked(True)
        else:
            self._armed = ""
        self._show_armed()

    def _category_button(self, info: CategoryInfo) -> QToolButton:
        button = QToolButton()
        button.setText(escape_mnemonic(info.label))
        button.setCheckable(True)
        button.setAccessibleName(f"Quick log {info.label}")
        key = shortcut_text(info.code)
        tip = f"{info.meaning}. {class_tip(info, info.cls)}"
        tip += f"\nShortcut: {key}, then 1–{len(self._presets)} for a preset." if key else ""
        button.setToolTip(tip)
        button.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        button.setMinimumHeight(self.fontMetrics().height() + 10)
        self.group.addButton(button)
        self.category_buttons[info.code] = button
        button.clicked.connect(self._arm_from_button(info.code))
        return button

    def set_presets(self, presets: tuple[int, ...]) -> None:
        """Show these durations (minutes) as preset buttons, keys 1… in order."""
        presets = tuple(p for p in presets if 0 < p <= 24 * 60)[:MAX_PRESETS] or DEFAULT_PRESETS
        if presets == self._presets:
            return
        self._presets = presets
        for button in self.preset_buttons:
            button.deleteLater()
        self.preset_buttons = []
        for i, minutes in enumerate(presets, start=1):
            button = QToolButton()
            button.setText(f"{minutes} m")
            button.setAccessibleName(f"Last {minutes} minutes")
            button.setToolTip(f"Log the chosen category for the last {minutes} minutes, "
                              f"ending now (key {i} right after choosing a category, or "
                              f"Alt+{i} from anywhere). Time already logged is left as it "
                              "is; only the free minutes are added.")
            button.setMinimumWidth(self.fontMetrics().horizontalAdvance("50 m") + 20)
            button.setMinimumHeight(self.fontMetrics().height() + 10)
            button.clicked.connect(self._preset_logger(i - 1))
            self.preset_buttons.append(button)
        self._fill_how()
        self._show_armed()

    @property
    def presets(self) -> tuple[int, ...]:
        """The preset durations, in minutes."""
        return self._presets

    def _connect(self) -> None:
        self.minutes_button.clicked.connect(self._on_minutes_button_clicked)
        self.minutes_spin.return_pressed.connect(self._on_minutes_spin_return_pressed)
        self.start_button.clicked.connect(self._on_start_button_clicked)
        self.stop_button.clicked.connect(self._on_stop_button_clicked)
        self.discard_button.clicked.connect(self._on_discard_button_clicked)
        self.ticker.timeout.connect(self._on_ticker_timeout)
        self.line.textEdited.connect(self._on_line_text_edited)
        self.line.returnPressed.connect(self._on_line_return_pressed)
        self.state.timer_changed.connect(self.update_timer)
        self.state.store_replaced.connect(self.fill_categories)

    def _arm_from_button(self, code: str) -> Callable[[], object]:
        return lambda: self.arm(code)

    def _preset_logger(self, index: int) -> Callable[[], object]:
        return lambda: self.log_preset(index)

    def _timer_starter(self, code: str) -> Callable[[], object]:
        return lambda: self.start_timer(code)

    # ------------------------------------------------------------------ public

    @property
    def armed(self) -> str:
        """The chosen category code ('' when none is chosen)."""
        return self._armed

    def arm(self, code: str, focus: bool = False) -> bool:
        """Choose the category the presets and the timer log; False when it is unknown."""
        button = self.category_buttons.get(code)
        if button is None:
            return False
        button.setChecked(True)
        changed = code != self._armed
        self._armed = code
        self._show_armed()
        if focus:
            button.setFocus(Qt.FocusReason.ShortcutFocusReason)
        if changed:
            self.armed_changed.emit(code)
        return True

    def log_preset(self, index: int) -> Logged | None:
        """Log the preset with this index (0-based) for the chosen category."""
        if not 0 <= index < len(self._presets):
            return None
        return self.log_minutes(self._presets[index])

    def log_minutes(self, minutes: int) -> Logged | None:
        """Log the last `minutes` (times the count) for the chosen category, ending now."""
        if not self._armed:
            self._refused(CHOOSE_FIRST)
            return None
        try:
            logged = self.commands.log_last(self._armed, minutes, self.count_spin.value())
        except CarelogError as exc:
            self._refused(window_sentence(exc))
            return None
        self.count_spin.setValue(1)
        self._show_feedback(logged.sentence, "done")
        return logged

    def log_line(self) -> Logged | None:
        """Log what the quick line says; on a refusal the line stays and the reason shows."""
        text = self.line.text()
        try:
            logged = self.commands.log_line(text)
        except CarelogError as exc:
            self._refused(window_sentence(exc))
            return None
        self.line.setText("")  # also forgets the line's own typing history, so Ctrl+Z undoes
        self._show_feedback(logged.sentence, "done")
        return logged

    def start_timer(self, code: str | None = None) -> bool:
        """Start the timer for a category (the chosen one by default)."""
        code = code or self._armed
        if not code:
            self._refused(CHOOSE_FIRST)
            return False
        try:
            sentence = self.commands.start_timer(code)
        except CarelogError as exc:
            self._refused(window_sentence(exc))
            return False
        self._show_feedback(sentence, "done")
        return True

    def stop_timer(self) -> Logged | None:
        """Stop the timer and log it."""
        try:
            logged = self.commands.stop_timer()
        except CarelogError as exc:
            self._refused(window_sentence(exc))
            return None
        self._show_feedback(logged.sentence, "done")
        return logged

    def _refused(self, sentence: str) -> None:
        """Show why the quick log could not do it, and say it (for screen readers too)."""
        self._show_feedback(sentence, "error")
        self.state.say(sentence)

    def discard_timer(self) -> None:
        """Stop the timer without logging."""
        self._show_feedback(self.commands.cancel_timer(), "done")

    def focus_line(self) -> None:
        """Put the cursor in the quick line, its text selected."""
        self.line.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.line.selectAll()

    def feedback_text(self) -> str:
        """What the line under the quick line says."""
        return self.feedback.text()

    def feedback_is_error(self) -> bool:
        """True when the line under the quick line shows a refusal (in red)."""
        return self._feedback_kind == "error"

    def update_timer(self) -> None:
        """Show the running timer (or that none runs) and tick while one does."""
        running = self.state.timer
        self.stop_button.setEnabled(running is not None)
        self.discard_button.setEnabled(running is not None)
        if running is None:
            self.ticker.stop()
            self.timer_label.setText("No timer running")
            self.timer_label.setToolTip("Start a timer for the chosen category; it is kept in "
                                        "the database, so it survives closing Carelog.")
            tint(self.timer_label, muted_colour)
            return
        if not self.ticker.isActive():
            self.ticker.start()
        self._on_ticker_timeout()
        self.timer_label.setStyleSheet("font-weight: bold;")

    # ------------------------------------------------------------------ showing

    def _show_armed(self) -> None:
        has = bool(self._armed)
        for button in self.preset_buttons:
            button.setEnabled(has)
        self.minutes_button.setEnabled(has)
        if has:
            self.armed_label.setText(f"{escape_mnemonic(self.commands.label(self._armed))}, "
                                     "the last:")
            self.armed_label.setStyleSheet("font-weight: bold;")
        else:
            self.armed_label.setText("Choose a category, then the last:")
            tint(self.armed_label, muted_colour)

    def _show_feedback(self, text: str, kind: str) -> None:
        self._feedback_kind = kind
        colour = {"error": error_colour, "warning": warning_colour,
                  "hint": muted_colour, "done": muted_colour}.get(kind)
        self.feedback.setText(text)
        style = f"color: {css_colour(colour(self.palette()))};" if colour else ""
        self.feedback.setStyleSheet(style)

    # ------------------------------------------------------------------ slots

    def changeEvent(self, event: QEvent) -> None:
        """Recolour what was coloured from the old palette (a switch between light and dark)."""
        if event.type() == QEvent.Type.PaletteChange:
            self._show_armed()
            self._show_feedback(self.feedback.text(), self._feedback_kind)
            self.update_timer()
        super().changeEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """A digit logs that preset of the chosen category; Escape goes back to the quick line.

        Digits reach the bar while a category button has the focus.
        """
        key = event.key()
        if Qt.Key.Key_1 <= key <= Qt.Key.Key_9 and not (
                event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier):
            self.log_preset(key - Qt.Key.Key_1)
            event.accept()
            return
        if key == Qt.Key.Key_Escape and self._armed:
            self.focus_line()
            event.accept()
            return
        super().keyPressEvent(event)

    def _on_minutes_button_clicked(self) -> None:
        self.log_minutes(self.minutes_spin.value())

    def _on_minutes_spin_return_pressed(self) -> None:
        self.log_minutes(self.minutes_spin.value())

    def _on_start_button_clicked(self) -> None:
        self.start_timer()

    def _on_stop_button_clicked(self) -> None:
        self.stop_timer()

    def _on_discard_button_clicked(self) -> None:
        self.discard_timer()

    def _on_ticker_timeout(self) -> None:
        running = self.state.timer
        seconds = self.commands.elapsed_seconds()
        if running is None or seconds is None:
            self.ticker.stop()
            return
        label = self.commands.label(running.category)
        self.timer_label.setText(f"{escape_mnemonic(label)} {elapsed_text(seconds)}")
        since = self.commands.timer_text()
        self.timer_label.setToolTip(f"{since}. Stop & log writes it to the log; the timer is "
                                    "kept in the database, so it survives closing Carelog.")

    def _on_line_text_edited(self, text: str) -> None:
        if not text.strip():
            self._show_feedback(LINE_HINT, "hint")
            return
        try:
            quick = self.commands.preview(text)
        except CarelogError as exc:
            self._show_feedback(window_sentence(exc), "error")
            return
        sentence = f"Return logs: {quick.summary}"
        note = text.partition("#")[2]
        warning = warning_sentence(note) if note.strip() else None
        if warning:
            self._show_feedback(f"{sentence}. {warning}", "warning")
        else:
            self._show_feedback(sentence, "ok")

    def _on_line_return_pressed(self) -> None:
        self.log_line()


