"""Target rules and their presets: how a week's protected-time target is computed.

A rule is one of four shapes (DESIGN §2.4.1); a preset is a named rule taken from a public
contract or offer, always shown as an example to check against one's own contract. A schedule
version (`schedule.py`) holds one rule.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from carelog.core.domain.codes import DEFAULT_PARTLY_MET_AT
from carelog.core.domain.errors import BadInput
from carelog.core.domain.formatting import fmt_minutes, num
from pydantic import BaseModel, ConfigDict

EXAMPLE_NOTE = "example — check your own contract"

RuleShape = Literal["hours", "percent", "floor", "per_appointment"]
RULE_SHAPES: tuple[str, ...] = ("hours", "percent", "floor", "per_appointment")
EXAMPLE_APPOINTMENTS = 30
"""Appointments in the example week a per-appointment rule is previewed with (Kaiser's October
2022 example of a 40-hour week had 30 patients)."""


class TargetRule(BaseModel):
    """How a week's protected-time target is computed (DESIGN §2.4.1).

    - `hours`: H hours per full-time week, prorated by the day's expected minutes;
    - `percent`: rate × expected × (1 − meeting allowance / full time);
    - `floor`: H hours of which `protected_hours` P are protected; the target is the protected
      part, prorated like `hours`, and the rest (H − P) is the flexible part;
    - `per_appointment`: `minutes_per_appointment` for every direct-care appointment held.
    """

    model_config = ConfigDict(frozen=True, defer_build=True)

    rule: RuleShape
    hours: float | None = None
    rate: float | None = None
    protected_hours: float | None = None
    minutes_per_appointment: float | None = None
    meeting_allowance_h: float = 0.0
    full_time_h: float = 40.0
    partly_met_at: float = DEFAULT_PARTLY_MET_AT

    def day_target(self, expected_min: float, appointments: int = 0) -> float:
        """The unrounded target minutes of a day with these expected minutes and appointments.

        `appointments` matters only to `per_appointment`; the other shapes read only the
        expected minutes.
        """
        if self.rule == "hours":
            return (self.hours or 0.0) * expected_min / self.full_time_h
        if self.rule == "floor":
            return (self.protected_hours or 0.0) * expected_min / self.full_time_h
        if self.rule == "per_appointment":
            return (self.minutes_per_appointment or 0.0) * appointments
        share = 1.0 - self.meeting_allowance_h / self.full_time_h
        return (self.rate or 0.0) * expected_min * share

    def day_flexible(self, expected_min: float) -> float:
        """The unrounded flexible minutes of a day (the unprotected part of a `floor`)."""
        if self.rule != "floor":
            return 0.0
        flexible = (self.hours or 0.0) - (self.protected_hours or 0.0)
        return flexible * expected_min / self.full_time_h

    def describe(self) -> str:
        """The rule in words, e.g. '20 % of expected hours after a 2.5 h meeting allowance'."""
        full = num(self.full_time_h)
        if self.rule == "hours":
            return f"{num(self.hours or 0)} h of protected time per {full} h week"
        if self.rule == "floor":
            return (f"{num(self.hours or 0)} h per {full} h week, of which "
                    f"{num(self.protected_hours or 0)} h protected")
        if self.rule == "per_appointment":
            return (f"{num(self.minutes_per_appointment or 0)} min of protected time for each "
                    "direct-care appointment held")
        text = f"{num((self.rate or 0) * 100)} % of expected hours"
        if self.meeting_allowance_h:
            text += (f" after a {num(self.meeting_allowance_h)} h meeting allowance per "
                     f"{full} h")
        return text

    def preview(self, weekly_hours: float | None = None) -> str:
        """'For a 40-hour week this means 7 h 30 m.' (per appointment: for 30 appointments)."""
        if self.rule == "per_appointment":
            minutes = round(self.day_target(0, EXAMPLE_APPOINTMENTS))
            return (f"For {EXAMPLE_APPOINTMENTS} appointments in a week this means "
                    f"{fmt_minutes(minutes)}.")
        hours = self.full_time_h if weekly_hours is None else weekly_hours
        expected = round(hours * 60)
        minutes = round(self.day_target(expected))
        if self.rule == "floor":
            flexible = round(self.day_flexible(expected))
            return (f"For a {num(hours)}-hour week this means {fmt_minutes(minutes)} protected "
                    f"and {fmt_minutes(flexible)} flexible.")
        return f"For a {num(hours)}-hour week this means {fmt_minutes(minutes)}."

    def toml_lines(self) -> list[str]:
        """The [target] table's lines, with the keys this shape uses."""
        out = [f'rule = "{self.rule}"']
        if self.rule in ("hours", "floor"):
            out.append(f"hours = {num(self.hours or 0)}")
        if self.rule == "floor":
            out.append(f"protected_hours = {num(self.protected_hours or 0)}")
        if self.rule == "per_appointment":
            out.append(f"minutes_per_appointment = {num(self.minutes_per_appointment or 0)}")
        if self.rule == "percent":
            out.append(f"rate = {num(self.rate or 0)}")
        out += [f"meeting_allowance_h = {num(self.meeting_allowance_h)}",
                f"full_time_h = {num(self.full_time_h)}",
                f"partly_met_at = {num(self.partly_met_at)}"]
        return out


# ------------------------------------------------------------------------- presets

@dataclass(frozen=True, slots=True)
class Preset:
    """A named target rule, always shown as an example to check against one's own contract.

    `key` is permanent (schedule files name it as `preset = "…"`): a preset may be relabelled,
    but a key never comes to mean another rule. `source` says in words where the numbers come
    from and `links` are the public pages that say so.
    """

    key: str
    name: str
    rule: TargetRule
    source: str
    links: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        """The name with its caution, as every screen shows it."""
        return f"{self.name} ({EXAMPLE_NOTE})"

    @property
    def tooltip(self) -> str:
        """What the window shows on hovering a preset: the rule, where it comes from, links."""
        lines = [f"{self.rule.describe()}. {self.rule.preview()}", self.source,
                 *(f"Source: {link}" for link in self.links),
                 f"This is an {EXAMPLE_NOTE}."]
        return "\n".join(lines)


PRESETS: tuple[Preset, ...] = (
    Preset("kaiser-norcal-2022", "Kaiser NorCal 2021–2025 contract (expired Sept 2025)",
           TargetRule(rule="percent", rate=0.20, meeting_allowance_h=2.5, full_time_h=40),
           "Kaiser's October 2022 worked example for the Northern California contract: 20 % "
           "of a 40-hour week after 2.5 h of meetings, 7.5 h of indirect patient care. That "
           "contract ran from 2021 and expired at the end of September 2025; its successor "
           "was still being bargained.",
           ("https://fortherecord.kaiserpermanente.org/kp-nuhw-bargaining-update-week-of-oct-10",
            "https://about.kaiserpermanente.org/who-we-are/labor-relations/nuhw-bargaining/"
            "nuhw-bargaining-begins-in-northern-california")),
    Preset("7h-per-40h", "About 7 h per 40 h",
           TargetRule(rule="hours", hours=7.0, full_time_h=40),
           "The union describes Northern California clinicians as averaging about 7 hours a "
           "week that management cannot book into.",
           ("https://nuhw.org/clinicians-continue-fight-to-preserve-patient-management-time/",)),
    # This key named Kaiser's September 2024 SoCal offer (also 5 h per 40 h); the contract
    # ratified in May 2025 kept the same number, so the key keeps its rule under a new label.
    Preset("kaiser-socal-2024", "Kaiser SoCal 2024–2028 contract: 5 h guaranteed",
           TargetRule(rule="hours", hours=5.0, full_time_h=40),
           "Southern California's contract, ratified in May 2025 and running from September "
           "2024 to 2028, guarantees full-time therapists five hours of Patient Management "
           "Time a week. Whether management may book into them, and how part time is "
           "prorated, was not found in public sources; prorating by hours is assumed.",
           ("https://home.nuhw.org/2025/05/08/"
            "kaiser-mental-health-workers-ratify-contract-after-196-day-strike",
            "https://www.kpbs.org/news/health/2025/05/08/"
            "kaiser-mental-health-workers-return-after-historic-strike-citing-gains-and-gaps")),
    Preset("kaiser-socal-oct-2024-offer", "Kaiser SoCal Oct 2024 offer: 6 h, 4 protected",
           TargetRule(rule="floor", hours=6.0, protected_hours=4.0, full_time_h=40),
           "Kaiser's October 2024 offer in Southern California: 6 hours a week for planning, "
           "preparation and care coordination, of which 4 protected. It was not the contract "
           "signed; it shows a rule with a protected and a flexible part.",
           ("https://about.kaiserpermanente.org/who-we-are/labor-relations/nuhw-bargaining/"
            "we-continue-good-faith-efforts-to-reach-a-new-agreement",)),
)

PRESETS_BY_KEY = {p.key: p for p in PRESETS}


def preset(key: str) -> Preset:
    """Look up a preset by key, naming the valid keys when it is unknown."""
    if key not in PRESETS_BY_KEY:
        raise BadInput(f"Unknown preset '{key}'; choose one of "
                       f"{', '.join(PRESETS_BY_KEY)}.", field="preset")
    return PRESETS_BY_KEY[key]


def preset_of(rule: TargetRule) -> Preset | None:
    """The preset whose rule this is, or None for a rule of one's own."""
    return next((p for p in PRESETS if p.rule == rule), None)
