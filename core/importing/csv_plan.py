"""Planning a spreadsheet's rows: each row's dates, times, category, note and source as drafts.

The table itself (encoding, delimiter, header, columns) is read by `csv_table`. Dates such as
03/04/2026 are read day-first or month-first only when some row of the file shows which (a day
above 12), or when the user says so; the import never guesses.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from carelog.core.domain.csv_cells import csv_unescape
from carelog.core.domain.errors import BadInput, DateOrderNeeded, Remedy
from carelog.core.domain.models import MAX_ENTRY_MINUTES, Source, make_entry
from carelog.core.domain.timeutil import MINUTE, YEARS_TEXT, in_years, now_instant
from carelog.core.importing.csv_table import ColumnMapping, CsvTable, DateOrder, read_table
from carelog.core.importing.plan import Draft, ImportPlan
from carelog.core.importing.rows import PREVIEW_ROWS, CsvRows, plan_rows
from carelog.core.importing.text_files import bulk_work
from carelog.core.store.database import Store

FIELDS = ("date", "start", "end", "minutes", "category", "note")
_DATE = (r"(?:(?P<iso>(?P<y>\d{4})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2}))"
         r"|(?P<other>(?P<a>\d{1,2})(?P<sep>[-/.])(?P<b>\d{1,2})(?P=sep)(?P<yy>\d{4}|\d{2})))")
_TIME = r"(?P<time>(?P<hh>\d{1,2}):(?P<mm>\d{2})(?::(?P<ss>\d{2}))?\s*(?P<ampm>[AaPp]\.?[Mm]\.?)?)"
_WHEN = re.compile(rf"^\s*(?:{_DATE}(?:[ T]+|$))?{_TIME}?\s*$")
# Minutes are a whole number (a spreadsheet may write 30 as 30.0); never nan, inf or 1e3.
_WHOLE = re.compile(r"^\s*(\d{1,7})(?:[.,]0+)?\s*$")
_SOURCES = {s.value for s in Source}


# ----------------------------------------------------------------------------- dates and times

@dataclass(frozen=True, slots=True)
class _When:
    """A cell split into what it says: a date (maybe ambiguous) and a time of day."""

    iso: date | None
    a: int | None  # the first number of a dd/mm or mm/dd date
    b: int | None
    year: int | None
    minute: int | None  # minutes after midnight

    @property
    def has_date(self) -> bool:
        return self.iso is not None or self.a is not None


def full_year(two_digits: int, this_year: int) -> int:
    """The year a two-digit year means: the one nearest this year (99 in 2026 is 1999)."""
    century = this_year // 100 * 100
    candidates = (century - 100 + two_digits, century + two_digits, century + 100 + two_digits)
    return min(candidates, key=lambda y: (abs(y - this_year), y))


def _parse_when(text: str, row: int, name: str, column: str, this_year: int) -> _When:
    m = _WHEN.match(text)
    if not m or not (m["iso"] or m["other"] or m["time"]):
        raise BadInput(f"Row {row} of {name} has '{text}' in the {column} column, which is not "
                       "a date or a time.", field=column)
    iso = None
    if m["iso"]:
        try:
            iso = date(int(m["y"]), int(m["m"]), int(m["d"]))
        except ValueError as exc:
            raise BadInput(f"Row {row} of {name} has the date '{m['iso']}', which does not exist "
                           "on the calendar.", field=column) from exc
        if not in_years(iso):
            raise BadInput(f"Row {row} of {name} has the date '{m['iso']}', which is outside "
                           f"{YEARS_TEXT}.", field=column)
    a = b = year = None
    if m["other"]:
        a, b = int(m["a"]), int(m["b"])
        year = full_year(int(m["yy"]), this_year) if len(m["yy"]) == 2 else int(m["yy"])
    minute = None
    if m["time"]:
        hh, mm = int(m["hh"]), int(m["mm"])
        if m["ss"] and int(m["ss"]):
            raise BadInput(f"Row {row} of {name} has the time '{m['time']}' with seconds; "
                           "Carelog keeps whole minutes.", field=column)
        ampm = (m["ampm"] or "").lower().replace(".", "")
        if ampm and not 1 <= hh <= 12:
            hh = 99
        elif ampm == "am":
            hh = 0 if hh == 12 else hh
        elif ampm == "pm":
            hh = 12 if hh == 12 else hh + 12
        if hh > 23 or mm > 59:
            raise BadInput(f"Row {row} of {name} has the time '{m['time']}', which is not a "
                           "time of day.", field=column)
        minute = hh * 60 + mm
    return _When(iso, a, b, year, minute)


class _Evidence:
    """What the rows show about the order of dd/mm/yyyy-style dates: the first row of each kind.

    Kept as it is read, so a file of a million rows needs no list of its dates.
    """

    def __init__(self) -> None:
        self.dmy: tuple[int, str] | None = None
        self.mdy: tuple[int, str] | None = None
        self.ambiguous: tuple[int, str] | None = None

    def see(self, row: int, text: str, w: _When) -> None:
        """Note a dd/mm-style date cell (its first reading in the file)."""
        if w.a is None or w.b is None:
            return
        if w.a > 12 >= w.b and self.dmy is None:
            self.dmy = (row, text)
        elif w.b > 12 >= w.a and self.mdy is None:
            self.mdy = (row, text)
        elif w.a != w.b and w.a <= 12 and w.b <= 12 and self.ambiguous is None:
            self.ambiguous = (row, text)


def _date_order(seen: _Evidence, name: str, given: DateOrder | None) -> DateOrder | None:
    """The order of dd/mm/yyyy-style dates in the file: said by the user, or shown by a row."""
    if given is not None:
        return given
    dmy, mdy, ambiguous = seen.dmy, seen.mdy, seen.ambiguous
    if dmy and mdy:
        raise BadInput(f"Row {dmy[0]} of {name} writes the day first ('{dmy[1]}') but row "
                       f"{mdy[0]} writes the month first ('{mdy[1]}'); make them agree.",
                       field="date")
    if dmy:
        return "dmy"
    if mdy:
        return "mdy"
    if ambiguous:
        row, text = ambiguous
        raise DateOrderNeeded(f"Row {row} of {name} has the date '{text}', which could be "
                              "day-month or month-day.", field="date",
                              remedy=Remedy.DATE_ORDER)
    return None


def _the_date(w: _When, order: DateOrder | None, row: int, name: str, text: str) -> date:
    if w.iso is not None:
        return w.iso
    assert w.a is not None and w.b is not None and w.year is not None
    day, month = (w.a, w.b) if order == "dmy" else (w.b, w.a)
    if order is None:  # only possible when both numbers are equal
        day = month = w.a
    try:
        found = date(w.year, month, day)
    except ValueError as exc:
        how = "day-month-year" if order == "dmy" else "month-day-year"
        raise BadInput(f"Row {row} of {name} has the date '{text}', which is not a date in "
                       f"{how} order.", field="date") from exc
    if not in_years(found):
        raise BadInput(f"Row {row} of {name} has the date '{text}', which is outside "
                       f"{YEARS_TEXT}.", field="date")
    return found


class _Clock:
    """Local date and minute to UTC instants in one zone, fast on days without a clock change."""

    def __init__(self, tz: ZoneInfo) -> None:
        self.tz = tz
        self._days: dict[date, int | None] = {}

    def _plain_midnight(self, d: date) -> int | None:
        """The instant of midnight when the day has no clock change, else None."""
        if d not in self._days:
            start = datetime.combine(d, time(0), tzinfo=self.tz)
            nxt = datetime.combine(d + timedelta(days=1), time(0), tzinfo=self.tz)
            plain = (start.utcoffset() == nxt.utcoffset()
                     == start.replace(fold=1).utcoffset())
            self._days[d] = int(start.timestamp()) if plain else None
        return self._days[d]

    def instants(self, d: date, minute: int, row: int, name: str, column: str
                 ) -> tuple[int, int]:
        """The instant(s) of a local time: the two differ in the hour clocks go back."""
        midnight = self._plain_midnight(d)
        if midnight is not None:
            t = midnight + minute * MINUTE
            return t, t
        naive = datetime.combine(d, time(0)) + timedelta(minutes=minute)
        first = int(naive.replace(tzinfo=self.tz, fold=0).timestamp())
        if datetime.fromtimestamp(first, self.tz).replace(tzinfo=None) != naive:
            raise BadInput(f"Row {row} of {name} has the {column} {naive:%Y-%m-%d %H:%M}, which "
                           f"does not exist in {self.tz.key}: clocks skip that hour for daylight "
                           "saving.", field=column)
        return first, int(naive.replace(tzinfo=self.tz, fold=1).timestamp())


# ----------------------------------------------------------------------------- planning

def _column(table: CsvTable, mapping: ColumnMapping, fld: str) -> int | None:
    header_name = getattr(mapping, fld)
    if header_name is None:
        return None
    lowered = [h.lower() for h in table.header]
    if header_name.lower() not in lowered:
        raise BadInput(f"The file {table.name} has no column named '{header_name}' (for the "
                       f"{fld}).", field=fld)
    return lowered.index(header_name.lower())


def _require(table: CsvTable, mapping: ColumnMapping) -> None:
    if mapping.start is None:
        raise BadInput(f"The file {table.name} has no column for the start.",
                       field="start", remedy=Remedy.NAME_COLUMN,
                       about=("start",))
    if mapping.category is None:
        raise BadInput(f"The file {table.name} has no column for the category.",
                       field="category", remedy=Remedy.NAME_COLUMN,
                       about=("category",))
    if mapping.end is None and mapping.minutes is None:
        raise BadInput(f"The file {table.name} has no column for the end or the "
                       "minutes.", field="end",
                       remedy=Remedy.NAME_COLUMN, about=("end", "minutes"))


def _minutes(text: str, row: int, name: str) -> int:
    m = _WHOLE.match(text)
    if m is None or int(m[1]) == 0:
        shown = text if len(text) <= 20 else text[:17] + "..."
        raise BadInput(f"Row {row} of {name} has '{shown}' minutes; write a whole number above "
                       "0.", field="minutes")
    return int(m[1])


def read_rows(store: Store, table: CsvTable, mapping: ColumnMapping | None = None,
              date_order: DateOrder | None = None) -> CsvRows:
    """Every row read into columns; the first bad row is BadInput naming it (nothing imported).

    Two passes over the file: the first finds the order of dd/mm-style dates (a row anywhere may
    show it), the second reads each row's category, times, note and source.
    """
    mapping = mapping or table.detected_mapping()
    _require(table, mapping)
    col = {fld: _column(table, mapping, fld) for fld in FIELDS}
    if not table.carelog:
        col["note"] = None  # notes come only from Carelog's own file (privacy: see the module)
    reader = _Reader(table.name, col, _Clock(store.tz))
    if date_order is None and not table.carelog:  # Carelog's own file writes ISO dates
        for row, cells in table.rows():
            reader.cells(row, cells)
    reader.order = _date_order(reader.evidence, table.name, date_order)
    source_col = table.header.index("source") if table.carelog else None
    resolve_category = store.categories.resolve
    categories: dict[str, int] = {}
    out = CsvRows(table.name)
    for row, cells in table.rows():
        cell = cells[col["category"] or 0].strip()
        index = categories.get(cell)
        if index is None:
            category = resolve_category(cell) if cell else None
            if category is None:
                raise BadInput(f"Row {row} of {table.name} has the category '{cell}', which "
                               "Carelog does not know.", field="category",
                               remedy=Remedy.ADD_CATEGORY)
            index = categories[cell] = out.category_index(category)
        start, end = reader.times(row, cells, reader.cells(row, cells))
        note = csv_unescape(cells[col["note"]]) if col["note"] is not None else ""
        source = Source.IMPORT_CSV
        if source_col is not None and cells[source_col].strip() in _SOURCES:
            source = Source(cells[source_col].strip())
        if not 0 < end - start <= MAX_ENTRY_MINUTES * MINUTE:
            try:  # the model's own sentence says what is wrong
                make_entry(category=out.categories[index], start=start, end=end, note=note,
                           source=source)
            except BadInput as exc:
                text = exc.message[0].lower() + exc.message[1:]
                raise BadInput(f"Row {row} of {table.name}: {text}", field=exc.field) from None
        out.append(row, start, end, index, source, note)
    return out


def drafts_from_table(store: Store, table: CsvTable, mapping: ColumnMapping | None = None,
                      date_order: DateOrder | None = None) -> list[Draft]:
    """Every row as a draft (for small files and tests; imports use read_rows)."""
    rows = read_rows(store, table, mapping, date_order)
    return [rows.draft(i) for i in range(len(rows))]


_Whens = tuple[_When | None, _When | None, _When | None]  # date, start, end


class _Reader:
    """Reads the date and time cells of one file, remembering what it has read already.

    The memory of cells already read is bounded (a file written by carelog list has a different
    start on every row), so reading a million rows keeps no more than the last few thousand.
    """

    CACHE = 20_000

    def __init__(self, name: str, col: dict[str, int | None], clock: _Clock) -> None:
        self.name = name
        self.col = col
        self.clock = clock
        self.order: DateOrder | None = None
        self.this_year = datetime.fromtimestamp(now_instant(), clock.tz).year
        self.evidence = _Evidence()
        self._seen_ambiguous: set[str] = set()
        self._whens: dict[str, _When] = {}
        self._dates: dict[str, date] = {}

    def _when(self, cells: list[str], fld: str, row: int) -> _When | None:
        i = self.col[fld]
        if i is None:
            return None
        text = cells[i].strip()
        if not text:
            return None
        w = self._whens.get(text)
        if w is None:
            if len(self._whens) > self.CACHE:
                self._whens.clear()
            w = self._whens[text] = _parse_when(text, row, self.name, fld, self.this_year)
        if w.a is not None and text not in self._seen_ambiguous:
            if len(self._seen_ambiguous) < self.CACHE:
                self._seen_ambiguous.add(text)
            self.evidence.see(row, text, w)
        return w

    def cells(self, row: int, cells: list[str]) -> _Whens:
        """Parse the date, start and end cells of a row (the date order is decided later)."""
        return (self._when(cells, "date", row), self._when(cells, "start", row),
                self._when(cells, "end", row))

    def _day(self, cells: list[str], w: _When | None, fld: str, date_w: _When | None,
             row: int) -> date | None:
        """The date a start or end cell means: its own date, else the date column's."""
        if w is None or not w.has_date:
            fld, w = "date", date_w
        if w is None:
            return None
        if w.iso is not None:
            return w.iso
        text = cells[self.col[fld] or 0].strip()
        d = self._dates.get(text)
        if d is None:
            if len(self._dates) > self.CACHE:
                self._dates.clear()
            d = self._dates[text] = _the_date(w, self.order, row, self.name, text)
        return d

    def times(self, row: int, cells: list[str], whens: _Whens) -> tuple[int, int]:
        """A row's start and end instants."""
        name = self.name
        date_w, start_w, end_w = whens
        if start_w is None or start_w.minute is None:
            raise BadInput(f"Row {row} of {name} has no start time.", field="start")
        start_day = self._day(cells, start_w, "start", date_w, row)
        if start_day is None:
            raise BadInput(f"Row {row} of {name} has no date.", field="date")
        starts = self.clock.instants(start_day, start_w.minute, row, name, "start")
        i = self.col["minutes"]
        minutes_text = cells[i].strip() if i is not None else ""
        minutes = _minutes(minutes_text, row, name) if minutes_text else None
        if end_w is not None:
            if end_w.minute is None:
                raise BadInput(f"Row {row} of {name} has an end without a time.", field="end")
            end_day = self._day(cells, end_w, "end", date_w, row) or start_day
            if not end_w.has_date and end_w.minute <= start_w.minute:
                end_day = start_day + timedelta(days=1)  # it runs past midnight
            ends = self.clock.instants(end_day, end_w.minute, row, name, "end")
            start, end = _pick(starts, ends, minutes)
            if minutes is not None and end > start and end - start != minutes * MINUTE:
                raise BadInput(f"Row {row} of {name} runs {(end - start) // MINUTE} minutes from "
                               f"its start to its end but says {minutes} in the minutes column; "
                               "correct one of them.", field="minutes")
            return start, end
        if minutes is not None:
            return starts[0], starts[0] + minutes * MINUTE
        raise BadInput(f"Row {row} of {name} has neither an end nor minutes.", field="end")


def _pick(starts: tuple[int, int], ends: tuple[int, int], minutes: int | None
          ) -> tuple[int, int]:
    """Start and end, using the minutes to tell apart the two readings of a repeated hour."""
    if minutes is not None and ends[0] - starts[0] != minutes * MINUTE:
        for s in starts:
            for e in ends:
                if e - s == minutes * MINUTE:
                    return s, e
    return starts[0], ends[0]


def plan_csv(store: Store, source: Path | CsvTable, mapping: ColumnMapping | None = None,
             date_order: DateOrder | None = None, preview: bool = True) -> ImportPlan:
    """What importing this spreadsheet would do (nothing is written).

    The rows are held in columns, not as objects, so a million of them fit in a few tens of
    megabytes; the preview's rows (`plan.rows`) are the first PREVIEW_ROWS of them (none when
    `preview` is false: an import with no preview), and the counts and the import itself cover
    every row.
    """
    table = source if isinstance(source, CsvTable) else read_table(source)
    with bulk_work():
        rows = read_rows(store, table, mapping, date_order)
        plan = plan_rows(store, rows, preview_rows=PREVIEW_ROWS if preview else 0)
    if not table.carelog and table.has_note_column:
        return plan.model_copy(update={"warnings": (
            *plan.warnings, "The note column was left out: notes are imported only from "
            "Carelog's own personal CSV.")})
    return plan
