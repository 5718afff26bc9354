"""The `carelog` command (DESIGN §4): a public contract that users script.

Errors go to stderr as one plain sentence; the exit status is 2 for bad input, 1 for other
failures and 0 on success. Heavy modules are imported inside the commands that need them so
that a quick `carelog add` starts fast.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

if TYPE_CHECKING:
    from carelog.core.domain.models import Entry
    from carelog.core.store.database import Store

Handler = Callable[["Store", argparse.Namespace], int]


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage mistake is one sentence and exit status 2."""

    def error(self, message: str) -> NoReturn:
        sys.stderr.write(f"carelog: {message[0].upper()}{message[1:]}; see "
                         f"'{self.prog} --help'.\n")
        raise SystemExit(2)


def _out(text: str = "") -> None:
    sys.stdout.write(text + "\n")


# ----------------------------------------------------------------------------- entries

def _span(store: Store, start: str, end: str | None, minutes: int | None,
          start_field: str = "start") -> tuple[int, int]:
    from carelog.core.domain.errors import BadInput
    from carelog.core.domain.timeutil import MINUTE, parse_local

    a = parse_local(start, store.tz, start_field)
    if end is not None and minutes is not None:
        raise BadInput("Give either --end or --minutes, not both.", field="end")
    if end is not None:
        return a, parse_local(end, store.tz, "end")
    if minutes is None:
        raise BadInput("Give --end or --minutes.", field="end")
    if minutes <= 0:
        raise BadInput(f"The minutes must be a positive number, not {minutes}.", field="minutes")
    return a, a + minutes * MINUTE


def _warn_note(note: str | None) -> None:
    from carelog.core.domain.privacy import warning_sentence

    if note:
        warning = warning_sentence(note)
        if warning:
            sys.stderr.write(f"carelog: warning: {warning}\n")


def _line(store: Store, e: Entry) -> str:
    from carelog.core.domain.timeutil import format_local

    tz = store.tz
    end = format_local(e.end, tz)
    start = format_local(e.start, tz)
    end_text = end[11:] if end[:10] == start[:10] else end
    return f"{e.id}: {store.describe(e).rsplit(',', 1)[0]}–{end_text} ({e.minutes} m)"


def cmd_add(store: Store, a: argparse.Namespace) -> int:
    """Log one entry."""
    category = store.categories.resolve(a.category) or a.category
    start, end = _span(store, a.start, a.end, a.minutes)
    _warn_note(a.note)
    added = store.add_entry(category, start, end, note=a.note or "", trim=a.trim)
    for e in added:
        _out(f"Added {_line(store, e)}")
    return 0


def cmd_edit(store: Store, a: argparse.Namespace) -> int:
    """Change an entry; unspecified fields stay as they are."""
    from carelog.core.domain.timeutil import MINUTE, parse_local

    old = store.get_entry(a.id)
    if all(v is None for v in (a.category, a.start, a.end, a.minutes, a.note)):
        from carelog.core.domain.errors import BadInput

        raise BadInput("Nothing to change: give --category, --start, --end, --minutes or "
                       "--note.", field="id")
    category = None
    if a.category:
        category = store.categories.resolve(a.category) or a.category
    start = parse_local(a.start, store.tz, "start") if a.start else None
    end = parse_local(a.end, store.tz, "end") if a.end else None
    if a.minutes is not None:
        from carelog.core.domain.errors import BadInput

        if end is not None:
            raise BadInput("Give either --end or --minutes, not both.", field="end")
        if a.minutes <= 0:
            raise BadInput(f"The minutes must be a positive number, not {a.minutes}.",
                           field="minutes")
        end = (start if start is not None else old.start) + a.minutes * MINUTE
    _warn_note(a.note)
    new = store.edit_entry(a.id, category=category, start=start, end=end, note=a.note)
    _out(f"Changed {_line(store, new)}")
    return 0


def cmd_delete(store: Store, a: argparse.Namespace) -> int:
    """Delete an entry."""
    gone = store.delete_entry(a.id)
    _out(f"Deleted {_line(store, gone)} (carelog undo brings it back)")
    return 0


def cmd_undo(store: Store, a: argparse.Namespace) -> int:
    """Reverse the newest change."""
    result = store.undo()
    _out(f"Undid: {result.label}")
    return 0


def cmd_redo(store: Store, a: argparse.Namespace) -> int:
    """Re-apply the change undo reversed."""
    result = store.redo()
    _out(f"Redid: {result.label}")
    return 0


def _printable(text: str) -> str:
    """A note on one table line: line breaks shown as ⏎, other control characters dropped."""
    text = text.replace("\r\n", "\n").replace("\n", " ⏎ ")
    return "".join(ch for ch in text if ch.isprintable())


ENTRY_COLUMNS = ["id", "category", "start", "end", "minutes", "note", "source"]


def entry_rows(store: Store, entries: Sequence[Entry]) -> list[dict[str, Any]]:
    """Entries as the dicts `list --format json|csv` writes (local times)."""
    from carelog.core.domain.timeutil import format_local

    tz = store.tz
    return [{"id": e.id, "category": e.category, "start": format_local(e.start, tz),
             "end": format_local(e.end, tz), "minutes": e.minutes, "note": e.note,
             "source": e.source} for e in entries]


def cmd_list(store: Store, a: argparse.Namespace) -> int:
    """Show entries in a date range (personal: includes notes)."""
    from datetime import timedelta

    from carelog.core.domain.timeutil import day_start_utc, parse_date

    tz = store.tz
    if a.from_date or a.to_date:
        first = parse_date(a.from_date, "from date") if a.from_date else None
        last = parse_date(a.to_date, "to date") if a.to_date else None
        if first and last and last < first:
            from carelog.core.domain.errors import BadInput

            raise BadInput(f"The to date {last} is before the from date {first}.", field="to")
        lo = day_start_utc(first, tz) if first else -(2**62)
        hi = day_start_utc(last + timedelta(days=1), tz) if last else 2**62
        entries = [e for e in store.entries_between(lo, hi) if e.start >= lo]
    else:
        entries = store.all_entries()
    rows = entry_rows(store, entries)
    if a.format == "json":
        _out(json.dumps({"entries": rows}, ensure_ascii=False, indent=1))
    elif a.format == "csv":
        buf = io.StringIO()
        # CRLF rows, so a note holding a bare carriage return is quoted and reads back intact.
        writer = csv.DictWriter(buf, fieldnames=ENTRY_COLUMNS, lineterminator="\r\n")
        writer.writeheader()
        writer.writerows(rows)
        sys.stdout.write(buf.getvalue())
    else:
        if not rows:
            _out("No entries.")
            return 0
        _out(f"{'ID':>6}  {'Start':16}  {'End':5}  {'Min':>4}  {'Category':20}  Note")
        for r in rows:
            end = r["end"][11:] if r["end"][:10] == r["start"][:10] else r["end"]
            _out(f"{r['id']:>6}  {r['start']:16}  {end:5}  {r['minutes']:>4}  "
                 f"{r['category']:20}  {_printable(r['note'])}")
    return 0


# ----------------------------------------------------------------------------- timer

def cmd_timer(store: Store, a: argparse.Namespace) -> int:
    """Start, stop or show the running timer (it lives in the database)."""
    from carelog.core.domain.timeutil import format_local, utc_now

    if a.action == "start":
        category = store.categories.resolve(a.category or "") or (a.category or "")
        from carelog.core.domain.errors import BadInput

        if not category:
            raise BadInput("Name the category to time, e.g. carelog timer start documentation.",
                           field="category")
        t = store.timer_start(category, note=a.note or "")
        _out(f"Timer started: {t.category} since {format_local(t.started, store.tz)}")
    elif a.action == "cancel":
        if store.timer() is None:
            from carelog.core.domain.errors import BadInput

            raise BadInput("No timer is running.", field="timer")
        store.timer_cancel()
        _out("Timer discarded; nothing was logged.")
    elif a.action == "stop":
        added = store.timer_stop()
        if not added:
            _out("Timer stopped; less than a minute, nothing logged.")
        for e in added:
            _out(f"Logged {_line(store, e)}")
    else:
        running = store.timer()
        if running is None:
            _out("No timer is running.")
        else:
            mins = (utc_now() - running.started) // 60
            _out(f"Timer running: {running.category} since "
                 f"{format_local(running.started, store.tz)} ({mins} m)")
    return 0


# ----------------------------------------------------------------------------- categories

def cmd_categories(store: Store, a: argparse.Namespace) -> int:
    """List categories, or add or remove a user category."""
    if a.action == "add":
        info = store.add_category(a.code, a.label or a.code, a.cls)
        _out(f"Added category {info.code} ({info.cls.value}).")
        return 0
    if a.action == "remove":
        store.remove_category(a.code)
        _out(f"Removed category {a.code}.")
        return 0
    _out(f"{'Code':22} {'Class':7} Meaning")
    for c in store.categories.all():
        mine = "" if c.builtin else " (yours)"
        _out(f"{c.code:22} {c.cls.value:7} {c.meaning}{mine}")
    return 0


# ----------------------------------------------------------------------------- backups

def cmd_backup(store: Store, a: argparse.Namespace) -> int:
    """Write a verified backup now."""
    path = store.backup(Path(a.to).expanduser() if a.to else None)
    _out(f"Backup written and verified: {path}")
    return 0


def cmd_check(store: Store, a: argparse.Namespace) -> int:
    """Integrity, foreign keys and contents in one screen."""
    report = store.check()
    for line in report.lines:
        _out(line)
    _out("All good." if report.ok else "Problems found; see above.")
    return 0 if report.ok else 1


def cmd_demo(store: Store, a: argparse.Namespace) -> int:
    """Fill an empty database with sample weeks."""
    from carelog.core.importing.demo import fill_demo

    n = fill_demo(store, weeks=a.weeks)
    _out(f"Wrote {n} sample entries over {a.weeks} weeks, with a schedule, leave, block tags "
         f"and access observations, into {store.path}.")
    return 0


# ----------------------------------------------------------------------------- schedule

def cmd_schedule(store: Store, a: argparse.Namespace) -> int:
    """Set, show or list presets of the schedule."""
    from carelog.core.domain.errors import BadInput
    from carelog.core.domain.schedule import PRESETS, parse_schedule_toml

    if a.action == "set":
        path = Path(a.file).expanduser()
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise BadInput(f"The schedule file {path} could not be read.", field="file") from exc
        version = parse_schedule_toml(text)
        store.save_schedule(version)
        _out(f"Schedule saved, in force from {version.effective_from}: "
             f"{version.weekly_minutes / 60:g} h a week, {len(version.protected)} protected "
             f"blocks, target {version.target.describe()}. {version.target.preview()}")
        return 0
    if a.action == "presets":
        for p in PRESETS:
            _out(f"{p.key:20} {p.label}: {p.rule.describe()}. {p.rule.preview()}")
        return 0
    versions = store.schedules().versions
    if not versions:
        raise BadInput("No schedule is set yet; write one with carelog schedule set FILE.toml.",
                       field="schedule")
    if a.format == "json":
        _out(json.dumps({"versions": [v.to_json_dict() for v in versions]}, indent=1))
    else:
        for i, v in enumerate(versions):
            if i:
                _out("")
            _out(f"# In force from {v.effective_from}"
                 + (f" until {versions[i + 1].effective_from}" if i + 1 < len(versions) else ""))
            sys.stdout.write(v.to_toml())
    return 0


# ------------------------------------------------------------------- leave, blocks, access

def cmd_leave(store: Store, a: argparse.Namespace) -> int:
    """Add, remove or list leave."""
    from datetime import date

    from carelog.core.domain.errors import BadInput
    from carelog.core.domain.models import Leave, LeaveType
    from carelog.core.domain.timeutil import fmt_minutes, parse_date

    if a.action == "list":
        first = parse_date(a.from_date, "from date") if a.from_date else date.min
        last = parse_date(a.to_date, "to date") if a.to_date else date.max
        rows = store.leave_between(first, last)
        if not rows:
            _out("No leave recorded.")
        for lv in rows:
            amount = "whole day" if lv.whole_day else fmt_minutes(lv.minutes or 0)
            _out(f"{lv.day}  {lv.type.value:10} {amount}")
        return 0
    day = parse_date(a.date)
    if a.action == "remove":
        store.remove_leave(day)
        _out(f"Removed the leave on {day}.")
        return 0
    minutes = None
    if a.hours is not None:
        if not (0 < a.hours <= 24):
            raise BadInput(f"The hours must be more than 0 and at most 24, not {a.hours:g}.",
                           field="hours")
        minutes = round(a.hours * 60)
        if minutes < 1:
            raise BadInput(f"The hours must come to at least one minute, not {a.hours:g}.",
                           field="hours")
    lv = store.add_leave(Leave(day=day, minutes=minutes, type=LeaveType(a.type)))
    amount = "the whole day" if lv.whole_day else fmt_minutes(lv.minutes or 0)
    _out(f"Leave ({lv.type.value}) recorded on {day} for {amount}.")
    return 0


def cmd_block(store: Store, a: argparse.Namespace) -> int:
    """Tag a protected block occurrence with an erosion reason (or remove the tag)."""
    from carelog.core.domain.errors import BadInput
    from carelog.core.domain.models import BlockTag, ErosionReason
    from carelog.core.domain.schedule import block_exists
    from carelog.core.domain.timeutil import parse_date, parse_hhmm_minutes

    day = parse_date(a.date)
    start = parse_hhmm_minutes(a.time, "block time")
    if not block_exists(store.schedules(), day, start):
        raise BadInput(f"There is no protected block starting at {a.time} on {day} "
                       f"({day:%A}) in the schedule.", field="time")
    if a.action == "tag" and store.leave_between(day, day):
        raise BadInput(f"{day} is a day of leave, so its protected blocks do not count and "
                       "cannot be tagged.", field="date")
    if a.action == "untag":
        store.remove_block_tag(day, start)
        _out(f"Removed the tag of the {a.time} block on {day}.")
        return 0
    try:
        reason = ErosionReason(a.reason)
    except ValueError:
        raise BadInput(f"Unknown reason '{a.reason}'; choose one of "
                       f"{', '.join(r.value for r in ErosionReason)}.", field="reason") from None
    store.save_block_tag(BlockTag(day=day, start_minute=start, reason=reason,
                                  escalated=a.escalated))
    esc = ", escalated" if a.escalated else ""
    _out(f"Tagged the {a.time} block on {day}: {reason.value}{esc}.")
    return 0


def cmd_access(store: Store, a: argparse.Namespace) -> int:
    """Record the next available return appointment, in business days."""
    from carelog.core.domain.errors import BadInput
    from carelog.core.domain.models import AccessObservation
    from carelog.core.domain.timeutil import parse_date

    day = parse_date(a.date)
    if a.days < 0:
        raise BadInput(f"The days must be zero or more, not {a.days}.", field="days")
    if a.days > 365:
        raise BadInput(f"The days must be at most 365, not {a.days}.", field="days")
    store.log_access(AccessObservation(day=day, days=a.days))
    standard = "within" if a.days <= 10 else "beyond"
    _out(f"Access on {day}: next return appointment in {a.days} business days "
         f"({standard} the 10-business-day standard).")
    return 0


# ----------------------------------------------------------------------------- summary

def cmd_summary(store: Store, a: argparse.Namespace) -> int:
    """The weekly ledger of a period, as text or as the summary JSON."""
    from carelog.core.domain.timeutil import period_from_args
    from carelog.core.exporting.text import summary_text
    from carelog.core.ledger.load import summary

    period = period_from_args(a.week, a.month, a.from_date, a.to_date)
    data = summary(store, period)
    if a.format == "json":
        _out(json.dumps(data, indent=1, ensure_ascii=False))
    else:
        _out(summary_text(data, store.timezone_name))
    return 0


# ----------------------------------------------------------------------------- committee

def cmd_export(store: Store, a: argparse.Namespace) -> int:
    """Write the committee export (weekly aggregates only) as PDF, CSV or JSON."""
    from carelog.core.domain.timeutil import period_from_args
    from carelog.core.exporting.committee import (
        PRIVACY_STATEMENT,
        check_destination,
        committee_data,
        infer_format,
        render,
        write_output,
    )

    out = Path(a.out)
    fmt = infer_format(out, a.format)
    period = period_from_args(a.week, a.month, a.from_date, a.to_date)
    check_destination(out)
    data, ledger = committee_data(store, period)
    written = write_output(out, render(data, fmt))
    _out(f"Wrote {written} ({fmt.upper()}, {len(ledger.weeks)} weeks). It holds: "
         f"{PRIVACY_STATEMENT}")
    return 0


def cmd_merge(a: argparse.Namespace) -> int:
    """Merge clinicians' summary files into a clinic roll-up (no database needed)."""
    from carelog.core.exporting.committee import check_destination, write_output
    from carelog.core.exporting.merge import clinic_format, merge, render_clinic, shown_sentence

    out = Path(a.out)
    fmt = clinic_format(out)
    check_destination(out)
    clinic = merge([Path(f).expanduser() for f in a.files], a.min_clinicians)
    write_output(out, render_clinic(clinic, fmt))
    _out(f"Merged {len(a.files)} files from {clinic['clinicians']} clinicians into {out}: "
         f"{shown_sentence(clinic)}")
    for note in clinic["notes"]:
        _out(note)
    return 0


# ----------------------------------------------------------------------------- parser

def build_parser() -> argparse.ArgumentParser:
    """The full command-line grammar."""
    p = _Parser(prog="carelog", description="Log therapy sessions and indirect patient care, "
                "and see week by week whether protected time is being received.")
    p.add_argument("--db", help="database file (default: $CARELOG_DB, else carelog.db in the "
                   "user data folder)")
    sub = p.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    def cmd(name: str, handler: Handler, help_text: str) -> argparse.ArgumentParser:
        sp = sub.add_parser(name, help=help_text, description=help_text)
        sp.set_defaults(handler=handler)
        return sp

    sp = cmd("add", cmd_add, "log an entry")
    sp.add_argument("category")
    sp.add_argument("--start", required=True, help='local "YYYY-MM-DD HH:MM"')
    sp.add_argument("--end", help='local "YYYY-MM-DD HH:MM"')
    sp.add_argument("--minutes", type=int)
    sp.add_argument("--note")
    sp.add_argument("--trim", action="store_true",
                    help="fit the entry around existing ones instead of refusing an overlap")

    sp = cmd("list", cmd_list, "show entries (personal: includes notes)")
    sp.add_argument("--from", dest="from_date")
    sp.add_argument("--to", dest="to_date")
    sp.add_argument("--format", choices=["table", "csv", "json"], default="table")

    sp = cmd("edit", cmd_edit, "change an entry")
    sp.add_argument("id", type=int)
    sp.add_argument("--category")
    sp.add_argument("--start")
    sp.add_argument("--end")
    sp.add_argument("--minutes", type=int)
    sp.add_argument("--note")

    sp = cmd("delete", cmd_delete, "delete an entry")
    sp.add_argument("id", type=int)
    cmd("undo", cmd_undo, "reverse the newest change")
    cmd("redo", cmd_redo, "re-apply what undo reversed")

    sp = cmd("timer", cmd_timer, "start, stop or show the timer")
    sp.add_argument("action", choices=["start", "stop", "status", "cancel"])
    sp.add_argument("category", nargs="?")
    sp.add_argument("--note")

    sp = cmd("categories", cmd_categories, "list categories, or add/remove one of your own")
    sp.add_argument("action", nargs="?", choices=["list", "add", "remove"], default="list")
    sp.add_argument("code", nargs="?")
    sp.add_argument("--label")
    sp.add_argument("--class", dest="cls", choices=["direct", "ipc", "other"], default="other")

    sp = cmd("schedule", cmd_schedule, "set or show working hours, protected blocks and target")
    sp.add_argument("action", choices=["set", "show", "presets"])
    sp.add_argument("file", nargs="?")
    sp.add_argument("--format", choices=["toml", "json"], default="toml")

    sp = cmd("leave", cmd_leave, "record leave (whole day, or --hours)")
    sp.add_argument("action", choices=["add", "remove", "list"])
    sp.add_argument("date", nargs="?")
    sp.add_argument("--hours", type=float)
    sp.add_argument("--type", choices=["pto", "sick", "holiday", "education", "other"],
                    default="pto")
    sp.add_argument("--from", dest="from_date")
    sp.add_argument("--to", dest="to_date")

    sp = cmd("block", cmd_block, "tag why a protected block was lost")
    sp.add_argument("action", choices=["tag", "untag"])
    sp.add_argument("date")
    sp.add_argument("time", help="the block's start, HH:MM")
    sp.add_argument("--reason", default="other")
    sp.add_argument("--escalated", action="store_true")

    sp = cmd("access", cmd_access, "record the next available return appointment")
    sp.add_argument("action", choices=["log"])
    sp.add_argument("date")
    sp.add_argument("days", type=int, help="business days")

    sp = cmd("summary", cmd_summary, "the weekly ledger of a period")
    sp.add_argument("--week")
    sp.add_argument("--month")
    sp.add_argument("--from", dest="from_date")
    sp.add_argument("--to", dest="to_date")
    sp.add_argument("--format", choices=["text", "json"], default="text")

    sp = cmd("export", cmd_export, "write a committee export: weekly aggregates, no patient "
             "information")
    sp.add_argument("--week")
    sp.add_argument("--month")
    sp.add_argument("--from", dest="from_date")
    sp.add_argument("--to", dest="to_date")
    sp.add_argument("--format", choices=["pdf", "csv", "json"])
    sp.add_argument("--out", required=True)

    sp = sub.add_parser("merge", help="merge clinicians' summary JSON files into a clinic "
                        "roll-up (.json or .pdf)")
    sp.add_argument("files", nargs="+")
    sp.add_argument("--out", required=True)
    sp.add_argument("--min-clinicians", type=int, default=5)
    sp.set_defaults(handler=None, special="merge")

    sp = cmd("backup", cmd_backup, "write a verified backup now")
    sp.add_argument("--to")
    sp = sub.add_parser("restore", help="replace the database with a backup (the replaced file "
                        "is kept)")
    sp.add_argument("path")
    sp.set_defaults(handler=None, special="restore")
    cmd("check", cmd_check, "check the database and report what was found")
    sp = cmd("demo", cmd_demo, "fill an empty database with sample weeks")
    sp.add_argument("--weeks", type=int, default=12)

    from carelog.core.cli.importing import add_import_parser

    add_import_parser(sub)
    return p


def _validate(a: argparse.Namespace) -> None:
    from carelog.core.domain.errors import BadInput

    needs = {("schedule", "set"): "file", ("leave", "add"): "date", ("leave", "remove"): "date",
             ("categories", "add"): "code", ("categories", "remove"): "code"}
    key = (a.command, getattr(a, "action", None))
    if key in needs and not getattr(a, needs[key]):
        raise BadInput(f"'{a.command} {key[1]}' needs a {needs[key]}.", field=needs[key])


def _restore(db: Path, source: str) -> int:
    from carelog.core.store.backup import restore

    kept = restore(Path(source), db)
    _out(f"Restored {db} from {source}." + (f" The replaced file was kept as {kept}."
                                             if kept else ""))
    return 0


def _busy_timeout() -> float:
    from carelog.core.domain.errors import BadInput

    text = os.environ.get("CARELOG_BUSY_TIMEOUT", "5")
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0 <= value <= 600:
        raise BadInput(f"CARELOG_BUSY_TIMEOUT must be a number of seconds from 0 to 600, not "
                       f"'{text}'.", field="CARELOG_BUSY_TIMEOUT")
    return value


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of `carelog`; returns the exit status."""
    os.umask(0o077)
    # Carelog uses no pydantic plugins; skipping their discovery saves start-up time.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    parser = build_parser()
    a = parser.parse_args(argv)
    if not a.command:
        sys.stderr.write("carelog: Give a command, such as add, list or summary; see "
                         "'carelog --help'.\n")
        return 2
    from carelog.core.domain.errors import CarelogError
    from carelog.core.store.files import default_db_path

    try:
        if a.db is not None and not a.db.strip():
            from carelog.core.domain.errors import BadInput

            raise BadInput("The --db path is empty; give a database file.", field="db")
        db = Path(a.db).expanduser() if a.db else default_db_path()
        _validate(a)
        if getattr(a, "special", None) == "restore":
            return _restore(db, a.path)
        if getattr(a, "special", None) == "merge":
            return cmd_merge(a)
        from carelog.core.store.database import Store

        timeout = _busy_timeout()
        with Store.open(db, busy_timeout=timeout) as store:
            for warning in store.warnings:
                sys.stderr.write(f"carelog: warning: {warning}\n")
            status: int = a.handler(store, a)
            return status
    except CarelogError as exc:
        sys.stderr.write(f"carelog: {exc.message}\n")
        return exc.exit_status
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # a bug: still one sentence, never a traceback
        sys.stderr.write(f"carelog: Something went wrong that Carelog did not expect "
                         f"({type(exc).__name__}: {str(exc)[:120]}); please report it.\n")
        return 1


def run() -> NoReturn:
    """Console-script wrapper."""
    raise SystemExit(main())


if __name__ == "__main__":
    run()
