"""The `carelog` command (DESIGN §4): a public contract that users script.

This module holds the grammar and `main()`. Each command group's handlers live in a module of
their own (`entries`, `timer`, `categories`, `schedule`, `calendar_days`, `escalations`,
`reports`, `committee`, `record`, `backup`, `importing`); a subcommand names its handler as
'module:function', imported only when that command runs, so `carelog add` never loads the PDF or
the calendar code.

Errors go to stderr as one plain sentence, with core's remedy worded as a flag or a command
(carelog.core.cli.remedies); the exit status is 2 for bad input, 1 for other failures and 0 on
success.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NoReturn

from carelog.core.cli.remedies import cli_sentence, in_cli_words
from carelog.core.domain.codes import EscalationAsk, EscalationHow, EscalationResponse
from carelog.core.domain.errors import BadInput, CarelogError, one_line
from carelog.core.store.database import Store
from carelog.core.store.files import default_db_path

IMPORT_FIELDS = ("date", "start", "end", "minutes", "category")


_width: list[int] = []


def _terminal_width() -> int:
    """The width argparse lays help out in: the terminal's, as shutil.get_terminal_size says."""
    if not _width:
        columns = 0
        with contextlib.suppress(ValueError):
            columns = int(os.environ.get("COLUMNS", "0"))
        if columns <= 0:
            try:
                columns = os.get_terminal_size(sys.__stdout__.fileno()).columns  # type: ignore[union-attr]
            except (AttributeError, ValueError, OSError):
                columns = 0
        _width.append(columns if columns > 0 else 80)
    return _width[0]


class _Formatter(argparse.HelpFormatter):
    """argparse's help layout, told the terminal's width.

    argparse asks shutil for it, and importing shutil loads the compression libraries: a
    cost on every start of every command, for a width only --help and errors use.
    """

    def __init__(self, prog: str, indent_increment: int = 2, max_help_position: int = 24,
                 width: int | None = None) -> None:
        super().__init__(prog, indent_increment, max_help_position,
                         _terminal_width() - 2 if width is None else width)


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage mistake is one sentence and exit status 2."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", _Formatter)
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> NoReturn:
        sys.stderr.write(f"carelog: {message[0].upper()}{message[1:]}; see "
                         f"'{self.prog} --help'.\n")
        raise SystemExit(2)


class Command:
    """A subcommand's handler, named 'module:function' and imported only when it runs.

    Calling it runs the handler; a CarelogError leaves it with its remedy in the command
    line's words. Handlers that need no database (merge, restore) take only the arguments.
    """

    def __init__(self, target: str, *, needs_store: bool = True) -> None:
        self.target = target
        self.needs_store = needs_store

    def resolve(self) -> Callable[..., int]:
        """The handler function itself."""
        module, _, name = self.target.partition(":")
        handler: Callable[..., int] = getattr(importlib.import_module(module), name)
        return handler

    def __call__(self, *args: Any) -> int:
        """Run the handler (with the store, when it needs one, and the arguments)."""
        try:
            return self.resolve()(*args)
        except CarelogError as exc:
            if exc.remedy is None:
                raise
            raise in_cli_words(exc) from exc


def _group(module: str) -> str:
    return f"carelog.core.cli.{module}"


def add_import_parser(sub: _Grammar) -> argparse.ArgumentParser:
    """Add `import ics|csv` to the subparsers of the carelog parser and return its parser."""
    p: argparse.ArgumentParser = sub.add_parser(
        "import", help="import an appointment calendar (.ics) or a spreadsheet (.csv)",
        description="Import an appointment calendar (.ics) or a spreadsheet (.csv), all or "
                    "nothing, as one change that carelog undo reverses.")
    p.set_defaults(handler=Command(_group("importing:cmd_import")))
    kinds = p.add_subparsers(dest="kind", metavar="KIND", parser_class=type(p))
    kinds.required = True

    def common(sp: argparse.ArgumentParser) -> None:
        sp.add_argument("file")
        sp.add_argument("--dry-run", action="store_true",
                        help="show what would be added, updated and skipped; change nothing")
        sp.add_argument("--on-conflict", choices=["skip", "trim"], default="skip",
                        help="for rows that overlap entries in the log: skip them (default) or "
                             "trim them to the free time")

    ics = kinds.add_parser("ics", help="an appointment calendar exported as .ics",
                           description="Import an appointment calendar. Recurring events are "
                           "expanded only inside the period (default: the last 8 weeks, up to "
                           "today; appointments after today come in with --to, as planned "
                           "entries). Titles pick the category and are never stored.")
    common(ics)
    ics.add_argument("--from", dest="from_date", help="first date, YYYY-MM-DD")
    ics.add_argument("--to", dest="to_date", help="last date, YYYY-MM-DD")

    csv_p = kinds.add_parser("csv", help="a spreadsheet of logged time (.csv)",
                             description="Import a spreadsheet with date, start, end or "
                             "minutes, and category columns (or a file carelog list --format csv "
                             "wrote). Other columns are dropped.")
    common(csv_p)
    csv_p.add_argument("--date-order", choices=["dmy", "mdy"],
                       help="how dates like 03/04/2026 are written: day first or month first")
    csv_p.add_argument("--column", action="append", default=[], metavar="FIELD=HEADER",
                       help="which column holds a field (date, start, end, minutes, category)")
    return p


def add_escalation_parser(sub: _Grammar) -> argparse.ArgumentParser:
    """Add `escalation add|respond|list` to the subparsers of the carelog parser."""
    p: argparse.ArgumentParser = sub.add_parser(
        "escalation", help="record that a manager was told protected time was lost, and the "
        "answer", description="The record of telling a manager that a protected block or a "
        "day was lost: when, to whom (a role), how, what was asked, the response. The note "
        "is private and never exported.")
    p.set_defaults(handler=Command(_group("escalations:cmd_escalation")))
    actions = p.add_subparsers(dest="action", metavar="ACTION", parser_class=type(p))
    actions.required = True

    add = actions.add_parser("add", help="record an escalation about a block or a day")
    add.add_argument("date", help="the date of the lost block or day, YYYY-MM-DD")
    add.add_argument("time", nargs="?", help="the block's start, HH:MM (leave out for the day)")
    add.add_argument("--to", required=True, help='the role told, e.g. "clinic manager"')
    add.add_argument("--how", required=True, choices=[h.value for h in EscalationHow])
    add.add_argument("--asked", required=True,
                     help=f"what was asked: {', '.join(a.value for a in EscalationAsk)}, or "
                     "a few words")
    add.add_argument("--at", help='when the manager was told, local "YYYY-MM-DD HH:MM" '
                     "(default: now)")
    add.add_argument("--note", help="a private note, never exported")

    respond = actions.add_parser("respond", help="record the manager's response")
    respond.add_argument("id", type=int)
    respond.add_argument("--response", required=True,
                         choices=[r.value for r in EscalationResponse if r.value != "none"])
    respond.add_argument("--on", help="the date of the response, YYYY-MM-DD (default: today)")
    respond.add_argument("--resolved", action="store_true",
                         help="the lost time was made good or the matter is settled")

    listing = actions.add_parser("list", help="list escalations (personal: includes notes)")
    _period_options(listing)
    listing.add_argument("--format", choices=["text", "json"], default="text")
    return p


def _period_options(sp: argparse.ArgumentParser) -> None:
    """The period options every report takes: one of week, month, quarter, year or from/to."""
    sp.add_argument("--week", help="an ISO week, e.g. 2026-W47")
    sp.add_argument("--month", help="a month, e.g. 2026-11 (the ISO weeks whose Thursday is "
                    "in it)")
    sp.add_argument("--quarter", help="a quarter, e.g. 2026-Q3")
    sp.add_argument("--year", help="a year, e.g. 2026")
    sp.add_argument("--from", dest="from_date", help="first date, YYYY-MM-DD")
    sp.add_argument("--to", dest="to_date", help="last date, YYYY-MM-DD")


def _reason_option(sp: argparse.ArgumentParser) -> None:
    """--reason, which a change to a week sealed by a committee export needs."""
    sp.add_argument("--reason", metavar="TEXT",
                    help="why a sealed week changes: correction, missed, mistaken or other, "
                    "optionally followed by ': ' and private words, e.g. "
                    "\"correction: wrong end time\"")


COMMANDS = ("add", "list", "edit", "delete", "undo", "redo", "history", "timer", "categories",
            "schedule", "leave", "block", "escalation", "capacity", "access", "summary",
            "export", "seal", "verify", "merge", "backup", "restore", "check", "scrub", "demo",
            "import")
"""Every command's name, in the order --help lists them (a test holds it to the grammar)."""


class _Unused:
    """Stands in for the parser of a command that is not being run: it records nothing."""

    def __getattr__(self, name: str) -> Callable[..., _Unused]:
        return lambda *args, **kwargs: self


class _Grammar:
    """The carelog parser's subcommands, all of them or only the one being run.

    Building the whole grammar costs a command more than the rest of a report read from the
    stored weeks; when the command is known, the other commands' parsers are not built.
    """

    def __init__(self, sub: argparse._SubParsersAction[Any], only: str | None) -> None:
        self.sub = sub
        self.only = only

    def add_parser(self, name: str, **kwargs: Any) -> argparse.ArgumentParser:
        """The subparser for a command (a stand-in for a command that is not being run)."""
        if self.only is not None and name != self.only:
            return _Unused()  # type: ignore[return-value]
        parser: argparse.ArgumentParser = self.sub.add_parser(name, **kwargs)
        return parser


def command_named(argv: Sequence[str]) -> str | None:
    """The command an argument list runs, when it can be told without parsing it.

    Skips the global --db option (and its abbreviations, as argparse accepts them); None for
    --help, an unknown word or anything unusual, which then gets the whole grammar.
    """
    args = iter(argv)
    for arg in args:
        if arg == "--":
            return None
        if arg.startswith("--") and "=" not in arg and len(arg) > 2 and "--db".startswith(arg):
            next(args, None)
        elif arg.startswith("--db="):
            continue
        elif arg.startswith("-"):
            return None
        else:
            return arg if arg in COMMANDS else None
    return None


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The full command-line grammar, or with `only` the part a command needs to run."""
    p = _Parser(prog="carelog", description="Log therapy sessions and indirect patient care, "
                "and see week by week whether protected time is being received.")
    p.add_argument("--db", help="database file (default: $CARELOG_DB, else carelog.db in the "
                   "user data folder)")
    sub = _Grammar(p.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser),
                   only)

    def cmd(name: str, target: str, help_text: str) -> argparse.ArgumentParser:
        sp = sub.add_parser(name, help=help_text, description=help_text)
        sp.set_defaults(handler=Command(_group(target)))
        return sp

    sp = cmd("add", "entries:cmd_add", "log an entry")
    sp.add_argument("category")
    sp.add_argument("--start", required=True, help='local "YYYY-MM-DD HH:MM"')
    sp.add_argument("--end", help='local "YYYY-MM-DD HH:MM"')
    sp.add_argument("--minutes", type=int)
    sp.add_argument("--note")
    sp.add_argument("--trim", action="store_true",
                    help="fit the entry around existing ones instead of refusing an overlap")
    _reason_option(sp)

    sp = cmd("list", "entries:cmd_list", "show entries (personal: includes notes)")
    sp.add_argument("--from", dest="from_date")
    sp.add_argument("--to", dest="to_date")
    sp.add_argument("--format", choices=["table", "csv", "json"], default="table")

    sp = cmd("edit", "entries:cmd_edit", "change an entry")
    sp.add_argument("id", type=int)
    sp.add_argument("--category")
    sp.add_argument("--start")
    sp.add_argument("--end")
    sp.add_argument("--minutes", type=int)
    sp.add_argument("--note")
    _reason_option(sp)

    sp = cmd("delete", "entries:cmd_delete", "delete an entry")
    sp.add_argument("id", type=int)
    _reason_option(sp)
    cmd("undo", "entries:cmd_undo", "reverse the newest change")
    cmd("redo", "entries:cmd_redo", "re-apply what undo reversed")

    sp = cmd("history", "record:cmd_history", "every version of an entry: when, how, what "
             "changed and why")
    sp.add_argument("id", type=int)
    sp.add_argument("--format", choices=["text", "json"], default="text")

    sp = cmd("timer", "timer:cmd_timer", "start, stop or show the timer")
    sp.add_argument("action", choices=["start", "stop", "status", "cancel"])
    sp.add_argument("category", nargs="?")
    sp.add_argument("--note")

    sp = cmd("categories", "categories:cmd_categories",
             "list categories, or add/remove one of your own")
    sp.add_argument("action", nargs="?", choices=["list", "add", "remove"], default="list")
    sp.add_argument("code", nargs="?")
    sp.add_argument("--label")
    sp.add_argument("--class", dest="cls", choices=["direct", "ipc", "other"], default="other")

    sp = cmd("schedule", "schedule:cmd_schedule",
             "set or show working hours, protected blocks and target")
    sp.add_argument("action", choices=["set", "show", "presets"])
    sp.add_argument("file", nargs="?")
    sp.add_argument("--format", choices=["toml", "json"], default="toml")

    sp = cmd("leave", "calendar_days:cmd_leave", "record leave (whole day, or --hours)")
    sp.add_argument("action", choices=["add", "remove", "list"])
    sp.add_argument("date", nargs="?")
    sp.add_argument("--hours", type=float)
    sp.add_argument("--type", choices=["pto", "sick", "holiday", "education", "other"],
                    default="pto")
    sp.add_argument("--from", dest="from_date")
    sp.add_argument("--to", dest="to_date")

    sp = cmd("block", "calendar_days:cmd_block", "tag why a protected block was lost")
    sp.add_argument("action", choices=["tag", "untag"])
    sp.add_argument("date")
    sp.add_argument("time", help="the block's start, HH:MM")
    sp.add_argument("--reason", default="other")
    sp.add_argument("--escalated", action="store_true",
                    help="a manager was told: also records an escalation for the block")
    sp.add_argument("--to", help="with --escalated: the role told (default: manager)")
    sp.add_argument("--how", choices=[h.value for h in EscalationHow],
                    help="with --escalated: how the manager was told")
    sp.add_argument("--at", help='with --escalated: when, local "YYYY-MM-DD HH:MM" '
                    "(default: now)")

    add_escalation_parser(sub)

    sp = cmd("capacity", "calendar_days:cmd_capacity",
             "record caseload size and returns not offered in time (numbers only)")
    sp.add_argument("action", choices=["log"])
    sp.add_argument("date")
    sp.add_argument("--caseload", type=int, required=True, help="open patients on the caseload")
    sp.add_argument("--return-not-offered", type=int, dest="return_not_offered",
                    help="patients who could not be offered a return within the clinically "
                    "indicated interval")

    sp = cmd("access", "calendar_days:cmd_access",
             "record the next available return appointment")
    sp.add_argument("action", choices=["log"])
    sp.add_argument("date")
    sp.add_argument("days", type=int, help="business days")

    sp = cmd("summary", "reports:cmd_summary", "the weekly ledger of a period")
    _period_options(sp)
    sp.add_argument("--format", choices=["text", "json"], default="text")
    sp.add_argument("--rule", help="also show the same weeks under another contract rule: a "
                    "preset (see carelog schedule presets) or a .toml file with a [target] "
                    "table")

    sp = cmd("export", "committee:cmd_export", "write a committee export: weekly aggregates, no "
             "patient information")
    _period_options(sp)
    sp.add_argument("--include-current", action="store_true",
                    help="export the weeks so far of a period that is not over (marked as in "
                    "progress, left out of the totals)")
    sp.add_argument("--format", choices=["pdf", "csv", "json"])
    sp.add_argument("--report", choices=["committee", "workload"], default="committee",
                    help="committee (default): the protected-time report; workload (PDF "
                    "only): one page per week in the style of a workload report form")
    sp.add_argument("--out", required=True)

    sp = cmd("seal", "record:cmd_seal", "seal the weeks of a period that are over, without "
             "exporting them")
    _period_options(sp)

    sp = cmd("verify", "record:cmd_verify", "recompute the seals of a committee JSON export "
             "from this log: exit 0 when every week matches, 1 when any changed")
    sp.add_argument("file")

    sp = sub.add_parser("merge", help="merge clinicians' summary JSON files into a clinic "
                        "roll-up (.json or .pdf)")
    sp.add_argument("files", nargs="+")
    sp.add_argument("--out", required=True)
    sp.add_argument("--min-clinicians", type=int, default=5)
    sp.set_defaults(handler=Command(_group("merge:cmd_merge"), needs_store=False))

    sp = cmd("backup", "backup:cmd_backup", "write a verified backup now")
    sp.add_argument("--to")
    sp = sub.add_parser("restore", help="replace the database with a backup (the replaced file "
                        "is kept)")
    sp.add_argument("path")
    sp.set_defaults(handler=Command(_group("backup:cmd_restore"), needs_store=False))
    cmd("check", "backup:cmd_check", "check the database and report what was found")
    sp = cmd("scrub", "backup:cmd_scrub", "remove a piece of text (a name written in a note) "
             "from every note, the undo journal and the file's free space; name the older "
             "backups that still hold it")
    sp.add_argument("text", help="the text to remove, at least 3 characters (matched in any "
                    "case); '-' reads it from standard input")
    sp = cmd("demo", "importing:cmd_demo", "fill an empty database with sample weeks")
    sp.add_argument("--weeks", type=int, default=12)

    add_import_parser(sub)
    return p


def _validate(a: argparse.Namespace) -> None:
    needs = {("schedule", "set"): "file", ("leave", "add"): "date", ("leave", "remove"): "date",
             ("categories", "add"): "code", ("categories", "remove"): "code"}
    key = (a.command, getattr(a, "action", None))
    if key in needs and not getattr(a, needs[key]):
        raise BadInput(f"'{a.command} {key[1]}' needs a {needs[key]}.", field=needs[key])


# Commands (and actions) that only read the log: they never need the write lock, make no daily
# backup (the next command that writes does), and still read on a full or read-only disk. A
# committee export is not one of them: it records the seals of the weeks it exports.
_READING = frozenset({"list", "summary", "check", "history", "verify", "backup"})
_READING_ACTIONS = frozenset({("schedule", "show"), ("schedule", "presets"),
                              ("categories", "list"), ("leave", "list"), ("timer", "status")})


def reads_only(a: argparse.Namespace) -> bool:
    """True when the parsed command only reads the log."""
    if a.command in _READING:
        return True
    if a.command == "import":
        return bool(getattr(a, "dry_run", False))
    return (a.command, getattr(a, "action", None)) in _READING_ACTIONS


def _busy_timeout() -> float:
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
    args = sys.argv[1:] if argv is None else list(argv)
    a = build_parser(command_named(args)).parse_args(args)
    if not a.command:
        sys.stderr.write("carelog: Give a command, such as add, list or summary; see "
                         "'carelog --help'.\n")
        return 2
    try:
        if a.db is not None and not a.db.strip():
            raise BadInput("The --db path is empty; give a database file.", field="db")
        db = Path(a.db).expanduser() if a.db else default_db_path()
        _validate(a)
        handler: Command = a.handler
        if not handler.needs_store:
            a.db_path = db
            return handler(a)
        timeout = _busy_timeout()
        with Store.open(db, busy_timeout=timeout, reading=reads_only(a)) as store:
            try:
                return handler(store, a)
            finally:
                # Warnings from opening, and from reading (a stored value that was skipped).
                for warning in store.warnings:
                    sys.stderr.write(f"carelog: warning: {warning}\n")
    except CarelogError as exc:
        sys.stderr.write(f"carelog: {cli_sentence(exc)}\n")
        return exc.exit_status
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader stopped reading (carelog list | head): not worth a word. Whatever was to
        # be saved was saved before anything was printed; later writes go nowhere.
        with contextlib.suppress(OSError, ValueError):
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        return 1
    except Exception as exc:  # a bug: still one sentence, never a traceback
        sys.stderr.write(f"carelog: Something went wrong that Carelog did not expect "
                         f"({type(exc).__name__}: {one_line(str(exc))[:120]}); please report "
                         "it.\n")
        return 1


def run() -> NoReturn:
    """Console-script wrapper."""
    raise SystemExit(main())


if __name__ == "__main__":
    run()
