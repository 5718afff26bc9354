"""The charts of weekly protected time, drawn with matplotlib for the window and the PDF alike.

Figures are built with `matplotlib.figure.Figure` (no pyplot, no global state), so the same
function serves the Trends view (on a Qt canvas) and the committee PDF (as a PNG). matplotlib is
imported only when a chart is first drawn.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from carelog.core.ledger.week import WeekRecord
    from matplotlib.figure import Figure

# Colours that read on white paper and on a dark window alike, and in greyscale print.
TARGET = "#7a7a7a"
RECEIVED = "#2a7ab9"
AFTER_HOURS = "#d9822b"
MET = "#2e8540"
PARTLY = "#c7921b"
NOT_MET = "#c0392b"


@dataclass(frozen=True, slots=True)
class WeekPoint:
    """What a chart needs of one week: label, minutes, attainment and status."""

    label: str
    target_min: int
    received_min: int
    after_hours_min: int
    attainment: float | None
    status: str
    complete: bool = True


def points_from_weeks(weeks: Sequence[WeekRecord]) -> list[WeekPoint]:
    """WeekPoints from the ledger's week records.

    Weeks not begun are left out; the week under way keeps its target due by now, and is
    drawn apart from the finished weeks.
    """
    return [WeekPoint(w.week, w.target_min if w.complete else w.target_so_far_min,
                      w.ipc_in_hours_min, w.ipc_after_hours_min, w.attainment, w.status,
                      w.complete)
            for w in weeks if w.status != "upcoming"]


def _short(label: str) -> str:
    return label.split("-")[-1]  # "2026-W47" -> "W47"


def _style(ax: Any, dark: bool) -> None:
    fg = "#e6e6e6" if dark else "#222222"
    grid = "#555555" if dark else "#dddddd"
    ax.tick_params(colors=fg, labelsize=8)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    for side in ("left", "bottom"):
        ax.spines[side].set_color(grid)
    ax.yaxis.label.set_color(fg)
    for loc in ("left", "center", "right"):
        # Titles sit on the left; each position is its own text object.
        title = ax.get_title(loc=loc)
        if title:
            ax.set_title(title, loc=loc, fontsize=10, color=fg)
    ax.grid(axis="y", color=grid, linewidth=0.6)
    ax.set_axisbelow(True)


def _ticks(ax: Any, labels: list[str]) -> None:
    step = max(1, len(labels) // 13)
    positions = list(range(0, len(labels), step))
    ax.set_xticks(positions)
    ax.set_xticklabels([_short(labels[i]) for i in positions])


def _new_figure(width: float, height: float, dark: bool) -> Figure:
    # matplotlib takes a few hundred milliseconds to import: only when a chart is drawn.
    from matplotlib.figure import Figure  # noqa: PLC0415

    fig = Figure(figsize=(width, height), dpi=100, layout="constrained")
    if dark:
        fig.set_facecolor("#2b2b2b")
    return fig


def protected_time_figure(points: Sequence[WeekPoint], *, width: float = 8.0,
                          height: float = 3.2, dark: bool = False) -> Figure:
    """Bars per week: target, IPC received in paid hours, IPC done after hours (hours)."""
    fig = _new_figure(width, height, dark)
    ax = fig.add_subplot()
    if dark:
        ax.set_facecolor("#2b2b2b")
    n = len(points)
    xs = list(range(n))
    w = 0.27
    bars = [ax.bar([x - w for x in xs], [p.target_min / 60 for p in points], w, color=TARGET,
                   label="Target"),
            ax.bar(xs, [p.received_min / 60 for p in points], w, color=RECEIVED,
                   label="IPC received in paid hours"),
            ax.bar([x + w for x in xs], [p.after_hours_min / 60 for p in points], w,
                   color=AFTER_HOURS, label="IPC done after hours")]
    # The week under way: its bars are hatched and pale, and its target is what is due by now.
    for i, p in enumerate(points):
        if not p.complete:
            for group in bars:
                group[i].set_alpha(0.45)
                group[i].set_hatch("///")
    ax.set_ylabel("hours")
    ax.set_title("Protected time by week", fontsize=10, loc="left")
    _ticks(ax, [p.label for p in points])
    _style(ax, dark)
    legend = ax.legend(fontsize=8, frameon=False, ncols=3, loc="upper left",
                       bbox_to_anchor=(0, -0.12))
    for text in legend.get_texts():
        text.set_color("#e6e6e6" if dark else "#222222")
    return fig


def attainment_figure(points: Sequence[WeekPoint], partly_met_at: float = 0.75, *,
                      width: float = 8.0, height: float = 2.6, dark: bool = False) -> Figure:
    """Attainment (%) per week, coloured by status, with the 100 % and partly-met lines."""
    fig = _new_figure(width, height, dark)
    ax = fig.add_subplot()
    if dark:
        ax.set_facecolor("#2b2b2b")
    colours = {"met": MET, "partly_met": PARTLY, "not_met": NOT_MET}
    # The line joins finished weeks only; the week under way is a hollow mark apart from it.
    xs = [i for i, p in enumerate(points) if p.attainment is not None and p.complete]
    ys = [(points[i].attainment or 0) * 100 for i in xs]
    ax.plot(xs, ys, color=RECEIVED, linewidth=1.2)
    ax.scatter(xs, ys, c=[colours.get(points[i].status, TARGET) for i in xs], s=22, zorder=3)
    open_xs = [i for i, p in enumerate(points) if p.attainment is not None and not p.complete]
    open_ys = [(points[i].attainment or 0) * 100 for i in open_xs]
    if open_xs:
        ax.scatter(open_xs, open_ys, facecolors="none", edgecolors=RECEIVED, s=30, zorder=3,
                   linewidths=1.2)
        for x, y in zip(open_xs, open_ys, strict=True):
            ax.annotate("so far", (x, y), textcoords="offset points", xytext=(0, 6),
                        ha="center", fontsize=7, color=TARGET)
        ys = ys + open_ys
    ax.axhline(100, color=MET, linewidth=0.9, linestyle="--")
    ax.axhline(partly_met_at * 100, color=PARTLY, linewidth=0.9, linestyle=":")
    top = max([110.0, *ys]) * 1.08
    ax.set_ylim(0, top)
    ax.set_ylabel("% of target")
    ax.set_title("Attainment (IPC received ÷ target); dashed: met, dotted: partly met",
                 fontsize=10, loc="left")
    _ticks(ax, [p.label for p in points])
    if points:
        ax.set_xlim(-0.5, len(points) - 0.5)
    _style(ax, dark)
    return fig


def figure_png(fig: Figure, dpi: int = 160) -> bytes:
    """Render a figure to PNG bytes."""
    # Heavy (matplotlib): imported when a chart is first rendered.
    from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: PLC0415

    FigureCanvasAgg(fig)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, facecolor=fig.get_facecolor())
    return buf.getvalue()
