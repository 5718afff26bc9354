"""The Categories page: every category and what it counts as; add one of your own, or remove it."""

from __future__ import annotations

from carelog.core.domain.categories import CategoryClass
from carelog.core.domain.errors import CarelogError
from carelog.gui.dialogs.settings.fields import buddy, error_label, fail, written
from carelog.gui.formatting import CLASS_TIPS, CLASS_WORDS
from carelog.gui.models.category_table_model import CategoryTableModel
from carelog.gui.state import AppState
from carelog.gui.widgets.controls import named
from carelog.gui.widgets.forms import button_row
from carelog.gui.widgets.labels import wrapped_label
from carelog.gui.widgets.tables import read_only_table
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)


class CategoriesPage(QWidget):
    """The category list, and a form that adds a category through the store."""

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        intro = QLabel("Categories sort what you log. Add your own, each counted as IPC, direct "
                       "care or other work; a category of yours can be removed while no entry "
                       "uses it.")
        intro.setWordWrap(True)
        self.category_model = CategoryTableModel(self)
        self.category_table = read_only_table("Categories", self.category_model)
        header = self.category_table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)

        self.code_edit = named(QLineEdit(), "New category quick word")
        self.code_edit.setPlaceholderText("e.g. peer")
        self.code_edit.setToolTip("One short word, letters and digits, starting with a letter: "
                                  "what you type in the quick line, as in “peer 20”.")
        self.label_edit = named(QLineEdit(), "New category label")
        self.label_edit.setPlaceholderText("e.g. Peer consultation")
        self.class_combo = named(QComboBox(), "What the new category counts as")
        for cls in (CategoryClass.IPC, CategoryClass.DIRECT, CategoryClass.OTHER):
            self.class_combo.addItem(CLASS_WORDS[cls], cls.value)
            self.class_combo.setItemData(self.class_combo.count() - 1, CLASS_TIPS[cls],
                                         Qt.ItemDataRole.ToolTipRole)
        self.class_combo.setToolTip(CLASS_TIPS[CategoryClass.IPC])
        self.add_category_button = named(QPushButton("Add category"), "Add the category")
        self.remove_category_button = named(
            QPushButton("Remove category"), "Remove the selected category")
        self.remove_category_button.setEnabled(False)
        self.category_error = error_label("the category")
        self.category_status = wrapped_label("Category status")

        form = QGridLayout()
        form.addWidget(buddy("Quick w&ord", self.code_edit), 0, 0)
        form.addWidget(self.code_edit, 0, 1)
        form.addWidget(buddy("&Label", self.label_edit), 0, 2)
        form.addWidget(self.label_edit, 0, 3)
        form.addWidget(buddy("Counts &as", self.class_combo), 0, 4)
        form.addWidget(self.class_combo, 0, 5)
        form.setColumnStretch(1, 1)
        form.setColumnStretch(3, 2)
        buttons = button_row(self.add_category_button, self.remove_category_button)

        box = QVBoxLayout(self)
        box.addWidget(intro)
        box.addWidget(self.category_table, 1)
        box.addLayout(form)
        box.addLayout(buttons)
        box.addWidget(self.category_error)
        box.addWidget(self.category_status)

        self.class_combo.currentIndexChanged.connect(self._on_class_combo_current_index_changed)
        self.add_category_button.clicked.connect(self._on_add_category_button_clicked)
        self.remove_category_button.clicked.connect(self._on_remove_category_button_clicked)
        self.code_edit.returnPressed.connect(self._on_add_category_button_clicked)
        self.category_table.selectionModel().selectionChanged.connect(
            self._on_category_selection_changed)

    def refresh(self) -> None:
        """Read the categories again."""
        self.category_model.set_rows(self.state.store.categories.all())
        self._on_category_selection_changed()

    def _selected_category(self) -> str | None:
        rows = self.category_table.selectionModel().selectedRows()
        return self.category_model.row_at(rows[0].row()).code if rows else None

    # ------------------------------------------------------------------ slots

    def _on_class_combo_current_index_changed(self, index: int) -> None:
        self.class_combo.setToolTip(str(self.class_combo.itemData(
            index, Qt.ItemDataRole.ToolTipRole) or ""))

    def _on_category_selection_changed(self, *args: object) -> None:
        code = self._selected_category()
        info = self.state.store.categories.get(code) if code else None
        self.remove_category_button.setEnabled(info is not None and not info.builtin)
        self.remove_category_button.setToolTip(
            "Built-in categories cannot be removed." if info is not None and info.builtin
            else "Remove the selected category of yours; refused while entries use it.")

    def _on_add_category_button_clicked(self) -> None:
        self.category_error.hide()
        try:
            info = self.state.store.add_category(self.code_edit.text(), self.label_edit.text(),
                                                 str(self.class_combo.currentData()))
        except CarelogError as exc:
            fail(self.category_error, self.category_status, exc.message)
            self.code_edit.setFocus()
            return
        self.code_edit.clear()
        self.label_edit.clear()
        written(self.state, self.category_status,
                f"Category '{info.label}' added; it counts as {CLASS_WORDS[info.cls]}.")
        row = self.category_model.row_of(info.code)
        if row is not None:
            self.category_table.selectRow(row)
            self.category_table.scrollTo(self.category_model.index(row, 0))

    def _on_remove_category_button_clicked(self) -> None:
        self.category_error.hide()
        code = self._selected_category()
        if code is None:
            return
        try:
            self.state.store.remove_category(code)
        except CarelogError as exc:
            fail(self.category_error, self.category_status, exc.message)
            return
        written(self.state, self.category_status, f"Category '{code}' removed.")
