"""The row reader of a touch log (one row per event): its events as typed arrays, each
contact's cut into paths (`arrays.cut`); every problem named by its row. A value or cost such
as ``1,234`` waits for the whole file to say what it is (`Pending`)."""

from __future__ import annotations

import array
import dataclasses
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import ClassVar

import numpy as np
from numpy.typing import NDArray

from mcplan.attribution.arrays import Paths, in_time_order
from mcplan.attribution.columns import (
    CONVERSION_EVENTS,
    NO,
    YES,
    Channels,
    cell,
    not_a_number,
)
from mcplan.errors import UsageError
from mcplan.printable import excerpt
from mcplan.tabular import Ambiguous, NumberError, Numbers, export_time


def read_touches(
    rows: Iterable[tuple[int, list[str]]],
    chosen: Mapping[str, int],
    channels: Channels,
    display: str,
    currencies: Sequence[str] = (),
    numbers: Numbers | None = None,
    pattern: str | None = None,
) -> Paths:
    """The paths of a touch log's rows (``chosen``: the column of each role)."""
    pending = Pending(numbers or Numbers(), display)
    log = _Log(_Roles.of(chosen), channels, display, currencies, pattern, pending)
    for number, row in rows:
        log.take(number, row)
    return log.paths()


@dataclass(frozen=True)
class _Roles:
    """The column of each role a touch log may have (None: the file has none); `contact` is
    the `journey` role's, the contact's id."""

    contact: int
    time: int
    channel: int
    event: int | None
    converted: int | None
    value: int | None
    cost: int | None

    @classmethod
    def of(cls, chosen: Mapping[str, int]) -> _Roles:
        optional = ("event", "converted", "value", "cost")
        return cls(
            chosen["journey"], chosen["time"], chosen["channel"], *(chosen.get(r) for r in optional)
        )


@dataclass
class _Log:
    """A touch log's events as its rows come, in typed arrays, not lists: 8 bytes a cell,
    not a Python object each (a third of the memory). A value or cost such as 1,234 is kept
    as 1234, its mark noted, and divided by 1000 at the end if it was 1.234 (`Pending`)."""

    roles: _Roles
    channels: Channels
    display: str
    currencies: Sequence[str]
    pattern: str | None
    pending: Pending
    contact_ids: dict[str, int] = field(default_factory=dict)
    contact: array.array[int] = field(default_factory=lambda: array.array("q"))
    channel: array.array[int] = field(default_factory=lambda: array.array("q"))
    times: array.array[float] = field(default_factory=lambda: array.array("d"))
    value: array.array[float] = field(default_factory=lambda: array.array("d"))
    value_marks: bytearray = field(default_factory=bytearray)
    is_conversion: bytearray = field(default_factory=bytearray)
    spent: array.array[float] = field(default_factory=lambda: array.array("d"))
    spent_marks: bytearray = field(default_factory=bytearray)

    def take(self, number: int, row: list[str]) -> None:
        """A row's events: a touch, a conversion, or a touch flagged ``converted`` (a touch,
        then a conversion at the same time)."""
        roles = self.roles
        name = cell(row, roles.channel)
        if roles.event is not None:
            converts = cell(row, roles.event).strip().lower() in CONVERSION_EVENTS
        else:
            converts = not name.strip()
        key = cell(row, roles.contact).strip()
        if not key:
            raise UsageError(f"{self.display}: row {number}: the journey id is empty")
        at = _time(cell(row, roles.time), number, self.display, self.pattern)
        flagged = not converts and _flag(cell(row, roles.converted), number, self.display)
        contact = self.contact_ids.setdefault(key, len(self.contact_ids))
        if not converts:
            self._touch(number, row, contact, at, name)
        if converts or flagged:
            self._conversion(number, row, contact, at)

    def _touch(self, number: int, row: list[str], contact: int, at: float, name: str) -> None:
        self.contact.append(contact)
        self.times.append(at)
        self.is_conversion.append(False)
        if not name.strip():
            raise UsageError(f"{self.display}: row {number}: a touch without a channel")
        self.value.append(0.0)
        self.value_marks.append(0)
        self.channel.append(self.channels(name, number))
        if self.roles.cost is not None:
            text = cell(row, self.roles.cost)
            cost, mark = self.pending.read(text, number, "cost", self.currencies)
            self.spent.append(cost)
            self.spent_marks.append(mark)

    def _conversion(self, number: int, row: list[str], contact: int, at: float) -> None:
        self.contact.append(contact)
        self.times.append(at)
        self.is_conversion.append(True)
        text = cell(row, self.roles.value)
        worth, mark = self.pending.read(text, number, "value", self.currencies)
        self.value.append(worth)
        self.value_marks.append(mark)
        self.channel.append(-1)
        if self.roles.cost is not None:  # a cost per event only when the file has them
            self.spent.append(0.0)
            self.spent_marks.append(0)

    def paths(self) -> Paths:
        """The events in time order, cut into paths; each channel's cost, when given."""
        if not self.contact:
            raise UsageError(f"{self.display}: no data rows under the header")
        is_conversion = np.frombuffer(self.is_conversion, bool)
        channel = np.frombuffer(self.channel, np.int64)
        paths = in_time_order(
            np.frombuffer(self.contact, np.int64),
            np.frombuffer(self.times, np.float64),
            channel,
            self.pending.settled(np.frombuffer(self.value, np.float64), self.value_marks),
            is_conversion,
            self.channels.names,
        )
        if self.roles.cost is None:
            return paths
        costs = self.pending.settled(np.frombuffer(self.spent, np.float64), self.spent_marks)
        touch = ~is_conversion & (channel >= 0)
        on = channel[touch]  # an unknown channel's: the error says it
        per_channel = np.bincount(on, costs[touch], minlength=len(self.channels.names))
        return dataclasses.replace(paths, costs=tuple(float(c) for c in per_channel))


def _time(text: str, row: int, display: str, pattern: str | None = None) -> float:
    """An event's time: from 1970 to 2199, as campaign dates (nan, inf and 1e300 are none)."""
    seconds = export_time(text, pattern)
    if seconds is None:
        how = (
            f"write it as {pattern} says (--date-format), or"
            if pattern
            else "write 2027-01-13T09:00, with an offset if you like, or seconds since 1970, or "
            "say how the file writes it with --date-format, such as"
        )
        example = "2027-01-13T09:00" if pattern else "%d/%m/%Y %H:%M"
        raise UsageError(
            f"{display}: row {row}: time '{excerpt(text)}' is not a date and time from 1970 to "
            f"2199 ({how} {example})"
        )
    return seconds


def _flag(text: str, row: int, display: str) -> bool:
    """A touch's ``converted`` cell: yes or no, in six languages."""
    word = text.strip().lower()
    if word in YES or word in NO:
        return word in YES
    raise UsageError(
        f"{display}: row {row}: converted '{excerpt(text.strip())}' is not a yes or a no (write 1 "
        "or 0)"
    )


class Pending:
    """The numbers of a file read as its rows come, each ambiguous one (``1,234``) kept as
    1234 with its mark until every row is read and the file has said what it is."""

    MARKS: ClassVar[dict[str, int]] = {".": 1, ",": 2}

    def __init__(self, numbers: Numbers, display: str) -> None:
        self.numbers = numbers
        self.display = display
        self.first: dict[int, tuple[Ambiguous, str, int, str]] = {}  # mark → first cell

    def read(self, text: str, row: int, what: str, currencies: Sequence[str]) -> tuple[float, int]:
        """A cell's number (0 if empty) and its mark's code (0: none, not ambiguous)."""
        try:
            number, mark = self.numbers.provisional(text, currencies)
        except NumberError as exc:
            raise not_a_number(text, row, what, self.display, exc) from None
        if not mark:
            return (0.0 if number is None else number), 0
        code = self.MARKS[mark]
        if code not in self.first:
            match = text.strip()
            self.first[code] = (_ambiguous(number or 0.0, mark), match, row, what)
        return (0.0 if number is None else number), code

    def settled(self, numbers: NDArray[np.float64], marks: bytearray) -> NDArray[np.float64]:
        """``numbers`` with each ambiguous one as the whole file says it is; the error at the
        first one it does not settle."""
        if not self.first:
            return numbers
        open_marks = [first for code, first in self.first.items() if self.decimal(code) is None]
        if open_marks:
            ambiguous, text, row, what = min(open_marks, key=lambda first: first[2])
            error = self.numbers.unsettled(ambiguous)
            raise not_a_number(text, row, what, self.display, error)
        codes = np.frombuffer(marks, np.uint8)
        out = numbers.copy()
        for code in self.first:
            if self.decimal(code):
                out[codes == code] /= 1000  # 1234 / 1000 is 1.234, to the last bit
        return out

    def decimal(self, code: int) -> bool | None:
        return self.numbers.is_decimal(next(m for m, c in self.MARKS.items() if c == code))


def _ambiguous(grouped: float, mark: str) -> Ambiguous:
    whole, fraction = divmod(int(grouped), 1000)
    return Ambiguous(str(whole), f"{fraction:03d}", mark)
