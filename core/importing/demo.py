"""A realistic sample log: a full-time outpatient therapist's weeks, for exploring the app.

Sessions start on the hour, notes and messages fill the minutes between them, a weekly staff
meeting, a group on Wednesdays, lunch (sometimes skipped for messages), protected blocks that are
often kept and sometimes booked over (and now and then escalated to the clinic manager), the odd
evening of charting, some leave, and weekly access and capacity counts. Deterministic for a given
seed.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from carelog.core.domain.errors import BadInput, Remedy
from carelog.core.domain.formatting import clock
from carelog.core.domain.history import Via
from carelog.core.domain.models import (
    AccessObservation,
    BlockTag,
    CapacityObservation,
    Entry,
    ErosionReason,
    Escalation,
    EscalationAsk,
    EscalationHow,
    EscalationResponse,
    Leave,
    LeaveType,
    Source,
)
from carelog.core.domain.schedule import standard_week
from carelog.core.domain.target_rules import PRESETS_BY_KEY
from carelog.core.domain.timeutil import local_to_utc, stamp_of, to_local, utc_now, week_monday
from carelog.core.store.database import Store

DEMO_PRESET = "kaiser-norcal-2022"


def _e(store: Store, day: date, start: str, end: str, category: str) -> Entry:
    tz = store.tz
    sh, sm = (int(x) for x in start.split(":"))
    eh, em = (int(x) for x in end.split(":"))
    a = local_to_utc(day, sh * 60 + sm, tz)
    b = local_to_utc(day, eh * 60 + em, tz) if (eh, em) > (sh, sm) \
        else local_to_utc(day + timedelta(days=1), eh * 60 + em, tz)
    return Entry(category=category, start=a, end=b, source=Source.DEMO)


def _workday(store: Store, day: date,
             rng: random.Random) -> tuple[list[Entry], ErosionReason | None]:
    """One working day's entries and, when the protected block was lost, why."""
    out: list[Entry] = [_e(store, day, "08:30", "08:45", "messages")]
    wd = day.weekday()
    session = "individual"

    def gap(hour: int, chance: float) -> None:
        # The ten minutes between sessions: often a note, sometimes nothing gets logged.
        if rng.random() < chance:
            kind = rng.choice(["documentation", "documentation", "messages"])
            out.append(_e(store, day, f"{hour:02d}:50", f"{hour + 1:02d}:00", kind))

    for hour in (9, 10, 11):
        kind = "intake" if (wd == 1 and hour == 9) else session
        out.append(_e(store, day, f"{hour:02d}:00", f"{hour:02d}:50", kind))
        if hour < 11:
            gap(hour, 0.35)
    noon = rng.choice(["admin", "admin", "messages", "documentation"])
    out.append(_e(store, day, "12:00", "12:30", noon))
    if rng.random() < 0.25:
        out.append(_e(store, day, "12:30", "13:00", "messages"))  # lunch skipped
    else:
        out.append(_e(store, day, "12:30", "13:00", "break"))
    if wd == 0:
        out.append(_e(store, day, "13:00", "14:00", "meeting"))
    else:
        out.append(_e(store, day, "13:00", "13:50", session))
        gap(13, 0.3)
    if wd == 2:
        out.append(_e(store, day, "14:00", "15:30", "group"))
        out.append(_e(store, day, "15:30", "16:00", "group_prep"))
    else:
        out.append(_e(store, day, "14:00", "14:50", session))
        gap(14, 0.3)
        out.append(_e(store, day, "15:00", "15:50", session))
        gap(15, 0.3)
    # The protected block, 16:00–17:00.
    reason: ErosionReason | None = None
    roll = rng.random()
    if roll < 0.18:
        out.append(_e(store, day, "16:00", "16:50", "urgent"))
        reason = ErosionReason.URGENT_OVERFLOW
    elif roll < 0.38:
        out.append(_e(store, day, "16:00", "16:50", "individual"))
        reason = ErosionReason.BOOKED_ROUTINE
    elif roll < 0.48:
        out.append(_e(store, day, "16:00", "17:00", "training"))
        reason = ErosionReason.TRAINING_ADMIN
    else:
        out.append(_e(store, day, "16:00", "16:35", "documentation"))
        out.append(_e(store, day, "16:35", "16:50",
                      rng.choice(["care_coordination", "treatment_planning", "messages"])))
        out.append(_e(store, day, "16:50", "17:00", "messages"))
    # After hours: charting that did not fit.
    if reason is not None or rng.random() < 0.2:
        start = rng.choice(["19:00", "19:30", "20:00", "21:00"])
        h, m = (int(x) for x in start.split(":"))
        length = rng.choice([30, 45, 60, 75])
        end_min = h * 60 + m + length
        out.append(_e(store, day, start, clock(end_min),
                      rng.choice(["documentation", "documentation", "messages"])))
    return out, reason


def _delay(rng: random.Random) -> int:
    """Seconds between a sample entry's end and its recording."""
    roll = rng.random()
    if roll < 0.85:
        return rng.randint(1, 90) * 60
    if roll < 0.97:
        return rng.randint(14, 20) * 3600
    return rng.randint(2, 5) * 86_400


def fill_demo(store: Store, weeks: int = 12, today: date | None = None, seed: int = 47) -> int:
    """Fill an empty database with `weeks` weeks ending today; return how many entries."""
    if weeks < 1 or weeks > 520:
        raise BadInput("The number of demo weeks must be between 1 and 520.", field="weeks")
    if store.count_entries() or store.schedules():
        raise BadInput("The database already holds entries or a schedule; demo data goes only "
                       "into an empty database.", field="db", remedy=Remedy.EMPTY_DATABASE)
    rng = random.Random(seed)
    now = utc_now()
    today = today or to_local(now, store.tz).date()
    first = week_monday(today) - timedelta(weeks=weeks - 1)
    rule = PRESETS_BY_KEY[DEMO_PRESET].rule
    store.save_schedule(standard_week(first, store.timezone_name, rule))
    # Only the afternoon hour before closing is protected in the demo, Tuesday to Friday.
    version = store.schedules().versions[0]
    protected = tuple(b for b in version.protected if b.day != "mon")
    store.save_schedule(version.model_copy(update={"protected": protected}))

    leave_days = {first + timedelta(days=7 * (weeks // 2) + 4)}  # a Friday off mid-way
    if weeks >= 6:
        leave_days.add(first + timedelta(days=7 * (weeks // 3) + 1))
    entries: list[Entry] = []
    tags: list[BlockTag] = []
    day = first
    while day <= today:
        if day.weekday() < 5:
            if day in leave_days:
                store.add_leave(Leave(day=day, type=LeaveType.PTO))
                if rng.random() < 0.5:  # checking messages on a day off
                    entries.append(_e(store, day, "10:00", "10:30", "messages"))
            else:
                todays, reason = _workday(store, day, rng)
                entries.extend(todays)
                if reason is not None and day.weekday() > 0 and rng.random() < 0.8:
                    tags.append(BlockTag(day=day, start_minute=16 * 60, reason=reason,
                                         escalated=rng.random() < 0.3))
        if day.weekday() == 3:
            store.log_access(AccessObservation(day=day, days=rng.randint(9, 24)))
        day += timedelta(days=1)
    # Sample data is what already happened: nothing planned for later today, no block tagged
    # before it happened.
    entries = [e for e in entries if e.end <= now]
    tags = [t for t in tags
            if local_to_utc(t.day, t.start_minute + 60, store.tz) <= now]
    # A sample therapist logs as the day goes: most entries within the hour, some the next
    # morning, a few days later. Only sample data says when it was recorded (history's "demo").
    timing = random.Random(seed + 2)
    entries = [e.model_copy(update={"created": stamp_of(min(now, e.end + _delay(timing)))})
               for e in entries]
    store.add_entries(entries, label=f"demo data, {len(entries)} entries", via=Via.DEMO)
    # Escalations and capacity come from a second generator, so the entries stay as they were.
    extra = random.Random(seed + 1)
    for tag in tags:
        store.save_block_tag(tag, _escalation(store, tag, extra, now))
    day = first + timedelta(days=3)
    while day <= today:
        store.log_capacity(CapacityObservation(day=day, caseload=extra.randint(96, 128),
                                               return_not_offered=extra.randint(0, 16)))
        day += timedelta(days=7)
    return len(entries)


def _escalation(store: Store, tag: BlockTag, rng: random.Random, now: int) -> Escalation | None:
    """The escalation of a block tagged escalated: told after the block, often answered."""
    told = local_to_utc(tag.day, 17 * 60 + 5, store.tz)
    if not tag.escalated or told > now:
        return None
    asked = EscalationAsk.MOVE_BOOKING if tag.reason is ErosionReason.BOOKED_ROUTINE \
        else EscalationAsk.RESTORE_BLOCK
    esc = Escalation(day=tag.day, start_minute=tag.start_minute, told_at=told,
                     to_role="clinic manager", asked=asked.value,
                     how=rng.choice([EscalationHow.IN_PERSON, EscalationHow.EMAIL,
                                     EscalationHow.MESSAGE]))
    answered = tag.day + timedelta(days=rng.randint(1, 4))
    if rng.random() < 0.7 and local_to_utc(answered, 9 * 60, store.tz) <= now:
        response = rng.choice([EscalationResponse.GRANTED, EscalationResponse.PARTLY,
                               EscalationResponse.REFUSED, EscalationResponse.REFUSED])
        esc = esc.model_copy(update={"response": response, "response_on": answered,
                                     "resolved": response is EscalationResponse.GRANTED})
    return esc
