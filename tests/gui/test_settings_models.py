"""The Settings dialog's Qt models: leave, categories, backups and editable protected blocks."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from carelog.core.domain.categories import CategoryClass, CategoryInfo, CategoryRegistry
from carelog.core.domain.models import Leave, LeaveType
from carelog.core.domain.schedule import ProtectedBlock, TimeRange
from carelog.core.store.backup import BackupInfo
from carelog.gui.models import backup_table_model as backups_m
from carelog.gui.models import category_table_model as categories_m
from carelog.gui.models import leave_table_model as leave_m
from carelog.gui.models.backup_table_model import BackupTableModel, size_text
from carelog.gui.models.category_table_model import CategoryTableModel
from carelog.gui.models.leave_table_model import LeaveTableModel
from carelog.gui.models.protected_block_model import (
    COL_DAY,
    COL_LABEL,
    COL_TIME,
    BlockRow,
    ProtectedBlockModel,
)
from PySide6.QtCore import Qt
from pytestqt.modeltest import ModelTester

DISPLAY = Qt.ItemDataRole.DisplayRole
EDIT = Qt.ItemDataRole.EditRole


def test_leave_model_passes_the_model_tester_and_shows_amounts(
        qtmodeltester: ModelTester) -> None:
    model = LeaveTableModel()
    qtmodeltester.check(model)
    model.set_rows([Leave(day=date(2026, 11, 19), minutes=150, type=LeaveType.EDUCATION),
                    Leave(day=date(2026, 11, 18), type=LeaveType.SICK)])
    qtmodeltester.check(model)
    assert model.rowCount() == 2
    assert model.data(model.index(0, leave_m.COL_DATE), DISPLAY) == "Wed 18 Nov 2026"
    assert model.data(model.index(0, leave_m.COL_AMOUNT), DISPLAY) == "Whole day"
    assert model.data(model.index(0, leave_m.COL_TYPE), DISPLAY) == "Sick"
    assert model.data(model.index(1, leave_m.COL_AMOUNT), DISPLAY) == "2 h 30 m"
    assert model.row_of(date(2026, 11, 19)) == 1
    assert model.row_of(date(2026, 11, 20)) is None


def test_category_model_passes_the_model_tester_and_marks_user_categories(
        qtmodeltester: ModelTester) -> None:
    registry = CategoryRegistry([CategoryInfo("peer_consult", CategoryClass.IPC,
                                              "Peer consultation", "Peer consultation",
                                              builtin=False)])
    model = CategoryTableModel()
    qtmodeltester.check(model)
    model.set_rows(registry.all())
    qtmodeltester.check(model)
    row = model.row_of("peer_consult")
    assert row is not None
    assert model.data(model.index(row, categories_m.COL_CLASS), DISPLAY) == "IPC"
    assert model.data(model.index(row, categories_m.COL_KIND), DISPLAY) == categories_m.YOURS
    brk = model.row_of("break")
    assert brk is not None
    assert model.data(model.index(brk, categories_m.COL_CLASS), DISPLAY) == "Break"
    assert model.data(model.index(brk, categories_m.COL_KIND), DISPLAY) == categories_m.BUILT_IN


def test_backup_model_passes_the_model_tester_and_shows_when_kind_size(
        qtmodeltester: ModelTester) -> None:
    model = BackupTableModel()
    qtmodeltester.check(model)
    made = datetime(2026, 11, 17, 9, 5)
    path = Path("/data/carelog-backups/carelog-manual-20261117-090500.db")
    model.set_rows([BackupInfo(path, "manual", made, 1_468_006),
                    BackupInfo(Path("/data/carelog-backups/carelog-daily-2026-11-16.db"),
                               "daily", datetime(2026, 11, 16, 8, 0), 900)])
    qtmodeltester.check(model)
    assert model.data(model.index(0, backups_m.COL_WHEN), DISPLAY) == "Tue 17 Nov 2026 09:05"
    assert model.data(model.index(0, backups_m.COL_KIND), DISPLAY) == "Made by hand"
    assert model.data(model.index(0, backups_m.COL_SIZE), DISPLAY) == "1.4 MB"
    assert model.data(model.index(1, backups_m.COL_SIZE), DISPLAY) == "900 B"
    assert model.row_of(path) == 0
    assert size_text(640 * 1024) == "640 KB"


def test_block_model_edits_rows_and_passes_the_model_tester(
        qtmodeltester: ModelTester) -> None:
    model = ProtectedBlockModel()
    qtmodeltester.check(model)
    model.set_blocks([ProtectedBlock(day="tue", span=TimeRange(start=960, end=1020))])
    qtmodeltester.check(model)
    assert model.data(model.index(0, COL_DAY), DISPLAY) == "Tuesday"
    assert model.data(model.index(0, COL_DAY), EDIT) == "tue"
    model.add_row(BlockRow("wed", "15:00-16:00", "Charting"))
    assert model.setData(model.index(1, COL_DAY), "Thursday")
    assert model.setData(model.index(1, COL_TIME), "15:30 – 16:30")
    assert model.setData(model.index(1, COL_LABEL), " Notes ")
    assert not model.setData(model.index(1, COL_DAY), "Someday")
    qtmodeltester.check(model)
    assert model.as_dicts() == [
        {"day": "tue", "time": "16:00-17:00", "label": "IPC"},
        {"day": "thu", "time": "15:30-16:30", "label": "Notes"},
    ]
    model.remove_row(0)
    assert [r.day for r in model.rows()] == ["thu"]
    assert model.flags(model.index(0, COL_TIME)) & Qt.ItemFlag.ItemIsEditable
