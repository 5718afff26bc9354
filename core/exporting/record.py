"""Seals on the way out and `verify` on the way back (DESIGN §2.6).

A committee export seals the complete weeks it holds (carelog.core.store.seals.seal_week) and
carries each week's seal; the digest of the JSON as written is remembered, so `verify` can tell
a file as Carelog wrote it from one changed afterwards. `verify` recomputes each week's seal
from the log: "matches", or what changed since (entries added, removed or changed, minutes by
class). It needs the clinician's log: a committee member can run it only with that log.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from carelog.core.domain.errors import BadInput
from carelog.core.domain.seal import Seal, compare_week, is_seal
from carelog.core.domain.timeutil import (
    Period,
    day_start_utc,
    instant_of_stamp,
    now_instant,
    to_local,
    week_label,
)
from carelog.core.ledger.stored import contributor_id
from carelog.core.ledger.week import Ledger, phase_of
from carelog.core.store.database import Store

if TYPE_CHECKING:
    from carelog.core.exporting.committee_report import CommitteeReport

VERIFY_ADVICE = ("Anyone can check this report against the clinician's log: the clinician "
                 "runs carelog verify on the JSON export of the same period, on the computer "
                 "that holds the log. Without that log nothing can be recomputed.")


def week_span(monday: date, tz: ZoneInfo) -> tuple[int, int]:
    """A week's first instant and the instant after its last (Monday 00:00 to Monday 00:00)."""
    return day_start_utc(monday, tz), day_start_utc(monday + timedelta(days=7), tz)


def export_digest(data: dict[str, Any]) -> str:
    """The digest of a committee JSON's content: keys sorted, no spaces, UTF-8, SHA-256.

    The file's layout (indentation, key order) plays no part; any changed value does.
    """
    text = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()


# ----------------------------------------------------------------------------- sealing

def seal_ledger(store: Store, ledger: Ledger) -> dict[str, tuple[Seal, bool]]:
    """Seal the complete weeks of a ledger (in one transaction), by week label."""
    tz = store.tz
    weeks = [(w.week, *week_span(w.start, tz)) for w in ledger.weeks if w.complete]
    return {s.week: (s, made) for s, made in store.seal_weeks(weeks)}


def add_seals(report: CommitteeReport, sealed: dict[str, tuple[Seal, bool]]) -> None:
    """Write each week's seal into a committee report (None for a week that is not over)."""
    for w in report.weeks:
        found = sealed.get(w.record.week)
        w.seal = found[0].digest if found else None
    report.sealed = True


@dataclass(frozen=True, slots=True)
class SealResult:
    """What `carelog seal` did, week by week."""

    sealed: list[tuple[Seal, bool]]
    not_over: list[str]

    def lines(self) -> list[str]:
        """One line per week, then a sentence."""
        out = [f"{s.week}  {'sealed' if made else 'already sealed, unchanged'}  {s.digest}"
               for s, made in self.sealed]
        out += [f"{week}  not over yet, not sealed" for week in self.not_over]
        made = sum(1 for _, m in self.sealed if m)
        out.append(f"{made} new seal{'' if made == 1 else 's'}; "
                   f"{len(self.sealed) - made} week{'' if len(self.sealed) - made == 1 else 's'}"
                   " already sealed as they are.")
        return out


def seal_period(store: Store, period: Period, now: int | None = None) -> SealResult:
    """Seal the weeks of a period that are over, without exporting anything."""
    now = now_instant() if now is None else now
    tz = store.tz
    done: list[tuple[str, int, int]] = []
    not_over: list[str] = []
    for monday in period.weeks:
        start, end = week_span(monday, tz)
        if phase_of(start, end, now) == "complete":
            done.append((week_label(monday), start, end))
        else:
            not_over.append(week_label(monday))
    if not done:
        raise BadInput(f"No week of {period.title} is over yet; nothing was sealed.",
                       field="period")
    return SealResult(store.seal_weeks(done), not_over)


# ----------------------------------------------------------------------------- verifying

@dataclass(slots=True)
class VerifyReport:
    """What `carelog verify` found: ok when every sealed week matches the log."""

    ok: bool = True
    lines: list[str] = field(default_factory=list)


def _load(path: Path) -> Any:
    name = path.name
    if path.is_dir():
        raise BadInput(f"{path} is a folder, not an export file.", field="file")
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise BadInput(f"There is no file at {path}.", field="file") from None
    except OSError as exc:
        raise BadInput(f"The file {path} could not be read ({exc.strerror}).",
                       field="file") from exc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise BadInput(f"The file {name} is not a Carelog export: it is not text.",
                       field="file") from None
    try:
        return json.loads(text)
    except RecursionError:
        raise BadInput(f"The file {name} is not a Carelog export: it is nested too deeply.",
                       field="file") from None
    except json.JSONDecodeError as exc:
        # A file cut inside a string reports where that string began; it still ends too soon.
        cut = exc.pos >= len(text.rstrip()) or exc.msg.startswith("Unterminated string")
        what = "is cut short, so it is not a whole Carelog export" if cut \
            else "is not a Carelog export: it is not valid JSON"
        raise BadInput(f"The file {name} {what} (line {exc.lineno}, column {exc.colno}).",
                       field="file") from None


def _sealed_weeks(data: Any, name: str) -> list[dict[str, Any]]:
    """The weeks of a committee export, or BadInput saying why the file is not one."""
    if not isinstance(data, dict) or data.get("format") != "carelog-summary":
        raise BadInput(f"The file {name} is not a Carelog export.", field="file")
    version = data.get("version")
    if version == 1:
        raise BadInput(f"The file {name} is a version 1 Carelog summary, made before exports "
                       "were sealed; there is no seal in it to verify.", field="file")
    weeks = data.get("weeks")
    if not isinstance(weeks, list) or not all(isinstance(w, dict) for w in weeks):
        raise BadInput(f"The file {name} is not a Carelog export: it has no list of weeks.",
                       field="file")
    if not any("seal" in w for w in weeks):
        raise BadInput(f"The file {name} is a summary, not a committee export; only committee "
                       "exports carry seals.", field="file")
    return weeks


def verify_export(store: Store, path: Path) -> VerifyReport:
    """Recompute the seals of a committee JSON from this log, week by week.

    BadInput (exit 2) when the file is not a committee export as this log wrote it: not JSON,
    cut short, a version 1 summary, a personal summary, another log's export, or one whose
    contents were changed after it was written. Otherwise each sealed week matches or not.
    """
    data = _load(path)
    name = path.name
    weeks = _sealed_weeks(data, name)
    mine = contributor_id(store)
    theirs = data.get("contributor")
    if theirs != mine:
        raise BadInput(f"The file {name} was exported from another Carelog log (contributor "
                       f"{str(theirs)[:40]}), not this one; it can be verified only with the "
                       "log it came from.", field="file")
    if not store.export_known(export_digest(data)):
        raise BadInput(f"The file {name} is not as Carelog wrote it: its contents were "
                       "changed after it was exported.", field="file")
    report = VerifyReport()
    registry = store.categories
    tz = store.tz
    checked = changed = 0
    for w in weeks:
        label = str(w.get("week"))
        digest = w.get("seal")
        if digest is None:
            report.lines.append(f"{label}  not sealed (the week was not over when exported)")
            continue
        seal = store.seal_by_digest(digest) if is_seal(digest) else None
        if seal is None:
            raise BadInput(f"The seal of week {label} in {name} was not made by this log.",
                           field="file")
        checked += 1
        current = store.current_sealable(seal.start, seal.end)
        when = _local_day(seal.sealed_at, tz)
        if seal.recompute(current) == seal.digest:
            report.lines.append(f"{label}  matches (sealed {when})")
            continue
        # The week changed. What the seal covered is kept in the log; it must still give the
        # seal's digest before it can say what changed.
        sealed_entries = store.sealed_entries(seal.id)
        report.ok = False
        if seal.recompute(sealed_entries) != seal.digest:
            changed += 1
            report.lines.append(f"{label}  the log's record of this seal was altered; the "
                                "week cannot be verified")
            continue
        changed += 1
        diff = compare_week(sealed_entries, current, seal.start, seal.end, registry)
        report.lines.append(f"{label}  changed since it was sealed on {when}: "
                            f"{diff.sentence()}")
    if checked == 0:
        report.lines.append("No week in the file was sealed, so nothing could be checked.")
    elif changed == 0:
        report.lines.append(f"All {checked} sealed week{'s' if checked != 1 else ''} match "
                            "the log.")
    else:
        report.lines.append(f"{changed} of {checked} sealed week{'s' if checked != 1 else ''} "
                            "changed since the export.")
    return report


def _local_day(stamp: str, tz: ZoneInfo) -> str:
    return to_local(instant_of_stamp(stamp), tz).date().isoformat()
