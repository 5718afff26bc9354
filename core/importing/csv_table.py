"""Reading a spreadsheet (CSV) of logged time: its encoding, delimiter, header and columns.

The encoding (UTF-8, UTF-8 with BOM, UTF-16, cp1252) and the delimiter (comma, semicolon, tab)
are told from the file. The columns are found from the header and can be confirmed or changed
(`ColumnMapping`) before planning (`csv_plan`). Only the date, start, end, minutes and category
columns are read; every other column is dropped before anything is kept. The note column is read
only from the file `carelog list --format csv` writes (the therapist's own log, which has notes
already), and from that file the source column too, so that such a file imports back into the
same log.
"""

from __future__ import annotations

import csv
import io
import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from carelog.core.domain.errors import BadInput
from carelog.core.importing.text_files import check_text, sniff_encoding
from carelog.core.store.files import open_input
from pydantic import BaseModel, ConfigDict

DateOrder = Literal["dmy", "mdy"]
# The columns `carelog list --format csv` writes (a test checks them against
# carelog.core.cli.entries).
CARELOG_COLUMNS = ("id", "category", "start", "end", "minutes", "note", "source")
DELIMITERS = ",;\t"
_DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab"}

_SYNONYMS: dict[str, tuple[str, ...]] = {
    "date": ("date", "day", "datum", "fecha"),
    "start": ("start", "starttime", "starts", "begin", "begins", "from", "time", "startdatetime"),
    "end": ("end", "endtime", "ends", "finish", "until", "to", "stop", "enddatetime"),
    "minutes": ("minutes", "mins", "min", "duration", "durationmin", "durationminutes",
                "length", "lengthmin"),
    "category": ("category", "activity", "type", "kind", "task", "what"),
    "note": ("note", "notes"),
}
MAX_CSV_ROWS = 1_000_000
MAX_CSV_BYTES = 256 * 1024 * 1024
LIMIT_TEXT = f"{MAX_CSV_BYTES // 2**20} MB"
HEAD_BYTES = 256 * 1024
# A cell may be as long as the file (a long note in Carelog's own CSV): the csv module's default
# limit of 128 KB would break the round trip of such a note.
csv.field_size_limit(max(csv.field_size_limit(), MAX_CSV_BYTES))


class ColumnMapping(BaseModel):
    """Which header names hold the date, start, end, minutes, category and note."""

    model_config = ConfigDict(frozen=True, defer_build=True)

    date: str | None = None
    start: str | None = None
    end: str | None = None
    minutes: str | None = None
    category: str | None = None
    note: str | None = None


@dataclass
class CsvTable:
    """A spreadsheet checked and ready to read: its header, encoding, delimiter and row count.

    The rows themselves are not held: `rows()` reads them again from the file (or the text) each
    time, so a file of a million rows costs memory only for the row being read.
    """

    name: str
    encoding: str
    delimiter: str
    header: list[str]
    row_count: int
    carelog: bool
    lines: Callable[[], Iterator[str]] = field(repr=False)

    def rows(self) -> Iterator[tuple[int, list[str]]]:
        """(row number, cells) of every row that is not blank, after the header."""
        reader = csv.reader(self.lines(), delimiter=self.delimiter)
        width = len(self.header)
        seen_header = False
        number = 0
        try:
            for number, cells in enumerate(reader, start=1):
                if not any(c.strip() for c in cells):
                    continue
                if not seen_header:
                    seen_header = True
                    continue
                if len(cells) != width:
                    raise BadInput(f"Row {number} of {self.name} has {len(cells)} fields but "
                                   f"the header has {width}.", field="file")
                yield number, cells
        except csv.Error as exc:
            raise BadInput(f"Row {number + 1} of {self.name} is not valid CSV ({exc}).",
                           field="file") from exc

    @property
    def delimiter_name(self) -> str:
        """'comma', 'semicolon' or 'tab'."""
        return _DELIMITER_NAMES.get(self.delimiter, repr(self.delimiter))

    @property
    def has_note_column(self) -> bool:
        """True when a column's name says it holds notes (read or not)."""
        simple = {re.sub(r"[^a-z0-9]", "", h.lower()) for h in self.header}
        return bool(simple & set(_SYNONYMS["note"]))

    def detected_mapping(self) -> ColumnMapping:
        """The mapping read from the header (a window shows it for the user to confirm)."""
        if self.carelog:
            return ColumnMapping(start="start", end="end", minutes="minutes",
                                 category="category", note="note")
        found: dict[str, str] = {}
        for name in self.header:
            simple = re.sub(r"[^a-z0-9]", "", name.lower())
            for fld, words in _SYNONYMS.items():
                if fld not in found and simple in words:
                    found[fld] = name
                    break
        found.pop("note", None)
        return ColumnMapping(**found)


# ----------------------------------------------------------------------------- reading

def _delimiter(text: str) -> str:
    first = text.split("\n", 1)[0]
    for d in DELIMITERS:
        if tuple(c.strip().lower() for c in first.split(d)) == CARELOG_COLUMNS:
            return d
    try:
        sample = "\n".join(text[:65536].split("\n")[:50])
        found = csv.Sniffer().sniff(sample, delimiters=DELIMITERS).delimiter
        if found in DELIMITERS:
            return found
    except csv.Error:
        pass
    counts = {d: first.count(d) for d in DELIMITERS}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def read_table(path: Path) -> CsvTable:
    """Check a CSV file: encoding, delimiter, header, and every row's width and syntax.

    The file is read as a stream, never held whole. Refused (BadInput naming the file or the
    row): a folder, a device or a pipe; a file over MAX_CSV_BYTES or with more than
    MAX_CSV_ROWS rows; binary data; text that is neither UTF-8 (with or without a BOM), UTF-16
    nor Windows-1252; a ragged row or a bad quote.
    """
    name = path.name
    fd = open_input(path, "spreadsheet", MAX_CSV_BYTES, LIMIT_TEXT)
    with os.fdopen(fd, "rb") as fh:
        head = fh.read(HEAD_BYTES)
    encoding = sniff_encoding(head)
    candidates = [encoding] if encoding else ["utf-8", "cp1252"]
    wrong = 0
    for enc in candidates:
        def lines(enc: str = enc) -> Iterator[str]:
            return _file_lines(path, enc)
        try:
            text_head = head.decode(enc, errors="ignore")[:65536]
            check_text(text_head, name, "spreadsheet")
            return _scan(text_head, name, enc, lines)
        except _WrongEncoding as exc:
            wrong = exc.row
            continue
    check_text(head.decode("latin-1")[:65536], name, "spreadsheet")
    raise BadInput(f"The file {name} is text in an encoding Carelog does not read (row {wrong} "
                   "is neither UTF-8 nor Windows-1252); save it as UTF-8 and import it again.",
                   field="file")


class _WrongEncoding(Exception):
    """The text stopped decoding at a row (the file is in another encoding)."""

    def __init__(self, row: int) -> None:
        super().__init__(row)
        self.row = row


def _file_lines(path: Path, encoding: str) -> Iterator[str]:
    """The lines of a file decoded strictly, read a block at a time."""
    fd = open_input(path, "spreadsheet", MAX_CSV_BYTES, LIMIT_TEXT)
    with io.TextIOWrapper(os.fdopen(fd, "rb"), encoding=encoding, errors="strict",
                          newline="") as fh:
        yield from fh


def parse_table(text: str, name: str, encoding: str = "utf-8") -> CsvTable:
    """Check CSV text already in memory (as read_table checks a file)."""
    check_text(text[:65536], name, "spreadsheet")

    def lines() -> Iterator[str]:
        return iter(io.StringIO(text, newline=""))

    return _scan(text[:65536], name, encoding, lines)


def _scan(head: str, name: str, encoding: str, lines: Callable[[], Iterator[str]]) -> CsvTable:
    """Read the header and check every row once; decoding errors surface from here."""
    delimiter = _delimiter(head)
    reader = csv.reader(lines(), delimiter=delimiter)
    header: list[str] | None = None
    count = 0
    number = 0
    width = 0
    try:
        for number, cells in enumerate(reader, start=1):
            if not any(c.strip() for c in cells):
                continue
            if header is None:
                header = [c.strip() for c in cells]
                width = len(header)
                continue
            if len(cells) != width:
                raise BadInput(f"Row {number} of {name} has {len(cells)} fields but the header "
                               f"has {width}.", field="file")
            count += 1
            if count > MAX_CSV_ROWS:
                raise BadInput(f"The file {name} has more than {MAX_CSV_ROWS:,} rows; Carelog "
                               f"imports up to {MAX_CSV_ROWS:,} rows at a time, so split the "
                               "file.", field="file")
    except csv.Error as exc:
        raise BadInput(f"Row {number + 1} of {name} is not valid CSV ({exc}).",
                       field="file") from exc
    except UnicodeDecodeError:
        raise _WrongEncoding(number + 1) from None
    if header is None:
        raise BadInput(f"The file {name} is empty.", field="file")
    if not count:
        raise BadInput(f"The file {name} has a header but no rows.", field="file")
    named = [h for h in header if h]
    for h in named:
        if named.count(h) > 1:
            raise BadInput(f"The header of {name} names the column '{h}' twice.", field="file")
    carelog = tuple(h.lower() for h in header) == CARELOG_COLUMNS
    return CsvTable(name, encoding, delimiter, header, count, carelog, lines)
