"""Reading summary files for a roll-up: the quick reading keeps what the whole model keeps.

`read_weeks` reads most files through a lean, strict schema and hands any other to
`read_summary`; whatever a file holds, both give the same weeks or the same refusal. Thousands of
files are read on every core, and the roll-up is the same, byte for byte, as read one by one.
"""

from __future__ import annotations

import json
import os
import select
import signal
import threading
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from carelog.core.domain.errors import BadInput
from carelog.core.exporting import merge_read
from carelog.core.exporting.merge import merge, merge_files, render_clinic
from carelog.core.exporting.merge_read import (
    POOL_FROM,
    FileWeeks,
    file_weeks,
    needs_care,
    read_summary,
    read_weeks,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.core.test_honest_reports import summary_file, week
from tests.core.test_hostile_inputs import _WEEK_PATHS, _WILD, _merge_week

_GONE = object()  # the key is left out of the file
_TOP_PATHS = [("contributor",), ("display_name",), ("from",), ("to",), ("exported_at",),
              ("version",), ("contract",), ("contract", "full_time_h")]


def _quick(path: Path) -> FileWeeks | str:
    try:
        return read_weeks(path)
    except BadInput as exc:
        return exc.message


def _whole(path: Path) -> FileWeeks | str:
    try:
        return file_weeks(path.name, read_summary(path))
    except BadInput as exc:
        return exc.message


def _body(weeks: list[dict[str, object]]) -> dict[str, object]:
    return {"format": "carelog-summary", "version": 2, "contributor": "c1",
            "display_name": None, "from": "2026-11-16", "to": "2026-11-22",
            "exported_at": "2026-11-30T10:00:00Z", "contract": {"full_time_h": 32},
            "weeks": weeks}


@settings(max_examples=400, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(where=st.sampled_from([("weeks", *p) for p in _WEEK_PATHS] + _TOP_PATHS),
       value=st.one_of(_WILD, st.just(_GONE)))
def test_the_quick_reading_keeps_what_the_whole_model_keeps(
        tmp_path: Path, where: tuple[str, ...], value: object) -> None:
    """Any value in any field, or none: the same weeks, or the same one-sentence refusal."""
    body = _body([_merge_week(), _merge_week()])
    node: object = body
    for key in where[:-1]:
        node = node[0] if isinstance(node, list) else node[key]  # type: ignore[index]
        if isinstance(node, list):
            node = node[0]
    assert isinstance(node, dict)
    if value is _GONE:
        node.pop(where[-1], None)
    else:
        node[where[-1]] = value
    path = tmp_path / "one.json"
    path.write_text(json.dumps(body, default=str))
    assert _quick(path) == _whole(path)


@pytest.mark.parametrize("number", [
    "NaN", "-Infinity", "1e400", "1E+309", "-2e0400", "9" * 250 + "e99", "1" + "0" * 320 + ".5",
])
def test_a_number_no_float_holds_is_refused_also_where_merge_does_not_look(
        tmp_path: Path, number: str) -> None:
    path = tmp_path / "one.json"
    text = json.dumps(_body([_merge_week()]))
    path.write_text(text.replace('"by_category_min": {}', f'"by_category_min": {{"x": {number}}}'))
    assert number in path.read_text()
    for read in (read_weeks, read_summary):
        with pytest.raises(BadInput, match=r"The file one\.json holds a number Carelog cannot"):
            read(path)


def test_a_seal_or_an_ordinary_number_needs_no_careful_reading() -> None:
    seal = "sha256:" + "e369" * 15 + "0e1e"
    text = json.dumps({"seal": seal, "small": 1e-05, "big": 12345678901234567890,
                       "list": [1.5, -2, 0.001], "word": "Never", "e": "e400"})
    assert not needs_care(text.encode())
    assert needs_care(text.replace("1e-05", "1e+400").encode())
    assert needs_care(text.replace("Never", "NaN").encode())


def _clinic(folder: Path, n: int) -> list[Path]:
    """n clinicians' files over three weeks, a few of them given again in a newer export."""
    labels = [("2026-W46", "2026-11-09"), ("2026-W47", "2026-11-16"), ("2026-W48", "2026-11-23")]
    files = []
    for i in range(n):
        weeks = [week(ipc=150 + (i * 37 + k * 11) % 400, after=(i * 13) % 200,
                      booked=(i * 7) % 90, label=label, start=start,
                      reasons={"meeting": i % 4} if i % 5 == 0 else None)
                 for k, (label, start) in enumerate(labels[i % 2:])]
        files.append(summary_file(folder, f"c{i:04d}", weeks))
    for i in range(0, n, 40):
        again = summary_file(folder, f"c{i:04d}-again",
                             [week(ipc=90, label="2026-W47", start="2026-11-16")],
                             contributor=f"c{i:04d}")
        data = json.loads(again.read_text())
        data["exported_at"] = "2026-12-01T08:00:00Z"
        again.write_text(json.dumps(data))
        files.insert(i + 7, again)
    return files


@pytest.fixture
def two_cores(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Read on two processes even where the machine has one core; each pool's size is noted."""
    pools: list[int] = []

    def pool(workers: int, **kwargs: Any) -> ProcessPoolExecutor:
        pools.append(workers)
        return ProcessPoolExecutor(workers, **kwargs)

    monkeypatch.setattr(merge_read, "_cores", lambda: 2)
    monkeypatch.setattr(merge_read, "ProcessPoolExecutor", pool)
    return pools


def test_files_read_on_every_core_merge_as_when_read_one_by_one(tmp_path: Path,
                                                                two_cores: list[int]) -> None:
    files = _clinic(tmp_path, POOL_FROM + 30)
    assert len(files) > POOL_FROM
    clinic = merge(files)
    assert two_cores == [2]
    assert any("newer export" in n for n in clinic["notes"])
    one_by_one = merge_files([(p, read_summary(p)) for p in files])
    assert render_clinic(clinic, "json") == render_clinic(one_by_one, "json")


def test_the_first_bad_file_is_named_when_read_on_every_core(tmp_path: Path,
                                                             two_cores: list[int]) -> None:
    files = _clinic(tmp_path, POOL_FROM + 30)
    files[60].write_text('{"format": "carelog-summary", "version": 2, "weeks": [')
    files[150].write_text("not json")
    with pytest.raises(BadInput) as raised:
        merge(files)
    assert two_cores == [2]
    with pytest.raises(BadInput) as alone:
        read_summary(files[60])
    assert raised.value.message == alone.value.message
    assert raised.value.message.startswith(f"The file {files[60].name} is cut short")


def test_an_ordinary_file_needs_only_the_quick_reading(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "one.json"
    path.write_text(json.dumps(_body([_merge_week(), _merge_week()])))
    whole = _whole(path)

    def no_careful_reading(path: Path, raw: bytes) -> None:
        raise AssertionError(f"{path.name} was read carefully")

    monkeypatch.setattr(merge_read, "_summary_of", no_careful_reading)
    assert read_weeks(path) == whole


@pytest.mark.skipif(not hasattr(os, "fork"), reason="reading processes are forked copies")
def test_a_reading_process_ends_when_the_merge_that_started_it_is_killed() -> None:
    # A merge killed outright leaves its reading processes behind; each watches for that.
    # The grandchild below stands for a reading process, its parent for a killed merge; the
    # pipe's read end sees its end once the last process holding the write end has gone.
    r, w = os.pipe()
    middle = os.fork()
    if middle == 0:
        os.close(r)
        if os.fork() == 0:
            try:
                os.write(w, os.getpid().to_bytes(8, "little"))
                merge_read._leave_with_the_parent()
                threading.Event().wait()  # waits for work for ever, as an idle reader would
            finally:
                os._exit(0)
        os._exit(0)
    os.close(w)
    os.waitpid(middle, 0)
    reader = int.from_bytes(os.read(r, 8), "little")
    ready, _, _ = select.select([r], [], [], 30)
    if not ready:
        os.kill(reader, signal.SIGKILL)
    assert ready, "the reading process outlived the merge that started it"
    assert os.read(r, 1) == b""
    os.close(r)
