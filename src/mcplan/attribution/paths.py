"""The reader of a paths table, the aggregated form of attribution tools: a path such as
``email > sms > store``, its conversions, their value, and how many contacts took that path
without converting (and, from ``mcplan attribute --sql``, its time-decay shares)."""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Mapping, Sequence

import numpy as np

from mcplan.attribution.arrays import AggregatedPath, Paths, aggregated_paths
from mcplan.attribution.columns import Channels, cell, not_a_number
from mcplan.errors import UsageError
from mcplan.printable import excerpt
from mcplan.tabular import NumberError, Numbers, is_total


def read_paths(
    rows: Iterable[tuple[int, list[str]]],
    chosen: Mapping[str, int],
    channels: Channels,
    separator: str,
    display: str,
    currencies: Sequence[str] = (),
    numbers: Numbers | None = None,
) -> Paths:
    """The paths of a paths table, ``numbers`` having learnt its numbers (`learn_paths`)
    before any is read; a row of totals (`Totale`) is skipped."""
    p_col = chosen["path"]
    counted = chosen.get("conversions", chosen.get("converted"))
    decays = "decay" in chosen and "decay_value" in chosen and "half_life" in chosen
    half_lives: set[float] = set()
    numbers = numbers or Numbers()
    money = chosen.get("value")

    def entries() -> Iterator[AggregatedPath]:
        for number, row in rows:
            if _is_total_path(cell(row, p_col), channels):
                continue
            steps = [s.strip() for s in cell(row, p_col).split(separator) if s.strip()]
            decay = None
            if decays:
                half_lives.add(
                    _number(cell(row, chosen["half_life"]), number, "half_life", display)
                )
                decay = tuple(
                    decay_shares(cell(row, chosen[role]), separator, len(steps), number, display)
                    for role in ("decay", "decay_value")
                )
            yield AggregatedPath(
                number,
                steps,
                _number(cell(row, counted), number, "conversions", display, (), numbers),
                _number(cell(row, money), number, "value", display, currencies, numbers),
                _number(cell(row, chosen.get("null")), number, "null", display, (), numbers),
                decay,  # type: ignore[arg-type]  # two lists
            )

    listed = list(entries())
    if len(half_lives) > 1:
        raise UsageError(f"{display}: the rows were aggregated for several half-lives")
    half_life = half_lives.pop() if half_lives else None
    paths = aggregated_paths(listed, channels, half_life if decays else None)
    if not len(paths.conversions) and not paths.unattributed[0]:
        raise UsageError(f"{display}: no data rows under the header")
    return paths


def learn_paths(
    rows: Iterable[tuple[int, list[str]]],
    chosen: Mapping[str, int],
    numbers: Numbers,
    currencies: Sequence[str] = (),
) -> None:
    """Have ``numbers`` learn how a paths table writes its numbers, from a first pass over its
    rows (a row of totals is written as the others are)."""
    counted = chosen.get("conversions", chosen.get("converted"))
    for _, row in rows:
        for role in (counted, chosen.get("null")):
            numbers.learn(cell(row, role))
        numbers.learn(cell(row, chosen.get("value")), currencies)


def _is_total_path(path: str, channels: Channels) -> bool:
    """Whether a paths file's row is a spreadsheet's row of totals (`Totale`, `Total`): its
    path says so, and is no channel of the workspace."""
    if not is_total(path):
        return False
    name = path.strip().lower()
    return name not in channels.aliases and name not in (channels.known or {})


def decay_shares(text: str, separator: str, steps: int, row: int, display: str) -> list[float]:
    """A path's time-decay shares, one per step, as `--sql` writes them."""
    parts = [p.strip() for p in text.split(separator) if p.strip()]
    if not parts:  # a path that never converted has none (nor the conversions with no touch)
        return [0.0] * steps
    try:
        shares = [float(p) for p in parts]
    except ValueError:
        shares = []
    if len(shares) != steps or not all(math.isfinite(s) and s >= 0 for s in shares):
        raise UsageError(
            f"{display}: row {row}: decay '{excerpt(text.strip())}' is not one number per step of "
            "the path"
        )
    return shares


def from_paths(
    paths: Sequence[tuple[Sequence[str], float, float, float]],
) -> Paths:
    """Paths from (channels, conversions, value, nulls) tuples: for tests and the API."""
    rows = (
        (n, [" > ".join(steps), _written(c), _written(v), _written(x)])
        for n, (steps, c, v, x) in enumerate(paths, start=2)
    )
    chosen = {"path": 0, "conversions": 1, "value": 2, "null": 3}
    channels = Channels(None, {})
    return read_paths(rows, chosen, channels, ">", "paths", numbers=Numbers(decimal="."))


def _written(number: float) -> str:
    """A number as a cell that reads back to it (``3.195``, never ``1e+20``)."""
    return str(np.format_float_positional(float(number), trim="-"))


def _number(
    text: str,
    row: int,
    what: str,
    display: str,
    markers: Sequence[str] = (),
    numbers: Numbers | None = None,
) -> float:
    """A count or an amount, by the rule of every export (:mod:`mcplan.tabular`), by what
    the file's other numbers say (``numbers``, which has learnt them all); 0 if empty."""
    try:
        value = (numbers or Numbers()).read(text, markers)
    except NumberError as exc:
        raise not_a_number(text, row, what, display, exc) from None
    return 0.0 if value is None else value
