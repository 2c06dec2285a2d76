"""A CSV export's rows named as a spreadsheet numbers them (the header is row 1, blank rows
count), where DuckDB's reader cannot say (it skips blank lines): when its scan finds a bad
row or an unknown name, the file is read again by the row reader of every export
(`mcplan.tabular.read_table`), which says the first bad row and where each unknown name is.
Only on that path, and for a file the row reader may read."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from mcplan.tabular import read_table
from mcplan.timing.checks import Check
from mcplan.timing.scan import EventColumns

MAX_BYTES = 2 * 1024**3  # as `mcplan attribute`'s row reader: beyond, DuckDB's rows stand


def _cell(cells: list[str], index: int | None) -> str:
    return cells[index].strip() if index is not None and index < len(cells) else ""


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
