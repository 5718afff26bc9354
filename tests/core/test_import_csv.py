"""Spreadsheet import: encodings, delimiters, columns, date order, bad files, the round trip."""

from __future__ import annotations

import contextlib
import io
import itertools
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from carelog.core.domain.categories import BUILTIN
from carelog.core.domain.errors import BadInput
from carelog.core.domain.history import Via
from carelog.core.domain.models import Entry, Source
from carelog.core.domain.timeutil import MINUTE, format_local, parse_local
from carelog.core.importing.csv_plan import plan_csv
from carelog.core.importing.csv_table import CARELOG_COLUMNS, ColumnMapping, DateOrder, read_table
from carelog.core.importing.plan import RowAction, apply_plan
from carelog.core.store.database import Store
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.core.test_import_ics import all_stored_text, logged, run_import

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "import"
LA_ZONE = ZoneInfo("America/Los_Angeles")


def import_csv(store: Store, path: Path, **kwargs: object) -> None:
    apply_plan(store, plan_csv(store, path, **kwargs))  # type: ignore[arg-type]


def refused(store: Store, path: Path, match: str, date_order: DateOrder | None = None) -> None:
    """Planning the spreadsheet is refused with one sentence that matches `match`."""
    with pytest.raises(BadInput, match=match):
        plan_csv(store, path, date_order=date_order)


# ----------------------------------------------------------------------------- what is imported

@pytest.mark.parametrize(("name", "encoding", "delimiter", "expected"), [
    ("semicolon_dmy_cp1252.csv", "cp1252", "semicolon", [
        ("2026-03-03 09:00", "09:50", "individual"),  # "Session", day first: 16/03 says so
        ("2026-03-04 10:00", "10:20", "documentation"),  # "Charting"
        ("2026-03-16 13:00", "13:10", "messages")]),  # "msg"
    ("tab_mdy_utf16.csv", "utf-16", "tab", [
        ("2026-03-04 09:00", "09:50", "individual"),  # month first: 03/16 says so
        ("2026-03-16 13:30", "13:55", "treatment_planning")]),  # 1:30 PM + 25 minutes
    ("comma_iso_utf8_bom.csv", "utf-8-sig", "comma", [
        ("2026-03-16 09:00", "09:50", "individual"),
        ("2026-03-16 23:30", "2026-03-17 00:15", "documentation")]),  # across midnight
])
def test_encodings_delimiters_and_columns_are_told_from_the_file(
        store: Store, name: str, encoding: str, delimiter: str,
        expected: list[tuple[str, str, str]]) -> None:
    table = read_table(FIXTURES / name)
    assert (table.encoding, table.delimiter_name) == (encoding, delimiter)
    import_csv(store, FIXTURES / name)
    got = [(format_local(x.start, store.tz), format_local(x.end, store.tz), x.category)
           for x in store.all_entries()]
    assert got == [(s, e if len(e) > 5 else f"{s[:10]} {e}", c) for s, e, c in expected]
    assert all(x.source == "import-csv" and x.note == "" for x in store.all_entries())


def test_other_columns_and_foreign_notes_are_never_stored(store: Store) -> None:
    for name in ("semicolon_dmy_cp1252.csv", "tab_mdy_utf16.csv", "comma_iso_utf8_bom.csv"):
        plan = plan_csv(store, FIXTURES / name)
        if name.startswith("comma"):
            assert plan.warnings == ("The note column was left out: notes are imported only "
                                     "from Carelog's own personal CSV.",)
        apply_plan(store, plan)
    stored = all_stored_text(store)
    for secret in ("zoë", "ångström", "björn", "first visit", "smith family", "room 4"):
        assert secret not in stored, secret


def test_detected_mapping_can_be_changed(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "hours.csv"
    path.write_text("Wann,Beginn,Dauer,Art\n2026-03-16,09:00,50,Session\n")
    table = read_table(path)
    assert table.detected_mapping() == ColumnMapping()
    r = run_import(store, "csv", str(path))
    assert (r.status, r.err) == (2, "carelog: The file hours.csv has no column for the start; "
                                    "name it with --column start=HEADER.\n")
    r = run_import(store, "csv", str(path), "--column", "date=Wann", "--column", "start=Beginn",
                   "--column", "minutes=Dauer", "--column", "category=Art")
    assert r.status == 0, r.err
    assert logged(store) == [("2026-03-16 09:00", "09:50", "individual")]
    mapping = ColumnMapping(date="Wann", start="Beginn", minutes="Dauer", category="Art")
    assert plan_csv(store, table, mapping).count(RowAction.SKIP) == 1  # already in the log


def test_importing_the_same_spreadsheet_twice_adds_nothing(store: Store) -> None:
    import_csv(store, FIXTURES / "semicolon_dmy_cp1252.csv")
    plan = plan_csv(store, FIXTURES / "semicolon_dmy_cp1252.csv")
    assert (plan.count(RowAction.ADD), plan.count(RowAction.SKIP)) == (0, 3)
    assert plan.rows[0].reason == "already in the log as entry 1"
    assert apply_plan(store, plan).label is None
    assert store.count_entries() == 3


def test_overlapping_rows_are_skipped_or_trimmed_and_one_undo_removes_all(store: Store) -> None:
    store.add_entry("admin", parse_local("2026-03-03 09:30", store.tz),
                    parse_local("2026-03-03 10:00", store.tz), via=Via.CLI)
    plan = plan_csv(store, FIXTURES / "semicolon_dmy_cp1252.csv")
    assert [(c.where, c.entry_ids) for c in plan.conflicts] == [("row 2", (1,))]
    result = apply_plan(store, plan, on_conflict="trim")
    assert (result.added, result.trimmed) == (3, 1)
    assert logged(store)[:2] == [("2026-03-03 09:00", "09:30", "individual"),
                                 ("2026-03-03 09:30", "10:00", "admin")]
    assert store.undo().label == "import spreadsheet: 3 added"
    assert logged(store) == [("2026-03-03 09:30", "10:00", "admin")]


# ----------------------------------------------------------------------------- dates

def test_ambiguous_dates_are_asked_about_never_guessed(store: Store) -> None:
    r = run_import(store, "csv", str(FIXTURES / "ambiguous_dates.csv"))
    assert (r.status, r.err) == (2, "carelog: Row 2 of ambiguous_dates.csv has the date "
                                    "'03/04/2026', which could be day-month or month-day; say "
                                    "which with --date-order dmy or --date-order mdy.\n")
    assert store.count_entries() == 0
    assert run_import(store, "csv", str(FIXTURES / "ambiguous_dates.csv"), "--date-order",
                      "dmy").status == 0
    assert [s[:10] for s, _, _ in logged(store)] == ["2026-04-03", "2026-06-05"]


def test_rows_that_disagree_about_the_date_order(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "mixed.csv"
    path.write_text("date,start,minutes,category\n25/03/2026,09:00,50,individual\n"
                    "03/26/2026,09:00,50,individual\n")
    refused(store, path, r"Row 2 of mixed.csv writes the day first \('25/03/2026'\)"
            r" but row 3 writes the month first")
    refused(store, path, r"Row 2 of mixed.csv has the date '25/03/2026', which is "
            r"not a date in month-day-year order\.", date_order="mdy")


def test_a_time_clocks_skip_is_refused_naming_the_row(store: Store) -> None:
    r = run_import(store, "csv", str(FIXTURES / "dst_gap.csv"))
    assert (r.status, r.err) == (2, "carelog: Row 2 of dst_gap.csv has the start 2026-03-08 "
                                    "02:30, which does not exist in America/Los_Angeles: clocks "
                                    "skip that hour for daylight saving.\n")


def test_carelog_file_tells_the_repeated_hour_apart_by_its_minutes(store: Store,
                                                                    tmp_path: Path) -> None:
    # 01:40 PDT to 01:20 PST is 40 minutes (read naively it would end before it starts), and
    # 01:30 to 02:10 lasting 40 minutes can only start at 01:30 PST.
    path = tmp_path / "fallback.csv"
    path.write_text("id,category,start,end,minutes,note,source\n"
                    "1,messages,2026-11-01 01:40,2026-11-01 01:20,40,,manual\n"
                    "2,messages,2026-11-01 01:30,2026-11-01 02:10,40,,manual\n")
    import_csv(store, path)
    utc = [(datetime.fromtimestamp(e.start, UTC).strftime("%H:%M"),
            datetime.fromtimestamp(e.end, UTC).strftime("%H:%M")) for e in store.all_entries()]
    assert utc == [("08:40", "09:20"), ("09:30", "10:10")]


# ----------------------------------------------------------------------------- bad files

@pytest.mark.parametrize(("name", "message"), [
    ("empty.csv", "The file empty.csv is empty."),
    ("header_only.csv", "The file header_only.csv has a header but no rows."),
    ("ragged.csv", "Row 3 of ragged.csv has 3 fields but the header has 4."),
    ("unknown_category.csv", "Row 3 of unknown_category.csv has the category 'yoga', which "
                             "Carelog does not know; add it with carelog categories add, or "
                             "change the row."),
])
def test_bad_spreadsheets_are_one_sentence_exit_2_and_import_nothing(
        store: Store, name: str, message: str) -> None:
    r = run_import(store, "csv", str(FIXTURES / name))
    assert (r.status, r.err, r.out) == (2, f"carelog: {message}\n", "")
    assert store.count_entries() == 0 and store.undo_label() is None


def test_a_binary_file_renamed_csv(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "hours.csv"
    path.write_bytes((FIXTURES / "binary.ics").read_bytes())
    refused(store, path, r"^The file hours.csv is not a spreadsheet: it holds "
            r"binary data, not text\.$")


def test_a_bad_row_names_itself(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "hours.csv"
    path.write_text("date,start,end,category\n2026-03-16,09:00,09:50,individual\n"
                    "2026-03-16,10:00:30,10:50,individual\n")
    refused(store, path, r"^Row 3 of hours.csv has the time '10:00:30' with "
            r"seconds; Carelog keeps whole minutes\.$")
    path.write_text("date,start,minutes,category\n2026-03-16,09:00,1500,individual\n")
    refused(store, path, r"^Row 2 of hours.csv: an entry can last at most 24 "
            r"hours; this one lasts 25 hours\.$")


# ----------------------------------------------------------------------------- the round trip

def list_csv(db: Path) -> str:
    """What `carelog list --format csv` prints for a database."""
    from carelog.core.cli.main import main

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(["--db", str(db), "list", "--format", "csv"]) == 0
    return out.getvalue()


def same(entries: list[Entry]) -> list[tuple[str, int, int, str, str]]:
    return [(e.category, e.start, e.end, e.note, e.source) for e in entries]


def test_carelog_columns_match_what_list_writes() -> None:
    from carelog.core.exporting.personal import ENTRY_COLUMNS

    assert tuple(ENTRY_COLUMNS) == CARELOG_COLUMNS


def test_the_committed_carelog_file_round_trips(store: Store, tmp_path: Path) -> None:
    import_csv(store, FIXTURES / "carelog_list.csv")
    assert [(e.note, e.source) for e in store.all_entries()] == [
        ("", "manual"), ('notes, then "plan"', "timer"), ("two\nlines", "quick"), ("", "manual")]
    text = list_csv(store.path)
    again = FIXTURES.joinpath("carelog_list.csv").read_text()
    assert [line.split(",", 1)[1] for line in text.splitlines()] == \
        [line.split(",", 1)[1] for line in again.splitlines()]


NOTE_CHARS = st.characters(blacklist_categories=("Cs", "Cc")) | st.sampled_from("\n\t,;\"'")
_counter = itertools.count()


@st.composite
def logs(draw: st.DrawFn) -> list[Entry]:
    """A valid log: non-overlapping entries of any category, note and source, around DST."""
    from zoneinfo import ZoneInfo

    la = ZoneInfo("America/Los_Angeles")
    t = 1_772_352_000 + draw(st.integers(0, 300 * 24 * 60)) * MINUTE  # 2026-03-01 onwards
    out = []
    for _ in range(draw(st.integers(1, 12))):
        t += draw(st.sampled_from([0, 0, 1, 7, 59, 600, 60 * 24 * 3])) * MINUTE
        length = draw(st.integers(1, 24 * 60)) * MINUTE
        a, b = datetime.fromtimestamp(t, la), datetime.fromtimestamp(t + length, la)
        if not (a.fold and b.fold):  # both in the hour clocks repeat: the CSV cannot say which
            out.append(Entry(category=draw(st.sampled_from([c.code for c in BUILTIN])), start=t,
                             end=t + length, note=draw(st.text(NOTE_CHARS, max_size=30)),
                             source=draw(st.sampled_from([s.value for s in Source]))))
        t += length
    return out


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(original=logs())
def test_list_then_import_gives_back_the_same_log(tmp_path: Path, original: list[Entry]) -> None:
    n = next(_counter)
    first, second = tmp_path / f"a{n}.db", tmp_path / f"b{n}.db"
    for db in (first, second):
        with Store.open(db, daily_backup=False) as s:
            s.set_timezone("America/Los_Angeles")
    with Store.open(first, daily_backup=False) as s:
        s.add_entries(original, via=Via.CLI)
    exported = tmp_path / f"list{n}.csv"
    exported.write_text(list_csv(first), encoding="utf-8", newline="")
    with Store.open(second, daily_backup=False) as s:
        import_csv(s, exported)
        assert same(s.all_entries()) == same(original)


@pytest.mark.parametrize(("data", "encoding"), [
    ("Date,Note\n2026-03-16,café\n".encode(), "utf-8"),
    ("Date,Note\n2026-03-16,café\n".encode("utf-8-sig"), "utf-8-sig"),
    ("Date,Note\n2026-03-16,café\n".encode("cp1252"), "cp1252"),
    ("Date,Note\n2026-03-16,café\n".encode("utf-16"), "utf-16"),
    ("Date,Note\n2026-03-16,café\n".encode("utf-16-le"), "utf-16-le"),
    ("Date,Note\n2026-03-16,café\n".encode("utf-16-be"), "utf-16-be"),
])
def test_encodings_are_told_by_hand(data: bytes, encoding: str) -> None:
    from carelog.core.importing.text_files import decode_text

    assert decode_text(data, "x.csv", "spreadsheet") == ("Date,Note\n2026-03-16,café\n",
                                                         encoding)


def test_a_bad_column_choice(store: Store) -> None:
    r = run_import(store, "csv", str(FIXTURES / "carelog_list.csv"), "--column", "start")
    assert (r.status, r.err) == (2, "carelog: The column choice 'start' must look like "
                                    "start=HEADER, with one of date, start, end, minutes, "
                                    "category.\n")


# ----------------------------------------------------------------------------- big files

def _big_csv(path: Path, rows: int, start_day: str = "2020-01-06") -> Path:
    """Rows of 50 minutes, twelve a day, Carelog's own format (notes on some)."""
    from datetime import date, timedelta

    day = date.fromisoformat(start_day)
    lines = ["id,category,start,end,minutes,note,source"]
    for n in range(rows):
        d = day + timedelta(days=n // 12)
        hour = 7 + n % 12
        note = f"note {n}" if n % 10 == 0 else ""
        lines.append(f"{n + 1},documentation,{d} {hour:02d}:00,{d} {hour:02d}:50,50,{note},"
                     "manual")
    path.write_text("\n".join(lines) + "\n")
    return path


def test_a_big_file_is_streamed_in_one_transaction_and_one_undo_step(
        store: Store, tmp_path: Path) -> None:
    import tracemalloc

    path = _big_csv(tmp_path / "big.csv", 2_000)
    tracemalloc.start()
    try:
        plan = plan_csv(store, path, preview=False)
        result = apply_plan(store, plan)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert result.added == 2_000 and store.count_entries() == 2_000
    # Held in columns, a row costs tens of bytes; as objects (a draft, a plan row and an entry
    # each) it cost kilobytes, about 6 MB for these rows.
    assert peak < 2.5 * 2**20, f"{peak / 2**20:.1f} MB"
    groups = store.conn.execute("SELECT COUNT(DISTINCT grp) FROM journal").fetchone()[0]
    assert groups == 1
    notes = [e.note for e in store.all_entries()[:11]]
    assert notes[0] == "note 0" and notes[10] == "note 10" and notes[1] == ""
    assert store.undo().label.startswith("import spreadsheet: 2000 added")
    assert store.count_entries() == 0


def test_a_big_preview_shows_the_first_rows_and_counts_them_all(
        store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from carelog.core.importing import csv_plan, rows

    monkeypatch.setattr(rows, "PREVIEW_ROWS", 100)
    monkeypatch.setattr(csv_plan, "PREVIEW_ROWS", 100)
    path = _big_csv(tmp_path / "big.csv", 300)
    apply_plan(store, plan_csv(store, _big_csv(tmp_path / "part.csv", 10)))
    plan = plan_csv(store, path)
    assert len(plan.rows) == 100 and plan.total == 300
    assert plan.count(RowAction.ADD) == 290 and plan.count(RowAction.SKIP) == 10
    assert plan.summary() == "290 to add, 0 to update, 10 to skip"
    r = run_import(store, "csv", str(path), "--dry-run")
    assert "… and 200 more rows, not shown; the counts above cover every row." in r.out
    assert apply_plan(store, plan).added == 290


def test_files_past_the_limits_are_refused_in_one_sentence(
        store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from carelog.core.importing import csv_table

    path = _big_csv(tmp_path / "big.csv", 60)
    monkeypatch.setattr(csv_table, "MAX_CSV_ROWS", 50)
    r = run_import(store, "csv", str(path))
    assert r.status == 2 and r.err.count("\n") == 1
    assert "more than 50 rows" in r.err and "split the file" in r.err
    monkeypatch.setattr(csv_table, "MAX_CSV_BYTES", 1000)
    r = run_import(store, "csv", str(path))
    assert r.status == 2 and "big.csv" in r.err and "up to" in r.err
    assert store.count_entries() == 0


@settings(max_examples=15, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.tuples(st.integers(0, 40), st.integers(1, 12),
                               st.sampled_from(["admin", "messages", "individual"])),
                     min_size=1, max_size=25),
       logged_before=st.lists(st.tuples(st.integers(0, 40), st.integers(1, 6)), max_size=5),
       trim=st.booleans())
def test_rows_held_in_columns_import_exactly_as_drafts_do(
        tmp_path_factory: pytest.TempPathFactory, rows: list[tuple[int, int, str]],
        logged_before: list[tuple[int, int]], trim: bool) -> None:
    """The columns used for big files decide and write as the draft-by-draft import does."""
    from carelog.core.importing.csv_plan import drafts_from_table
    from carelog.core.importing.csv_table import parse_table
    from carelog.core.importing.plan import make_plan, resolve

    base = 1_794_848_400  # Monday 16 November 2026, 09:00 in Los Angeles
    when = [format_local(base + k * 600, LA_ZONE) for k, _, _ in rows]
    text = "date,start,minutes,category\n" + "".join(
        f"{w[:10]},{w[11:]},{n * 10},{c}\n" for w, (_, n, c) in zip(when, rows, strict=True))
    results = []
    for how in ("columns", "drafts"):
        folder = tmp_path_factory.mktemp(how)
        with Store.open(folder / "c.db") as store:
            store.set_timezone("America/Los_Angeles")
            for k, n in logged_before:
                with contextlib.suppress(BadInput):
                    store.add_entry("meeting", base + k * 600, base + k * 600 + n * 600,
                                    via=Via.CLI)
            table = parse_table(text, "t.csv")
            if how == "columns":
                plan = plan_csv(store, table)
            else:
                plan = make_plan(store, "csv", "t.csv",
                                 resolve(store, drafts_from_table(store, table)), [])
            shown = [(r.action, r.reason, r.clashes, r.clash_rows) for r in plan.rows]
            result = apply_plan(store, plan, on_conflict="trim" if trim else "skip")
            results.append((shown, plan.summary(), result.added, result.skipped,
                            result.overlapping_skipped, result.trimmed,
                            [(e.category, e.start, e.end) for e in store.all_entries()]))
    assert results[0] == results[1]
