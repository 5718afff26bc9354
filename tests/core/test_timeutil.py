"""Local wall-clock time to UTC and back, around daylight saving in America/Los_Angeles."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from carelog.core.domain.errors import BadInput
from carelog.core.domain.timeutil import (
    Period,
    fmt_minutes,
    format_local,
    parse_date,
    parse_local,
    parse_week,
    period_from_args,
    zone,
)
from hypothesis import given
from hypothesis import strategies as st

LA = zone("America/Los_Angeles")


def test_pacific_standard_and_daylight_offsets() -> None:
    # 09:00 PST is 17:00 UTC; 09:00 PDT is 16:00 UTC.
    assert parse_local("2026-11-16 09:00", LA) == 1794848400
    summer = parse_local("2026-07-06 09:00", LA)
    assert summer % 86400 == 16 * 3600


def test_spring_forward_skipped_time_is_refused() -> None:
    # 2026-03-08 02:30 does not exist in Los Angeles.
    with pytest.raises(BadInput, match="does not exist in America/Los_Angeles"):
        parse_local("2026-03-08 02:30", LA)


def test_spring_forward_night_is_one_hour_shorter() -> None:
    a = parse_local("2026-03-08 00:00", LA)
    b = parse_local("2026-03-09 00:00", LA)
    assert (b - a) // 60 == 23 * 60


def test_fall_back_repeated_hour_means_first_occurrence_and_night_is_longer() -> None:
    first = parse_local("2026-11-01 01:30", LA)
    assert format_local(first, LA) == "2026-11-01 01:30"
    # 01:30 PDT is 08:30 UTC.
    assert first % 86400 == 8 * 3600 + 1800
    a = parse_local("2026-11-01 00:00", LA)
    b = parse_local("2026-11-02 00:00", LA)
    assert (b - a) // 60 == 25 * 60


@pytest.mark.parametrize("text", ["2026-02-30", "2026-13-01", "yesterday", "2026/11/16", ""])
def test_bad_dates_name_the_value(text: str) -> None:
    with pytest.raises(BadInput) as err:
        parse_date(text)
    assert f"'{text}'" in err.value.message


def test_bad_date_time_is_one_sentence() -> None:
    with pytest.raises(BadInput) as err:
        parse_local("2026-02-30 09:00", LA, "start")
    assert err.value.message == "The start '2026-02-30 09:00' does not exist on the calendar."
    assert err.value.field == "start"


def test_weeks_and_months() -> None:
    assert parse_week("2026-W47") == date(2026, 11, 16)
    p = period_from_args(month="2026-11")
    # ISO rule: weeks whose Thursday is in November: W45 (Nov 2) to W48 (ends Nov 29);
    # Nov 30's week has its Thursday in December.
    assert (p.first, p.last) == (date(2026, 11, 2), date(2026, 11, 29))
    assert len(p.weeks) == 4
    p = period_from_args(start="2026-11-18", end="2026-11-18")
    assert p.weeks == [date(2026, 11, 16)]
    with pytest.raises(BadInput, match="before the from date"):
        period_from_args(start="2026-11-18", end="2026-11-01")
    with pytest.raises(BadInput, match="exactly one period"):
        period_from_args(week="2026-W47", month="2026-11")


def test_fmt_minutes() -> None:
    assert fmt_minutes(450) == "7 h 30 m"
    assert fmt_minutes(45) == "45 m"
    assert fmt_minutes(300) == "5 h 0 m"


@given(st.datetimes(min_value=__import__("datetime").datetime(2000, 1, 1),
                    max_value=__import__("datetime").datetime(2060, 1, 1)))
def test_local_round_trip_or_clear_refusal(moment: object) -> None:
    text = moment.strftime("%Y-%m-%d %H:%M")  # type: ignore[attr-defined]
    try:
        instant = parse_local(text, LA)
    except BadInput as exc:
        assert "does not exist" in exc.message
        return
    assert instant % 60 == 0
    assert format_local(instant, LA) == text


@given(st.dates(min_value=date(2000, 1, 3), max_value=date(2060, 1, 1)),
       st.integers(min_value=0, max_value=400))
def test_covering_period_is_whole_weeks(a: date, span: int) -> None:
    p = Period.covering(a, a + timedelta(days=span))
    assert p.first.weekday() == 0 and p.last.weekday() == 6
    assert p.first <= a and p.last >= a + timedelta(days=span)
    assert len(p.weeks) * 7 == (p.last - p.first).days + 1


def test_span_from_form() -> None:
    from carelog.core.domain.timeutil import span_from_form

    d = date(2026, 11, 16)
    a, b = span_from_form(d, "23:30", "00:30", None, LA)
    assert (format_local(a, LA), format_local(b, LA)) == ("2026-11-16 23:30", "2026-11-17 00:30")
    a, b = span_from_form(d, "09:00", "", "50", LA)
    assert (b - a) // 60 == 50
    for start, end, minutes, field in [("", "10:00", None, "start"), ("9", "10:00", None, "start"),
                                       ("09:00", "", None, "end"), ("09:00", None, "x", "minutes"),
                                       ("09:00", None, "0", "minutes")]:
        with pytest.raises(BadInput) as err:
            span_from_form(d, start, end, minutes, LA)
        assert err.value.field == field
