"""Reading clinicians' summary JSON files for the clinic roll-up, each validated field by field.

A summary file is data from another person's machine (DESIGN §3 rule 6): known codes only,
finite numbers in plausible ranges, and a refusal is one sentence naming the file and the field.
`read_summary` gives the whole validated file (the window lists who each file is from);
`read_weeks` gives only the few numbers per week a roll-up keeps, and `read_all` reads many
files that way, on every core when there are thousands.
"""

from __future__ import annotations

import functools
import json
import math
import multiprocessing
import os
import re
import threading
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from datetime import date
from pathlib import Path
from typing import Annotated, Literal, NamedTuple, NotRequired

from carelog.core.domain.codes import ErosionReason
from carelog.core.domain.errors import BadInput
from carelog.core.domain.fields import CarelogDate
from carelog.core.domain.timeutil import FIRST_YEAR, LAST_YEAR
from carelog.core.store.files import read_input
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    TypeAdapter,
    ValidationError,
    ValidationInfo,
    field_validator,
    with_config,
)
from typing_extensions import TypedDict

SUMMARY_FORMAT = "carelog-summary"
SUMMARY_VERSION = 2  # the newest summary version merge reads (it reads every older one)
WEEK_MINUTES = 7 * 24 * 60  # no weekly minute figure can exceed the minutes of a week
MAX_ATTAINMENT = 10.0
MAX_COUNT = 1_000  # block tags and escalations in one week: far above any real week
MAX_SUMMARY_BYTES = 64 * 1024 * 1024  # a century of weeks is a few megabytes

_REASON_CODES = frozenset(r.value for r in ErosionReason)


class _Strict(BaseModel):
    """Numbers must be finite; unknown keys are ignored (newer exports may add some)."""

    model_config = ConfigDict(extra="ignore", allow_inf_nan=False, defer_build=True)


class _Blocks(_Strict):
    booked_over_min: int = Field(ge=0, le=WEEK_MINUTES)
    reasons: dict[str, int] = Field(default_factory=dict)

    @field_validator("reasons")
    @classmethod
    def _known_reasons(cls, value: dict[str, int]) -> dict[str, int]:
        for code, count in value.items():
            if code not in _REASON_CODES:
                raise ValueError(f"'{code[:40]}' is not a reason Carelog knows")
            if not 0 <= count <= MAX_COUNT:
                raise ValueError(f"the count of {code} must be from 0 to {MAX_COUNT}")
        return value


SUPPRESSED: Literal["<11"] = "<11"
MAX_CASELOAD = 2_000  # the most a clinician's caseload may be (as when it is entered)
MAX_VISITS = 1_000  # appointments in one week: far above any real week
Count = int | Literal["<11"]


def _count_in(value: Count, high: int) -> Count:
    if isinstance(value, int) and not 0 <= value <= high:
        raise ValueError(f"must be from 0 to {high} or \"<11\"")
    return value


class _Flexible(_Strict):
    so_far_min: int = Field(default=0, ge=0, le=WEEK_MINUTES)
    ipc_min: int = Field(default=0, ge=0, le=WEEK_MINUTES)
    direct_min: int = Field(default=0, ge=0, le=WEEK_MINUTES)
    other_min: int = Field(default=0, ge=0, le=WEEK_MINUTES)
    unlogged_min: int = Field(default=0, ge=0, le=WEEK_MINUTES)


class _Escalations(_Strict):
    count: int = Field(ge=0, le=MAX_COUNT)
    responded: int = Field(ge=0, le=MAX_COUNT)
    resolved: int = Field(ge=0, le=MAX_COUNT)

    @field_validator("responded", "resolved")
    @classmethod
    def _within_count(cls, value: int, info: ValidationInfo) -> int:
        if value > info.data.get("count", MAX_COUNT):
            raise ValueError("cannot exceed the count of escalations")
        return value


class _Capacity(_Strict):
    caseload: Count
    return_not_offered: Count | None = None
    new_visits: Count = 0
    return_visits: Count = 0

    @field_validator("caseload", "return_not_offered")
    @classmethod
    def _patients(cls, value: Count | None) -> Count | None:
        return None if value is None else _count_in(value, MAX_CASELOAD)

    @field_validator("new_visits", "return_visits")
    @classmethod
    def _visits(cls, value: Count) -> Count:
        return _count_in(value, MAX_VISITS)


class _Week(_Strict):
    week: str = Field(pattern=r"^\d{4}-W\d{2}$")
    start: CarelogDate
    complete: bool = True  # version 1 files held complete weeks only
    scheduled_min: int = Field(ge=0, le=WEEK_MINUTES)
    expected_min: int = Field(ge=0, le=WEEK_MINUTES)
    target_min: int = Field(ge=0, le=WEEK_MINUTES)
    ipc_in_hours_min: int = Field(ge=0, le=WEEK_MINUTES)
    ipc_after_hours_min: int = Field(ge=0, le=WEEK_MINUTES)
    attainment: float | None = Field(default=None, ge=0, le=MAX_ATTAINMENT)
    status: Literal["met", "partly_met", "not_met", "no_target", "in_progress", "upcoming"]
    blocks: _Blocks
    # Version 2 fields; a version 1 file has none of them.
    flexible_min: int = Field(default=0, ge=0, le=WEEK_MINUTES)
    flexible: _Flexible | None = None
    days_without_break: int = Field(default=0, ge=0, le=7)
    escalations: _Escalations | None = None
    capacity: _Capacity | None = None

    @property
    def counts(self) -> bool:
        """True when this clinician-week counts toward a roll-up: over, and with a target."""
        return self.complete and self.status in ("met", "partly_met", "not_met")


class _Contract(_Strict):
    full_time_h: float = Field(default=40.0, gt=0, le=80)


class SummaryFile(_Strict):
    """A clinician's summary JSON as merge reads it."""

    model_config = ConfigDict(extra="ignore", populate_by_name=True, allow_inf_nan=False,
                              defer_build=True)

    format: Literal["carelog-summary"]
    version: int = Field(ge=1, le=SUMMARY_VERSION)
    contributor: str = Field(pattern=r"^[0-9A-Za-z_-]{1,64}$")
    display_name: str | None = Field(default=None, max_length=200)
    first: CarelogDate = Field(alias="from")
    last: CarelogDate = Field(alias="to")
    exported_at: str = Field(default="", max_length=40)
    contract: _Contract | None = None
    weeks: list[_Week] = Field(max_length=5_300)  # a century of weeks


def _reject_constant(name: str) -> float:
    raise ValueError(f"{name} is not a number JSON allows")


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"{text[:20]} is too large to be a number")
    return value


def _loc(parts: tuple[int | str, ...]) -> str:
    out = ""
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


# A number's shape, quickly: digits read as 0, an exponent's E as e, other hex letters as x,
# a sign as +, and every character that may end a JSON number (whitespace included) as a comma.
_SHAPES = bytes.maketrans(b"0123456789abcdfABCDEF+- \t\n\r\f\v}],",
                          b"0000000000xxxxxxxxxex++,,,,,,,,,")
# An exponent of three digits or more, ending where a JSON number may end.
_BIG_EXPONENT = re.compile(rb"e\+?000+,")
_LONG_DIGITS = b"0" * 200


def _holds(raw: bytes, word: bytes) -> bool:
    """True when raw holds word, found by its first letter (a capital: rare in a summary).

    A search for one byte is the fastest search there is, several times faster than one for
    a word; a summary holds only a few capitals, each then compared with the word.
    """
    at = raw.find(word[:1])
    while at >= 0:
        if raw.startswith(word, at):
            return True
        at = raw.find(word[:1], at + 1)
    return False


def needs_care(raw: bytes) -> bool:
    """True when only the careful reading can judge a file's numbers.

    That is a value that is not a finite number (NaN, Infinity) or a number a float may not
    hold (200 digits or more in a row, or an exponent of three digits or more), anywhere in the
    file, also under keys merge ignores. The quick reading would let those pass where merge
    never looks; a file holding one is read carefully, which refuses it as it always has. The
    test errs on the careful side: text that only looks like such a number costs time, nothing
    else. (A float needs at least 210 digits before its point to overflow with an exponent of
    two digits, so a shorter run of digits is safe.)
    """
    if _holds(raw, b"NaN") or _holds(raw, b"Infinity"):
        return True
    shapes = raw.translate(_SHAPES)
    if _LONG_DIGITS in shapes:
        return True
    return _BIG_EXPONENT.search(shapes) is not None


def read_summary(path: Path) -> SummaryFile:
    """Read and validate one summary file, naming the file in any refusal."""
    return _summary_of(path, read_input(path, "file", MAX_SUMMARY_BYTES))


def _summary_of(path: Path, raw: bytes) -> SummaryFile:
    """Validate the bytes of one summary file, naming the file in any refusal.

    Most files are read in one step by the model's own JSON reader, which ignores what merge
    does not need without building it. Anything that reader refuses, and every file holding a
    number that needs care, is read again the careful way, which accepts and refuses exactly
    what it always has and says why.
    """
    name = path.name
    if not needs_care(raw):
        try:
            return SummaryFile.model_validate_json(raw)
        except ValueError:
            pass
    try:
        data = json.loads(raw.decode("utf-8-sig"), parse_constant=_reject_constant,
                          parse_float=_finite_float)
    except UnicodeDecodeError:
        raise BadInput(f"The file {name} is not a Carelog summary: it is not text.",
                       field="file") from None
    except RecursionError:
        raise BadInput(f"The file {name} is not a Carelog summary: it is nested too deeply.",
                       field="file") from None
    except json.JSONDecodeError as exc:
        what = "is cut short" if exc.pos >= len(raw.decode("utf-8-sig", "replace").rstrip()) \
            else "is not valid JSON"
        raise BadInput(f"The file {name} {what} (line {exc.lineno}, column {exc.colno}).",
                       field="file") from None
    except ValueError as exc:  # NaN, Infinity, 1e309 or an integer of thousands of digits
        raise BadInput(f"The file {name} holds a number Carelog cannot accept ({exc}).",
                       field="file") from None
    if not isinstance(data, dict) or data.get("format") != SUMMARY_FORMAT:
        fmt = data.get("format") if isinstance(data, dict) else None
        shown = f"its format is '{fmt}'" if fmt else "it has no Carelog format marker"
        raise BadInput(f"The file {name} is not a Carelog summary: {shown}.", field="file")
    version = data.get("version")
    if not isinstance(version, int) or version < 1:
        raise BadInput(f"The file {name} has no valid summary version.", field="file")
    if version > SUMMARY_VERSION:
        raise BadInput(f"The file {name} was written by a newer Carelog (summary version "
                       f"{version}); update Carelog to merge it.", field="file")
    try:
        return SummaryFile.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        msg = str(err["msg"]).removeprefix("Value error, ")
        raise BadInput(f"The file {name} has a bad value at {_loc(err['loc'])}: "
                       f"{msg[0].lower()}{msg[1:]}.", field="file") from None



class Part(NamedTuple):
    """What a roll-up keeps of one clinician-week: the few numbers its figures are made of.

    `per_fte_min` is the week's IPC after hours per full-time week (by the file's contract);
    `reasons` the block reasons' counts (empty when none); `capacity` the four counts or None.
    """

    counts: bool
    attainment: float | None
    met: bool
    after_min: int
    per_fte_min: float
    booked_over_min: int
    reasons: tuple[tuple[str, int], ...]
    capacity: tuple[Count, Count | None, Count, Count] | None

    def __reduce__(self) -> tuple[object, tuple[type[Part], tuple[object, ...]]]:
        # Rebuilt in C when it comes back from a reading process, not by a Python __new__.
        return tuple.__new__, (Part, tuple(self))


_NO_REASONS: tuple[tuple[str, int], ...] = ()


def part_of(f: SummaryFile, w: _Week) -> Part:
    """The numbers a roll-up keeps of one week of a file."""
    full = (f.contract.full_time_h if f.contract else 40.0) * 60
    per_fte = w.ipc_after_hours_min / (w.scheduled_min / full) if w.scheduled_min else 0.0
    c = w.capacity
    return Part(w.counts, w.attainment, w.status == "met", w.ipc_after_hours_min, per_fte,
                w.blocks.booked_over_min,
                tuple(w.blocks.reasons.items()) if w.blocks.reasons else _NO_REASONS,
                None if c is None else (c.caseload, c.return_not_offered, c.new_visits,
                                        c.return_visits))


class FileWeeks(NamedTuple):
    """What a roll-up keeps of one summary file: whose export it is, when made, and its weeks.

    The weeks are three lists of the same length, in the file's order: each week's label
    (2026-W47), its first day as a day number (date.toordinal(), which a reading process sends
    back faster than a date) and its numbers.
    """

    name: str
    contributor: str
    exported_at: str
    labels: list[str]
    days: list[int]
    parts: list[Part]


def file_weeks(name: str, f: SummaryFile) -> FileWeeks:
    """The weeks a roll-up keeps of a summary file already read."""
    return FileWeeks(name, f.contributor, f.exported_at, [w.week for w in f.weeks],
                     [w.start.toordinal() for w in f.weeks], [part_of(f, w) for w in f.weeks])


# The quick reading: the same fields with the same ranges, checked by pydantic's compiled core
# in strict mode (a number must be a JSON number, a date a YYYY-MM-DD string, and so on), into
# plain dicts and lists. It accepts a subset of what SummaryFile accepts and gives the same
# values; whatever it refuses is read again by read_summary, which says why or accepts it.
_LEAN = ConfigDict(strict=True, allow_inf_nan=False)
_Minutes = Annotated[int, Field(ge=0, le=WEEK_MINUTES)]
_Tally = Annotated[int, Field(ge=0, le=MAX_COUNT)]
_Day = Annotated[date, Field(ge=date(FIRST_YEAR, 1, 1), le=date(LAST_YEAR, 12, 31))]
_Patients = Annotated[int, Field(ge=0, le=MAX_CASELOAD)] | Literal["<11"]
_Visits = Annotated[int, Field(ge=0, le=MAX_VISITS)] | Literal["<11"]


@with_config(_LEAN)
class _LeanBlocks(TypedDict):
    booked_over_min: _Minutes
    reasons: NotRequired[dict[str, _Tally]]  # the codes are checked as the week is kept


@with_config(_LEAN)
class _LeanFlexible(TypedDict):
    so_far_min: NotRequired[_Minutes]
    ipc_min: NotRequired[_Minutes]
    direct_min: NotRequired[_Minutes]
    other_min: NotRequired[_Minutes]
    unlogged_min: NotRequired[_Minutes]


@with_config(_LEAN)
class _LeanEscalations(TypedDict):
    count: _Tally
    responded: _Tally  # no more than count: checked as the week is kept
    resolved: _Tally


@with_config(_LEAN)
class _LeanCapacity(TypedDict):
    caseload: _Patients
    return_not_offered: NotRequired[_Patients | None]
    new_visits: NotRequired[_Visits]
    return_visits: NotRequired[_Visits]


@with_config(_LEAN)
class _LeanWeek(TypedDict):
    week: Annotated[str, Field(pattern=r"^\d{4}-W\d{2}$")]
    start: _Day
    complete: NotRequired[bool]
    scheduled_min: _Minutes
    expected_min: _Minutes
    target_min: _Minutes
    ipc_in_hours_min: _Minutes
    ipc_after_hours_min: _Minutes
    attainment: NotRequired[Annotated[float, Field(ge=0, le=MAX_ATTAINMENT)] | None]
    status: Literal["met", "partly_met", "not_met", "no_target", "in_progress", "upcoming"]
    blocks: _LeanBlocks
    flexible_min: NotRequired[_Minutes]
    flexible: NotRequired[_LeanFlexible | None]
    days_without_break: NotRequired[Annotated[int, Field(ge=0, le=7)]]
    escalations: NotRequired[_LeanEscalations | None]
    capacity: NotRequired[_LeanCapacity | None]


@with_config(_LEAN)
class _LeanContract(TypedDict):
    full_time_h: NotRequired[Annotated[float, Field(gt=0, le=80)]]


@with_config(_LEAN)
class _LeanFile(TypedDict):
    format: Literal["carelog-summary"]
    version: Annotated[int, Field(ge=1, le=SUMMARY_VERSION)]
    contributor: Annotated[str, Field(pattern=r"^[0-9A-Za-z_-]{1,64}$")]
    display_name: NotRequired[Annotated[str, Field(max_length=200)] | None]
    first: Annotated[_Day, Field(alias="from")]
    last: Annotated[_Day, Field(alias="to")]
    exported_at: NotRequired[Annotated[str, Field(max_length=40)]]
    contract: NotRequired[_LeanContract | None]
    weeks: Annotated[list[_LeanWeek], Field(max_length=5_300)]


@functools.cache
def _lean_adapter() -> TypeAdapter[_LeanFile]:
    """The quick reading's validator, built once, when first needed (not at start-up)."""
    return TypeAdapter(_LeanFile)


_COUNTED = frozenset(("met", "partly_met", "not_met"))


def _lean_weeks(name: str, data: _LeanFile) -> FileWeeks | None:
    """The weeks a roll-up keeps of a quickly read file, or None when a check remains unmet.

    The checks left to Python are the ones pydantic's core cannot state: reason codes Carelog
    knows, and escalations answered no more often than made.
    """
    contract = data.get("contract")
    full = (contract.get("full_time_h", 40.0) if contract else 40.0) * 60
    weeks = data["weeks"]
    parts = []
    for w in weeks:
        blocks = w["blocks"]
        reasons = blocks.get("reasons")
        if reasons and not reasons.keys() <= _REASON_CODES:
            return None
        esc = w.get("escalations")
        if esc is not None and (esc["responded"] > esc["count"] or
                                esc["resolved"] > esc["count"]):
            return None
        c = w.get("capacity")
        status = w["status"]
        after = w["ipc_after_hours_min"]
        scheduled = w["scheduled_min"]
        parts.append(Part(
            w.get("complete", True) and status in _COUNTED, w.get("attainment"),
            status == "met", after, after / (scheduled / full) if scheduled else 0.0,
            blocks["booked_over_min"], tuple(reasons.items()) if reasons else _NO_REASONS,
            None if c is None else (c["caseload"], c.get("return_not_offered"),
                                    c.get("new_visits", 0), c.get("return_visits", 0))))
    return FileWeeks(name, data["contributor"], data.get("exported_at", ""),
                     [w["week"] for w in weeks], [w["start"].toordinal() for w in weeks], parts)


def read_weeks(path: Path) -> FileWeeks:
    """Read and validate one summary file for a roll-up, naming the file in any refusal.

    It accepts and refuses exactly what read_summary does and keeps the same numbers: most
    files pass the quick reading, and any other is handed to read_summary.
    """
    raw = read_input(path, "file", MAX_SUMMARY_BYTES)
    if not needs_care(raw):
        try:
            kept = _lean_weeks(path.name, _lean_adapter().validate_json(raw))
        except ValueError:
            kept = None
        if kept is not None:
            return kept
    return file_weeks(path.name, _summary_of(path, raw))


class _Refused(NamedTuple):
    """A refusal as it comes back from a reading process: its sentence and its field."""

    message: str
    field: str | None


def _read_or_refusal(path: Path) -> FileWeeks | _Refused:
    try:
        return read_weeks(path)
    except BadInput as exc:
        return _Refused(exc.message, exc.field)


POOL_FROM = 200  # files; fewer are read faster here than a second process can start


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on every system
        return os.cpu_count() or 1


def _leave_with_the_parent() -> None:
    """In a reading process: end it as soon as the merge that started it is gone.

    A merge killed outright (SIGKILL, a closed terminal) cannot stop its reading processes, and
    they would wait for work for ever; a watch on the parent's id ends them instead.
    """
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, name="merge-parent-watch", daemon=True).start()


def read_all(paths: Sequence[Path]) -> Iterator[FileWeeks]:
    """Read the files for a roll-up in their order, refusing at the first bad one.

    Thousands of files are read by as many processes as there are cores (at most four, each a
    copy of this one where the system can make them), and each file's weeks come back in the
    files' order, so the roll-up is the same, byte for byte, as when read one by one. A
    process that dies ends the merge with an error instead of leaving it waiting.
    """
    workers = min(_cores(), 4)
    # A copy of a process made while another of its threads runs may hang on a lock that
    # thread held; the command line reads from its only thread.
    if len(paths) < POOL_FROM or workers < 2 or threading.active_count() > 1 or \
            "fork" not in multiprocessing.get_all_start_methods():
        for path in paths:
            yield read_weeks(path)
        return
    pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"),
                               initializer=_leave_with_the_parent)
    try:
        for got in pool.map(_read_or_refusal, paths, chunksize=32):
            if isinstance(got, _Refused):
                raise BadInput(got.message, field=got.field)
            yield got
    finally:
        # After a refusal the files not yet read are dropped, not read for nothing.
        pool.shutdown(cancel_futures=True)
