"""A CSV export's rows named as a spreadsheet numbers them (the header is row 1, blank rows
count), where DuckDB's reader cannot say (it skips blank lines): the row reader of every
export (`mcplan.tabular.read_table`) reads the header before DuckDB reads the file (an empty
file, two columns of one name), and the whole file again when DuckDB cannot read it (a line
not UTF-8) or its scan finds a bad row or an unknown name, to say the first bad row and
where each unknown name is. Only on that path, and for a file the row reader may read."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mcplan.errors import UsageError
from mcplan.exports import ENGINE_MAX_BYTES
from mcplan.printable import excerpt
from mcplan.tabular import folded, read_table
from mcplan.timing.checks import Check
from mcplan.timing.scan import AGGREGATED, EventColumns

if TYPE_CHECKING:
    from mcplan.attribution.engines.sources import Source

MAX_BYTES = 2 * 1024**3  # as `mcplan attribute`'s row reader: beyond, DuckDB's rows stand


def _cell(cells: list[str], index: int | None) -> str:
    return cells[index].strip() if index is not None and index < len(cells) else ""


def rereadable(found: Source) -> bool:
    """Whether the row reader may read an export again to name its rows (a CSV file)."""
    return not found.parquet and found.files[0].size <= MAX_BYTES


def check_header(source: str, known: Collection[str]) -> None:
    """A CSV file's header, read by the row reader before DuckDB reads the file (DuckDB
    names an empty file's one column ``column0`` and renames the second of two columns of
    one name): an empty file said so, and two columns of a name the reader looks for
    (``known``, folded) refused, as which one is meant cannot be told."""
    with read_table(Path(source), max_bytes=ENGINE_MAX_BYTES, needs="data rows") as table:
        seen: dict[str, int] = {}
        for i, name in enumerate(table.header):
            key = folded(name)
            if key in known and key in seen:
                raise UsageError(
                    f"{table.display}: row {table.header_row}: columns {seen[key] + 1} and "
                    f"{i + 1} are both named '{excerpt(name)}': rename one"
                )
            seen.setdefault(key, i)


def read_through(source: str) -> None:
    """Read a CSV file DuckDB cannot read with the row reader, which names the row that is
    not UTF-8 or not CSV (and says nothing when it finds none)."""
    with read_table(Path(source), max_bytes=MAX_BYTES, needs="data rows") as table:
        for _ in table.rows:
            pass


def aggregated_rows(source: str, roles: Mapping[str, str]) -> list[tuple[Any, ...]]:
    """An aggregated CSV export's rows as `mcplan.timing.scan.aggregated_query` gives a
    Parquet file's (file, row, then the cells of `scan.AGGREGATED`), numbered as a
    spreadsheet numbers them."""
    with read_table(Path(source), max_bytes=MAX_BYTES, needs="data rows") as table:
        index = {name: i for i, name in enumerate(table.header)}
        at = [index.get(roles[role].strip()) if role in roles else None for role in AGGREGATED]
        return [("", row, *(_cell(cells, i) for i in at)) for row, cells in table.rows]


def first_problem(source: str, found: Sequence[Check]) -> str | None:
    """The first row that meets one of ``found`` (`mcplan.timing.checks`; its message, with
    the file and the row), or None when the row reader finds none."""
    with read_table(Path(source), max_bytes=MAX_BYTES, needs="data rows") as table:
        index = {name: i for i, name in enumerate(table.header)}
        for row, cells in table.rows:

            def cell(column: str, cells: list[str] = cells) -> str:
                return _cell(cells, index.get(column))

            for check in found:
                if check.bad(cell):
                    return f"{table.display}: row {row}: {check.message}"
    return None


def rows_of(
    source: str, c: EventColumns, personas: Iterable[str], channels: Iterable[str]
) -> tuple[dict[str, list[int]], dict[str, list[int]]]:
    """The rows (as a spreadsheet numbers them) that name each of ``personas`` and
    ``channels`` (names as written, trimmed)."""
    wanted: Mapping[str, set[str]] = {"persona": set(personas), "channel": set(channels)}
    found: dict[str, dict[str, list[int]]] = {"persona": {}, "channel": {}}
    with read_table(Path(source), max_bytes=MAX_BYTES, needs="data rows") as table:
        index = {name: i for i, name in enumerate(table.header)}
        for row, cells in table.rows:
            for role, column in (("persona", c.persona), ("channel", c.channel)):
                name = _cell(cells, index.get(column))
                if name in wanted[role]:
                    found[role].setdefault(name, []).append(row)
    return found["persona"], found["channel"]
