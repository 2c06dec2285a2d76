"""Dates and times as files write them: a day (`Day`), a local date and time that may carry
an offset (`LocalDateTime`), a time of day (`Clock`), each checked in shape and on the
calendar (the years a campaign may have, the days a month has).
"""

from __future__ import annotations

import calendar
import re
from datetime import date, datetime
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, WithJsonSchema

from mcplan.printable import excerpt
from mcplan.workspace.sourcemap import source_text


def _check_clock(value: str) -> str:
    match = re.fullmatch(r"([01]?\d|2[0-4]):([0-5]\d)", value)
    if not match or (match[1] == "24" and match[2] != "00"):
        raise ValueError(f"'{value}' is not a time of day: write HH:MM, from 00:00 to 24:00")
    return f"{int(match[1]):02d}:{match[2]}"


_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")

DATETIME_PATTERN = r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2})?(Z|[+-]\d{2}:?\d{2})?$"

_DATETIME = re.compile(DATETIME_PATTERN)

_CLOCK_PART = re.compile(r"[T ](\d{2}):(\d{2})(?::(\d{2}))?(?:Z|([+-])(\d{2}):?(\d{2}))?$")

CLOCK_PATTERN = r"^([01]?\d|2[0-3]):[0-5]\d$|^24:00$"

# Campaign dates: wide enough for any campaign, narrow enough that a day or a week added or
# taken away stays a date (year 1 or 9999 would overflow), and holidays are known.
FIRST_YEAR, LAST_YEAR = 1970, 2199


def _calendar_problem(text: str) -> str:
    """What is out of range in a date (and time) written in the right shape, or ''."""
    year, month, day = (int(part) for part in _DATE.match(text).groups())  # type: ignore[union-attr]
    if not FIRST_YEAR <= year <= LAST_YEAR:
        return f"the year must be from {FIRST_YEAR} to {LAST_YEAR}"
    if not 1 <= month <= 12:
        return f"there is no month {month}: write 01 to 12"
    days = calendar.monthrange(year, month)[1]
    if not 1 <= day <= days:
        return f"{year}-{month:02d} has {days} days"
    clock = _CLOCK_PART.search(text)
    if clock is None:
        return ""
    hour, minute, second, sign, off_hours, off_minutes = clock.groups()
    if int(hour) > 23:
        return f"there is no hour {int(hour)}: write 00 to 23"
    if int(minute) > 59:
        return f"there is no minute {int(minute)}: write 00 to 59"
    if int(second or 0) > 59:
        return f"there is no second {int(second)}: write 00 to 59"
    if sign and (int(off_hours) > 23 or int(off_minutes) > 59):
        return f"there is no offset {sign}{off_hours}:{off_minutes}: write it like +01:00"
    return ""


def _check_date_text(value: Any) -> Any:
    if isinstance(value, date):
        value = value.isoformat()  # a date a loader made: checked as written
    if not isinstance(value, str) or not _DATE.fullmatch(value):
        raise ValueError(f"{_show(value)} is not a date: write YYYY-MM-DD, like 2027-01-13")
    if problem := _calendar_problem(value):
        raise ValueError(f"{_show(value)} is not a date: {problem}")
    return value


def _check_datetime_text(value: Any) -> Any:
    if isinstance(value, datetime):
        value = value.isoformat(sep="T", timespec="minutes" if not value.second else "seconds")
    if not isinstance(value, str) or not _DATETIME.fullmatch(value):
        raise ValueError(
            f"{_show(value)} is not a date and time: write YYYY-MM-DDTHH:MM, like "
            "2027-01-13T09:00 (local to the persona's time zone) or add an offset (+01:00)"
        )
    if problem := _calendar_problem(value):
        raise ValueError(f"{_show(value)} is not a date and time: {problem}")
    return value


def _show(value: Any) -> str:
    return f"'{excerpt(str(source_text(value)))}'"


Clock = Annotated[
    str,
    BeforeValidator(source_text),
    AfterValidator(_check_clock),
    WithJsonSchema({"type": "string", "pattern": CLOCK_PATTERN}),
]

Day = Annotated[
    date,
    BeforeValidator(_check_date_text),
    WithJsonSchema({"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"}),
]

LocalDateTime = Annotated[
    datetime,
    BeforeValidator(_check_datetime_text),
    WithJsonSchema({"type": "string", "pattern": DATETIME_PATTERN}),
]
