"""Value types and enumerations shared by every workspace file kind.

The base of every file model and the checks across its fields; enumerations; text, codes and
numbers; the blocks several kinds share (`Pressure`, `Window`). Ids are in `ids`, dates and
times in `times`.
"""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Annotated, Any
from urllib.parse import urlsplit

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    Strict,
    ValidationInfo,
    WithJsonSchema,
    model_validator,
)
from pydantic_core import PydanticCustomError

from mcplan.printable import excerpt
from mcplan.workspace.ids import Id
from mcplan.workspace.markets import (
    COUNTRY_PATTERN,
    check_country,
    check_locale,
    check_regional_locale,
    check_timezone,
)
from mcplan.workspace.sourcemap import source_text
from mcplan.workspace.times import Clock

CROSS_CHECK = "cross_check"  # the error type of values each valid that disagree together
SALVAGING = "salvaging"  # in a validation context: reading what can be read of a broken file


def disagree(reason: str, at: str = "") -> PydanticCustomError:
    """The error of a check across fields (ends before starts): what the fields say together,
    found at the field ``at`` when it is written (else at the mapping that holds them).

    While a broken file is salvaged (:func:`mcplan.workspace.problems.salvaged`) such checks
    stand aside, as the error is reported already; see :func:`cross_checking`.
    """
    return PydanticCustomError(CROSS_CHECK, "{reason}", {"reason": reason, "at": at})


def cross_checking(info: ValidationInfo) -> bool:
    """Whether a check across fields applies: always, except while salvaging."""
    return not (info.context or {}).get(SALVAGING)


class StrictModel(BaseModel):
    """Base of every file model: unknown keys are errors, values are never coerced silently."""

    model_config = ConfigDict(extra="forbid", frozen=True, use_enum_values=False)


class FileModel(StrictModel):
    """A persona, campaign or channel file: its `name` defaults to its `id`."""

    @model_validator(mode="before")
    @classmethod
    def _name_defaults_to_id(cls, data: Any) -> Any:
        if isinstance(data, dict) and not data.get("name"):
            data = {**data, "name": data.get("id", "")}
        return data


# -- enumerations ---------------------------------------------------------------------------


class Market(StrEnum):
    """Who the persona is: consumers (B2C) or professionals (B2B)."""

    B2C = "b2c"
    B2B = "b2b"


class Stage(StrEnum):
    """Where the persona stands in the customer lifecycle."""

    PROSPECTION = "prospection"
    ACQUISITION = "acquisition"
    LOYALTY = "loyalty"
    REACTIVATION = "reactivation"


class Consent(StrEnum):
    """What a contact agreed to, from least to most: none, opt-out regime, prior opt-in."""

    NONE = "none"
    OPT_OUT = "opt_out"
    OPT_IN = "opt_in"

    @property
    def rank(self) -> int:
        return _CONSENT_RANKS[self]

    def satisfies(self, needed: Consent) -> bool:
        """True when a contact with this consent may be reached where `needed` is required."""
        return self.rank >= needed.rank


_CONSENT_RANKS = {consent: rank for rank, consent in enumerate(Consent)}


class ObjectiveKind(StrEnum):
    """What a campaign or a channel is meant to achieve."""

    SALES = "sales"
    LOYALTY = "loyalty"
    AWARENESS = "awareness"
    SATISFACTION = "satisfaction"
    REPUTATION = "reputation"
    COST_REDUCTION = "cost_reduction"


class Weekday(StrEnum):
    """A day of the week, as three lowercase letters."""

    MON = "mon"
    TUE = "tue"
    WED = "wed"
    THU = "thu"
    FRI = "fri"
    SAT = "sat"
    SUN = "sun"

    @property
    def number(self) -> int:
        """0 for Monday, like `datetime.date.weekday`."""
        return _WEEKDAY_NUMBERS[self]


_WEEKDAY_NUMBERS = {day: number for number, day in enumerate(Weekday)}


class Metric(StrEnum):
    """What a message test measures: a share of the contacts its message reached."""

    OPEN = "open"
    CLICK = "click"
    CONVERSION = "conversion"


class Direction(StrEnum):
    """Outbound (direct: the brand reaches out) or inbound (indirect: the contact comes)."""

    OUTBOUND = "outbound"
    INBOUND = "inbound"


# -- text, codes and numbers -----------------------------------------------------------------


LOCALE_PATTERN = r"^[a-z]{2,3}([-_][A-Z]{2})?$"


def _check_currency(value: str) -> str:
    if not re.fullmatch(r"[A-Z]{3}", value):
        raise ValueError(f"'{value}' is not a currency code: write three capital letters, like EUR")
    return value


def _check_url(value: str) -> str:
    written = re.fullmatch(r"https?://[^\s/?#]+\.[^\s/?#]+[^\s]*", value)
    if value and not (written and url_host(value)):
        raise ValueError(
            f"'{value}' is not a web address: write it in full, like https://example.fr/"
        )
    return value


def url_host(url: str) -> str:
    """The host of a URL, or '' when it has none or does not parse: urlsplit raises on a
    bracket it cannot read ("https://[::1") and on a host that NFKC changes ("https://a＃b")."""
    try:
        return urlsplit(url).hostname or ""
    except ValueError:
        return ""


Text = Annotated[str, BeforeValidator(source_text)]
"""Free text; a number written unquoted keeps its exact spelling."""


def _check_colour(value: str) -> str:
    if not re.fullmatch(r"#[0-9a-fA-F]{6}", value):
        raise ValueError(f"'{excerpt(value)}' is not a colour: write #RRGGBB, like #1d4ed8")
    return value.lower()


Colour = Annotated[
    Text,
    AfterValidator(_check_colour),
    WithJsonSchema({"type": "string", "pattern": "^#[0-9a-fA-F]{6}$"}),
]

TimeZoneName = Annotated[str, AfterValidator(check_timezone)]
CountryCode = Annotated[
    str,
    AfterValidator(check_country),
    WithJsonSchema({"type": "string", "pattern": COUNTRY_PATTERN}),
]
CurrencyCode = Annotated[
    str,
    AfterValidator(_check_currency),
    WithJsonSchema({"type": "string", "pattern": "^[A-Z]{3}$"}),
]
Url = Annotated[
    str,
    AfterValidator(_check_url),
    WithJsonSchema({"type": "string", "format": "uri", "pattern": "^https?://"}),
]
Locale = Annotated[
    str,
    AfterValidator(check_locale),
    WithJsonSchema({"type": "string", "pattern": LOCALE_PATTERN}),
]
RegionalLocale = Annotated[
    str,
    AfterValidator(check_regional_locale),
    WithJsonSchema({"type": "string", "pattern": LOCALE_PATTERN}),
]
# Every number has a ceiling far above any real campaign's (a trillion euros, ten billion
# people): a value past it is a mistake or an attack, and would overflow the forecasts.
Fraction = Annotated[float, Strict(), Field(ge=0, le=1, allow_inf_nan=False)]
Share = Annotated[float, Strict(), Field(gt=0, lt=1, allow_inf_nan=False)]
Amount = Annotated[float, Strict(), Field(ge=0, le=10**12, allow_inf_nan=False)]
Count = Annotated[int, Strict(), Field(ge=0, le=10**10)]
Positive = Annotated[int, Strict(), Field(ge=1, le=10**6)]
Hours = Annotated[float, Strict(), Field(ge=0, le=24 * 366, allow_inf_nan=False)]
Flag = Annotated[bool, Strict()]


def _text_or_parts(value: Any) -> Any:
    value = source_text(value)
    if isinstance(value, str):
        return value
    if isinstance(value, dict) and all(isinstance(v, str | int | float) for v in value.values()):
        return {k: source_text(v) for k, v in value.items()}
    raise ValueError("expected a text, or a mapping of part names (subject, body…) to texts")


Parts = Annotated[str | dict[Id, Text], BeforeValidator(_text_or_parts)]
"""One text, or named parts (`subject`, `preheader`, `body`…) each with its text."""


# -- shared blocks --------------------------------------------------------------------------


def _one_range(value: Any) -> Any:
    """`["08:00", "20:00"]` is shorthand for `[["08:00", "20:00"]]`."""
    if isinstance(value, list) and value and not isinstance(value[0], list):
        return [value]
    return value


class Pressure(StrictModel):
    """Contact pressure caps; every count is over a rolling window, across all campaigns."""

    max_per_day: Positive | None = Field(
        None, description="Most touches on one calendar day (in the persona's time zone)."
    )
    max_per_week: Positive | None = Field(
        None, description="Most touches in any 7 consecutive calendar days."
    )
    max_per_30_days: Positive | None = Field(
        None, description="Most touches in any 30 consecutive calendar days."
    )
    min_gap_hours: Hours | None = Field(
        None, description="Fewest hours between two touches, as time elapses (summer time too)."
    )
    why: Text = Field("", description="Where the caps come from (a law, a habit), for findings.")


class Window(StrictModel):
    """When a channel may reach people, in each persona's own time zone."""

    days: list[Weekday] = Field(
        default_factory=lambda: list(Weekday),
        description="Days of the week allowed (mon … sun). Default: every day.",
    )
    hours: Annotated[
        list[tuple[Clock, Clock]],
        BeforeValidator(
            _one_range, json_schema_input_type=tuple[Clock, Clock] | list[tuple[Clock, Clock]]
        ),
    ] = Field(
        default_factory=lambda: [("00:00", "24:00")],
        description='Allowed time ranges, start and end, such as ["08:00", "20:00"] or '
        '[["10:00", "13:00"], ["14:00", "20:00"]]. Default: all day.',
    )
    holidays: Flag = Field(True, description="Whether the channel may be used on public holidays.")
    why: Text = Field(
        "", description="Where the window comes from (a law, a habit), shown in findings."
    )

    def days_text(self) -> str:
        """`every day`, `Mon–Fri` or `Mon, Wed, Fri`."""
        numbers = sorted({d.number for d in self.days})
        names = [list(Weekday)[i].value.capitalize() for i in numbers]
        if len(numbers) == 7:
            return "every day"
        if not numbers:
            return "never"
        if len(numbers) > 2 and numbers == list(range(numbers[0], numbers[-1] + 1)):
            return f"{names[0]}–{names[-1]}"
        return ", ".join(names)

    def hours_text(self) -> str:
        """`08:00–20:00`, `10:00–13:00, 14:00–20:00` or `all day`."""
        hours = ", ".join(f"{start}–{end}" for start, end in self.hours)
        return "all day" if hours == "00:00–24:00" else hours

    @model_validator(mode="after")
    def _ranges_in_order(self, info: ValidationInfo) -> Window:
        for start, end in self.hours:
            if start >= end and cross_checking(info):
                raise disagree(f"hours: the range {start}–{end} ends before it starts")
        return self
