"""The activity taxonomy: built-in categories, their classes, and user-defined additions."""

from __future__ import annotations

from enum import StrEnum

from carelog.core.domain.datatypes import Record
from carelog.core.domain.errors import BadInput, Remedy


class CategoryClass(StrEnum):
    """What a category counts toward in the weekly ledger."""

    DIRECT = "direct"
    IPC = "ipc"
    OTHER = "other"


class Category(StrEnum):
    """The built-in categories of DESIGN §2.1; their codes are a public contract."""

    INDIVIDUAL = "individual"
    INTAKE = "intake"
    GROUP = "group"
    URGENT = "urgent"
    DOCUMENTATION = "documentation"
    MESSAGES = "messages"
    TREATMENT_PLANNING = "treatment_planning"
    CARE_COORDINATION = "care_coordination"
    COMMUNITY_LINKAGE = "community_linkage"
    SAFETY_MANDATED = "safety_mandated"
    GROUP_PREP = "group_prep"
    PATIENT_FORMS = "patient_forms"
    MEETING = "meeting"
    TRAINING = "training"
    ADMIN = "admin"
    SUPERVISION_TEACHING = "supervision_teaching"
    COMMITTEE = "committee"
    BREAK = "break"


BREAK_CODE = Category.BREAK.value


class CategoryInfo(Record, frozen=True):
    """One category as the app shows it: code, class, a short label and what it covers."""

    code: str
    cls: CategoryClass
    label: str
    meaning: str
    builtin: bool = True

    @property
    def is_work(self) -> bool:
        """Break is logged but is not work; everything else is."""
        return self.code != BREAK_CODE


_D, _I, _O = CategoryClass.DIRECT, CategoryClass.IPC, CategoryClass.OTHER

BUILTIN: tuple[CategoryInfo, ...] = (
    CategoryInfo("individual", _D, "Session", "Individual, couple or family session"),
    CategoryInfo("intake", _D, "Intake", "New-patient intake or assessment"),
    CategoryInfo("group", _D, "Group", "Facilitating a group"),
    CategoryInfo("urgent", _D, "Urgent visit", "Urgent, same-day or crisis visit"),
    CategoryInfo("documentation", _I, "Charting", "Progress notes and charting"),
    CategoryInfo("messages", _I, "Messages", "Patient calls, voicemails, secure messages, emails"),
    CategoryInfo("treatment_planning", _I, "Treatment planning",
                 "Treatment plans, appointment prep, chart review"),
    CategoryInfo("care_coordination", _I, "Care coordination",
                 "With PCPs, psychiatry, other providers; clinical consults about a patient"),
    CategoryInfo("community_linkage", _I, "Community linkage",
                 "Connecting patients with community and social-service agencies"),
    CategoryInfo("safety_mandated", _I, "Safety / mandated",
                 "Welfare checks, 5150 coordination, CPS/APS reports, duty to warn"),
    CategoryInfo("group_prep", _I, "Group prep", "Preparing group material, group documentation"),
    CategoryInfo("patient_forms", _I, "Patient forms",
                 "Patient-specific letters and forms (leave, disability)"),
    CategoryInfo("meeting", _O, "Meeting", "Department, team or staff meetings"),
    CategoryInfo("training", _O, "Training", "Required or continuing-education training"),
    CategoryInfo("admin", _O, "Admin", "Non-patient administrative work"),
    CategoryInfo("supervision_teaching", _O, "Supervision / teaching",
                 "Supervising or precepting trainees, leading training"),
    CategoryInfo("committee", _O, "Committee", "Practice committee, steward or union release time"),
    CategoryInfo("break", _O, "Break", "Meal or rest break (not work)"),
)

BUILTIN_BY_CODE: dict[str, CategoryInfo] = {c.code: c for c in BUILTIN}

# Short words a therapist types in the quick-entry line, mapped to category codes.
ALIASES: dict[str, str] = {
    "session": "individual", "ind": "individual", "indiv": "individual", "appt": "individual",
    "intake": "intake", "assess": "intake",
    "group": "group", "grp": "group",
    "urgent": "urgent", "crisis": "urgent",
    "doc": "documentation", "docs": "documentation", "chart": "documentation",
    "charting": "documentation", "note": "documentation", "notes": "documentation",
    "msg": "messages", "msgs": "messages", "message": "messages", "call": "messages",
    "calls": "messages", "vm": "messages", "email": "messages",
    "tx": "treatment_planning", "plan": "treatment_planning", "prep": "treatment_planning",
    "coord": "care_coordination", "consult": "care_coordination",
    "community": "community_linkage", "referral": "community_linkage",
    "safety": "safety_mandated", "5150": "safety_mandated", "cps": "safety_mandated",
    "gprep": "group_prep", "forms": "patient_forms", "letter": "patient_forms",
    "mtg": "meeting", "meeting": "meeting", "train": "training", "admin": "admin",
    "sup": "supervision_teaching", "supervision": "supervision_teaching",
    "committee": "committee", "ppc": "committee",
    "lunch": "break", "break": "break",
}


class CategoryRegistry:
    """Built-in categories plus the user's own, looked up by code."""

    def __init__(self, user: list[CategoryInfo] | None = None) -> None:
        self._by_code: dict[str, CategoryInfo] = dict(BUILTIN_BY_CODE)
        for info in user or []:
            self._by_code[info.code] = info

    def __contains__(self, code: object) -> bool:
        return code in self._by_code

    def get(self, code: str) -> CategoryInfo:
        """Return the category with this code; raise KeyError if there is none."""
        return self._by_code[code]

    def known(self, code: str) -> CategoryInfo:
        """Return the category with this code, or BadInput naming it (remedy: see the list)."""
        info = self._by_code.get(code)
        if info is None:
            raise BadInput(f"Unknown category '{code}'.", field="category",
                           remedy=Remedy.LIST_CATEGORIES)
        return info

    def label_of(self, code: str) -> str:
        """The label of a category, or the code itself when it is unknown."""
        info = self._by_code.get(code)
        return info.label if info else code

    def check_new(self, code: str, cls: CategoryClass | str) -> tuple[str, CategoryClass]:
        """Validate a new user category's code and class; returns them tidied.

        The code must start with a letter, hold only letters, digits and underscores, and be
        neither a category nor a short word for one already.
        """
        code = code.strip().lower()
        if not code.replace("_", "").isalnum() or not code[:1].isalpha():
            raise BadInput(f"The category code '{code}' must start with a letter and hold only "
                           "letters, digits and underscores.", field="code")
        try:
            klass = CategoryClass(cls)
        except ValueError as exc:
            raise BadInput(f"The class '{cls}' must be direct, ipc or other.",
                           field="class") from exc
        if code in self:
            raise BadInput(f"The category '{code}' already exists.", field="code")
        if code in ALIASES:
            raise BadInput(f"'{code}' is already a short word for {ALIASES[code]}; choose "
                           "another code.", field="code")
        return code, klass

    def class_of(self, code: str) -> CategoryClass:
        """Return the ledger class of a category code (unknown codes count as other work)."""
        info = self._by_code.get(code)
        return info.cls if info else CategoryClass.OTHER

    def all(self) -> list[CategoryInfo]:
        """Every category, IPC first (the work the ledger is about), then direct, then other."""
        order = {CategoryClass.IPC: 0, CategoryClass.DIRECT: 1, CategoryClass.OTHER: 2}
        items = list(self._by_code.values())
        return sorted(items, key=lambda c: (order[c.cls], not c.builtin, _index(c.code)))

    def resolve(self, word: str) -> str | None:
        """Map a typed word (code, alias or label) to a category code, or None."""
        w = word.strip().lower()
        if w in self._by_code:
            return w
        if w in ALIASES:
            return ALIASES[w]
        for info in self._by_code.values():
            if info.label.lower() == w:
                return info.code
        return None


def short_word(code: str) -> str:
    """The shortest word the quick line takes for a category ('coord' for care coordination)."""
    words = [alias for alias, target in ALIASES.items() if target == code and alias.isalpha()]
    return min(words, key=lambda w: (len(w), w)) if words else code


def _index(code: str) -> int:
    for i, info in enumerate(BUILTIN):
        if info.code == code:
            return i
    return len(BUILTIN)
