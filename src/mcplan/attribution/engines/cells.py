"""How DuckDB reads a cell as the row reader does: a time as seconds since 1970, a value as a
number, each by its column's type; text through the functions mcplan gives DuckDB
(`mcplan_time` for ``--date-format``, `mcplan_number` for the numbers of
`mcplan.tabular.Numbers`), NULL where the cell is not one, which the scan finds."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

from mcplan.attribution import sql
from mcplan.tabular import Ambiguous, NumberError, Numbers, parse_number, seconds_of


def seconds(column: str, kind: str, pattern: str | None = None) -> str:
    """The time as seconds since 1970, by the column's type (text with ``pattern``: as the
    row reader reads it, `mcplan_time`)."""
    name = sql.quoted(column)
    if kind.startswith(("TIMESTAMP", "DATE")):
        return f"EPOCH({name})"
    if (kind.startswith("VARCHAR") or not kind) and pattern is not None:
        return f"mcplan_time({name})"
    if kind.startswith("VARCHAR") or not kind:
        return f"COALESCE(EPOCH(TRY_CAST({name} AS TIMESTAMPTZ)), TRY_CAST({name} AS DOUBLE))"
    return f"TRY_CAST({name} AS DOUBLE)"


def time_function(pattern: str) -> Callable[[str | None], float | None]:
    """`mcplan_time`: a cell of text written as ``pattern``, in seconds since 1970 (NULL when
    it is not such a time)."""

    def seconds(text: str | None) -> float | None:
        if text is None:
            return None
        found = seconds_of(text, pattern)
        return None if math.isnan(found) else found

    return seconds


def amount(column: str | None, kind: str, read: str) -> str:
    """The value as a number: text as the row reader reads it (`mcplan_number`, which learns
    from the cells the row reader reads: those where ``read`` holds)."""
    if column is None:
        return "0.0"
    name = sql.quoted(column)
    if kind.startswith("VARCHAR"):
        return f"mcplan_number({name}, {read})"
    return f"TRY_CAST({name} AS DOUBLE)"


class NumberFunction:
    """`mcplan_number`: a cell of text as the row reader reads a number (NULL when it is not
    one). Until it is ``settled``, it learns how the file writes numbers from every cell,
    and an ambiguous one (``1,234``) is NULL and ``waiting``; then the whole file says what
    such a cell is (`mcplan.tabular.Numbers`), or ``unsettled`` says why it does not."""

    def __init__(self, currencies: Sequence[str], numbers: Numbers) -> None:
        self.currencies, self.numbers = currencies, numbers
        self.settled = False
        self.waiting = False
        self.unsettled: NumberError | None = None

    def __call__(self, text: str | None, read: bool | None) -> float | None:
        """``text``'s number; ``read``: whether the row reader reads it (a conversion's
        value, a touch's cost), and so learns from it."""
        if text is None:
            return None
        try:
            if self.settled:
                value = self.numbers.read(text, self.currencies)
            else:
                if read:
                    self.numbers.learn(text, self.currencies)
                value = parse_number(text, self.currencies, self.numbers.decimal)
        except Ambiguous as ambiguous:
            self.waiting = True
            if self.settled and self.unsettled is None:
                self.unsettled = ambiguous
            return None
        except NumberError:
            return None  # not a number: a problem the scan finds
        return 0.0 if value is None else value


def registered(
    con: Any, currencies: Sequence[str], decimal: str | None, pattern: str | None
) -> NumberFunction:
    """`mcplan_number` (and `mcplan_time` when times are written as ``pattern``) given to the
    connection ``con``; the number function, which the scan asks what it learned."""
    number = NumberFunction(currencies, Numbers(decimal))
    # NULL: not a number, or not a time, which the scan finds
    con.create_function(
        "mcplan_number", number, ["VARCHAR", "BOOLEAN"], "DOUBLE", null_handling="special"
    )
    if pattern is not None:
        con.create_function(
            "mcplan_time", time_function(pattern), ["VARCHAR"], "DOUBLE", null_handling="special"
        )
    return number
