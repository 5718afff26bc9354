"""The key to the timeline's and the calendar's colours: classes, blocks, gaps, planned time."""

from __future__ import annotations

from carelog.gui.theme import is_dark, status_colour, warning_colour
from carelog.gui.widgets.painting import antialiased_painter, paint_dashed, paint_hatch
from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFontMetricsF, QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

# (on a light window, on a dark window): distinct hues that keep white or black text legible.
CLASS_COLOURS: dict[str, tuple[str, str]] = {
    "ipc": ("#2a7ab9", "#5aa9e6"),
    "direct": ("#7b4fa0", "#b893dc"),
    "other": ("#8c6a35", "#d0ab6c"),
    "break": ("#a7acb2", "#6c7178"),
}
CLASS_WORDS = {"ipc": "IPC", "direct": "Direct care", "other": "Other work", "break": "Break"}

_KEYS = ("ipc", "direct", "other", "break", "planned", "block", "gap", "timer")
_WORDS = {**CLASS_WORDS, "planned": "Planned", "block": "Protected block",
          "gap": "Not logged", "timer": "Timer running"}
_TIPS = {
    "ipc": "Indirect patient care: counts toward your protected time when inside working hours.",
    "direct": "Sessions, intakes, groups and urgent visits.",
    "other": "Meetings, training, admin and other work.",
    "break": "Breaks count toward nothing but are shown.",
    "planned": "Not happened yet (outlined): it counts once its time has passed.",
    "block": "A protected block of your schedule (hatched).",
    "gap": "Working hours with nothing logged.",
    "timer": "The running timer, up to now.",
}


def class_colour(key: str, palette: QPalette | None = None) -> QColor:
    """The fill of an entry of this class ('ipc', 'direct', 'other', 'break')."""
    pair = CLASS_COLOURS.get(key, CLASS_COLOURS["other"])
    return QColor(pair[1] if is_dark(palette) else pair[0])


def paint_swatch(p: QPainter, r: QRectF, key: str, palette: QPalette) -> None:
    """One legend swatch, drawn as the timeline and the calendar draw that kind of time."""
    if key in CLASS_COLOURS:
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(class_colour(key, palette))
        p.drawRoundedRect(r, 2, 2)
    elif key == "planned":
        p.setPen(QPen(class_colour("ipc", palette), 1.5))
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawRoundedRect(r.adjusted(0.75, 0.75, -0.75, -0.75), 2, 2)
    elif key == "block":
        colour = status_colour("met", palette)
        paint_hatch(p, r, colour)
        p.setPen(QPen(colour, 1.2))
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawRect(r)
    elif key == "gap":
        warn = warning_colour(palette)
        tint = QColor(warn)
        tint.setAlpha(45)
        p.fillRect(r, tint)
        p.setPen(QPen(warn, 1.2, Qt.PenStyle.DotLine))
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawRect(r)
    elif key == "timer":
        paint_dashed(p, r, palette.color(QPalette.ColorRole.Highlight), width=1.5, alpha=60,
                     radius=2)


class ClassLegend(QWidget):
    """A row of swatches with words: what each colour and pattern means."""

    def __init__(self, keys: tuple[str, ...] = _KEYS, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.keys = keys
        self.setAccessibleName("Legend")
        self.setAccessibleDescription("; ".join(f"{_WORDS[k]}: {_TIPS[k]}" for k in keys))
        self.setToolTip("\n".join(f"{_WORDS[k]}: {_TIPS[k]}" for k in keys))
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)

    def words(self) -> list[str]:
        """The words shown, in order."""
        return [_WORDS[k] for k in self.keys]

    def sizeHint(self) -> QSize:
        """One line of swatches and words."""
        fm = QFontMetricsF(self.font())
        width = sum(fm.height() * 1.4 + fm.horizontalAdvance(_WORDS[k]) + 14 for k in self.keys)
        return QSize(int(width), int(fm.height() + 6))

    def paintEvent(self, event: QPaintEvent) -> None:
        """Draw the swatches and their words."""
        fm = QFontMetricsF(self.font())
        pal = self.palette()
        x, h = 2.0, fm.height()
        with antialiased_painter(self) as p:
            for key in self.keys:
                paint_swatch(p, QRectF(x, 3, h * 1.2, h - 2), key, pal)
                x += h * 1.2 + 4
                p.setPen(pal.color(QPalette.ColorRole.WindowText))
                p.drawText(QRectF(x, 0, self.width() - x, h + 4),
                           Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
                           _WORDS[key])
                x += fm.horizontalAdvance(_WORDS[key]) + 10
