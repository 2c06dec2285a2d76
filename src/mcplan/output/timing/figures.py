"""What every timing output says of a persona and channel, in the reader's words: its heat
map's shades and marks, and the few lines under it (best slot, rate and interval, the slot
used now, the gain and how sure it is, the data and whether it is enough).

The text, the Markdown and the page draw the same map from here, so that a shade or a figure
reads the same in each. Numbers go through :mod:`mcplan.numbers` (the workspace's locale),
words through :mod:`mcplan.words` (its language).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from typing import Literal

from babel.dates import format_skeleton, get_day_names

from mcplan import numbers
from mcplan.numbers import NONE
from mcplan.timing import Cell, SendTime, Slot
from mcplan.words import Reader

SHADES = "░▒▓█"  # the rate of a cell, low to high: the map reads without colour
UNSENT = "·"  # a cell nothing was sent at: its rate is only the model's guess
LEVEL = 0.9  # the credible intervals' level (mcplan.timing: 90 %, equal-tailed)


class Mark(Enum):
    """What a cell of the map is besides its rate."""

    BEST = "best"
    CURRENT = "current"


@dataclass(frozen=True)
class Scale:
    """The map's shades: the range of the rates of the cells something was sent at, cut in
    as many equal steps as there are shades (the legend gives each step's rates)."""

    low: float
    high: float

    def shade(self, rate: float) -> int:
        """The step of ``rate``: 0 (lightest) to ``len(SHADES) - 1``."""
        if self.high <= self.low:
            return len(SHADES) - 1
        rate = min(max(rate, self.low), self.high)  # over a tiny range, a ratio past 1 is inf
        step = (rate - self.low) / (self.high - self.low) * len(SHADES)
        return min(max(int(step), 0), len(SHADES) - 1)

    def steps(self) -> list[tuple[float, float]]:
        """Each shade's rates, from low to high."""
        if self.high <= self.low:
            return [(self.low, self.high)]
        width = (self.high - self.low) / len(SHADES)
        return [(self.low + i * width, self.low + (i + 1) * width) for i in range(len(SHADES))]

    def legend(self) -> list[tuple[str, str]]:
        """Each shade shown, with its rates: ``("░", "12.0–14.5%")``."""
        steps = self.steps()
        shades = SHADES if len(steps) > 1 else SHADES[-1]
        return [(s, _span(low, high)) for s, (low, high) in zip(shades, steps, strict=True)]


def _span(low: float, high: float) -> str:
    if numbers.percent(low, 1) == numbers.percent(high, 1):
        return numbers.percent(low, 1)
    return f"{numbers.percent(low, 1)}–{numbers.percent(high, 1)}"


def scale(send_time: SendTime) -> Scale | None:
    """The shades of a persona and channel's map; None when nothing was sent at any cell."""
    rates = [c.rate for c in send_time.cells if c.sent > 0]
    return Scale(min(rates), max(rates)) if rates else None


@dataclass(frozen=True)
class Square:
    """An hour of a weekday on the map: what was sent and engaged there (None: nothing was
    sent), its shade (None: nothing was sent) and its mark."""

    weekday: int
    hour: int
    cell: Cell | None
    shade: int | None
    mark: Mark | None


def squares(send_time: SendTime) -> list[list[Square]]:
    """The map: Monday to Sunday, each its 24 hours; a cell the result lacks is one nothing
    was sent at. The best slot and the one used now are marked (a slot of any day: its hour
    on every day; where they meet, the best)."""
    cells = {(c.weekday, c.hour): c for c in send_time.cells if c.sent > 0}
    shades = scale(send_time)
    marked: dict[tuple[int, int], Mark] = {}
    for slot, mark in ((send_time.current, Mark.CURRENT), (send_time.best, Mark.BEST)):
        if slot is not None:
            days = range(7) if slot.weekday is None else (slot.weekday,)
            marked.update(((day, slot.hour), mark) for day in days)
    return [
        [
            Square(
                day,
                hour,
                cells.get((day, hour)),
                shades.shade(cells[day, hour].rate) if (day, hour) in cells and shades else None,
                marked.get((day, hour)),
            )
            for hour in range(24)
        ]
        for day in range(7)
    ]


def weekdays(t: Reader, width: Literal["abbreviated", "wide"] = "abbreviated") -> list[str]:
    """Monday to Sunday as the reader's language names them (CLDR)."""
    names = get_day_names(width, locale=t.locale)
    return [names[i] for i in range(7)]


def hour(value: int) -> str:
    """A local hour as a time of day: ``19:00``."""
    return f"{value:02d}:00"


def slot(value: Slot | None, t: Reader) -> str:
    """``Tuesday 19:00``, ``any day 19:00`` (the weekdays do not differ credibly)."""
    if value is None:
        return NONE
    day = t.say("timing_any_day") if value.weekday is None else weekdays(t, "wide")[value.weekday]
    return t.say("timing_slot", day=day, hour=hour(value.hour))


def rate(value: float | None) -> str:
    return NONE if value is None else numbers.percent(value, 1)


def interval(value: tuple[float, float] | None, t: Reader) -> str:
    if value is None:
        return NONE
    return t.say("interval", low=rate(value[0]), high=rate(value[1]))


def rate_with_interval(send_time: SendTime, t: Reader) -> str:
    """``23.1% (90% interval 21.2% to 25.1%)``."""
    if send_time.interval is None:
        return rate(send_time.rate)
    return t.say(
        "timing_rate_interval",
        rate=rate(send_time.rate),
        level=numbers.percent(LEVEL),
        interval=interval(send_time.interval, t),
    )


def points(gain: float | None, t: Reader) -> str:
    """A difference of two rates in percentage points: ``+4.7 pts``."""
    if gain is None:
        return NONE
    return t.say("timing_points", points=numbers.decimal(gain * 100, 1, signed=True))


def relative(send_time: SendTime) -> str:
    """The gain against the rate now: ``+26%``."""
    if send_time.gain is None or not send_time.current_rate:
        return NONE
    return numbers.percent(send_time.gain / send_time.current_rate, 0, signed=True)


def probability(value: float | None) -> str:
    """``93 %``, ``> 99 %`` (never the 100 % that 0.9999 rounds to)."""
    return NONE if value is None else numbers.probability(value)


def same_slot(send_time: SendTime) -> bool:
    return send_time.best is not None and send_time.best == send_time.current


def engaged(send_time: SendTime, t: Reader) -> str:
    """``1,247 opens``, ``9 clicks``."""
    key = "timing_opens" if send_time.metric == "open" else "timing_clicks"
    return t.count(key, send_time.engaged, numbers.count(send_time.engaged))


def period(send_time: SendTime, t: Reader) -> str:
    """``4 Jan 2027 to 27 Jun 2027``: the first and last local day of the sends."""
    if send_time.period is None:
        return NONE
    first, last = (format_skeleton("yMMMd", d, locale=t.locale) for d in send_time.period)
    return t.say("timing_period", first=first, last=last)


def heading(send_time: SendTime, t: Reader, shown: Callable[[str], str] = str) -> str:
    """``fideles · email: open rate by local weekday and hour``; the ids as ``shown`` writes
    them (Markdown: inert, HTML: Jinja escapes the whole)."""
    return t.say(
        "timing_heading",
        persona=shown(send_time.persona),
        channel=shown(send_time.channel),
        metric=t.say(f"timing_rate_{send_time.metric}"),
    )


def needed(send_time: SendTime, t: Reader, *, short: bool = False) -> str:
    """Why there is no best slot: not enough data, and about how many more sends would tell
    (``short``: only how many more)."""
    if send_time.sends_needed is None:
        return t.say("timing_not_enough")
    shown = numbers.count(send_time.sends_needed)
    return t.count("timing_more" if short else "timing_needed", send_time.sends_needed, shown)


# The summary's columns (a row per persona and channel), by catalogue key; True: a number.
SUMMARY = (
    ("col_persona", False), ("col_channel", False), ("timing_col_metric", False),
    ("timing_col_sends", True), ("timing_col_best", False), ("col_rate", True),
    ("col_interval", False), ("timing_col_current", False), ("timing_col_gain", True),
    ("timing_col_probability", True), ("timing_col_enough", False),
)  # fmt: skip


def summary(send_time: SendTime, t: Reader, shown: Callable[[str], str] = str) -> list[str]:
    """A persona and channel's row of the summary (its ids as ``shown`` writes them): the
    slot used now with its rate; the gain and how sure it is only where the data is enough."""
    current = slot(send_time.current, t)
    if send_time.current is not None and send_time.current_rate is not None:
        current = f"{current} ({rate(send_time.current_rate)})"
    enough = send_time.enough_data
    verdict = t.say("timing_yes")
    if not enough:
        verdict = f"{t.say('timing_no')}, {needed(send_time, t, short=True)}"
    return [
        shown(send_time.persona), shown(send_time.channel), t.say(f"metric_{send_time.metric}"),
        numbers.count(send_time.sends), slot(send_time.best, t), rate(send_time.rate),
        interval(send_time.interval, t), current,
        points(send_time.gain, t) if enough else NONE,
        probability(send_time.probability_better) if enough else NONE,
        verdict,
    ]  # fmt: skip


def lines(send_time: SendTime, t: Reader) -> list[tuple[str, str]]:
    """The figures under a map, each a label and its text."""
    out = []
    if send_time.enough_data and send_time.best is not None:
        best = slot(send_time.best, t)
        out.append(
            ("best", t.say("timing_slot_rate", slot=best, rate=rate_with_interval(send_time, t)))
        )
    else:
        out.append(("best", needed(send_time, t)))
    out.append(("current", _current(send_time, t)))
    if send_time.enough_data and send_time.gain is not None and not same_slot(send_time):
        gain = t.say(
            "timing_gain_line",
            points=points(send_time.gain, t),
            relative=relative(send_time),
            probability=probability(send_time.probability_better),
        )
        out.append(("gain", gain))
    out.append(("data", _data(send_time, t)))
    if not send_time.enough_data:
        out.append(("advice", t.say("timing_explore")))
    return [(t.say(f"timing_{label}"), text) for label, text in out]


def _current(send_time: SendTime, t: Reader) -> str:
    if send_time.current is None:
        return t.say("timing_no_current")
    if same_slot(send_time):
        return t.say("timing_same")
    return t.say(
        "timing_slot_rate", slot=slot(send_time.current, t), rate=rate(send_time.current_rate)
    )


def _data(send_time: SendTime, t: Reader) -> str:
    parts = [
        t.count("sends", send_time.sends, numbers.count(send_time.sends)),
        engaged(send_time, t),
    ]
    if send_time.period is not None:
        parts.append(period(send_time, t))
    if send_time.enough_data:
        parts.append(t.say("timing_enough"))
    return " · ".join(parts)


def footer(rows: int, t: Reader) -> str:
    """``12,345 rows read`` (a bad row stops the reading: none is left out)."""
    return t.count("timing_rows", rows, numbers.count(rows))
