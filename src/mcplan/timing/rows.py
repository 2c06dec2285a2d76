"""A CSV export's rows named as a spreadsheet numbers them (the header is row 1, blank rows
count), where DuckDB's reader cannot say (it skips blank lines): when its scan finds a bad
row or an unknown name, the file is read again by the row reader of every export
(`mcplan.tabular.read_table`), which says the first bad row and where each unknown name is.
Only on that path, and for a file the row reader may read."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

from mcplan.attribution.columns import NO, YES
from mcplan.tabular import export_time, read_table
from mcplan.timing.scan import EventColumns

MAX_BYTES = 2 * 1024**3  # as `mcplan attribute`'s row reader: beyond, DuckDB's rows stand


def _cell(cells: list[str], index: int | None) -> str:
    return cells[index].strip() if index is not None and index < len(cells) else ""


def first_problem(source: str, c: EventColumns) -> str | None:
    """The first row that meets a check of `EventColumns.checks` (its message, with the
    file and the row), or None when the row reader finds none."""
    messages = list(c.checks())
    with read_table(Path(source), max_bytes=MAX_BYTES, needs="data rows") as table:
        index = {name: i for i, name in enumerate(table.header)}
        for row, cells in table.rows:
            persona, channel = (
                _cell(cells, index.get(c.persona)),
                _cell(cells, index.get(c.channel)),
            )
            found = [not persona, not channel, export_time(_cell(cells, index.get(c.sent_at)),
                     c.pattern) is None]  # fmt: skip
            found += [
                _not_engagement(_cell(cells, index.get(column)), c.pattern)
                for column in (c.opened_at, c.clicked_at)
                if column is not None
            ]
            for message, bad in zip(messages, found, strict=False):
                if bad:
                    return f"{table.display}: row {row}: {message}"
    return None


def _not_engagement(text: str, pattern: str | None) -> bool:
    return bool(text) and text.lower() not in YES | NO and export_time(text, pattern) is None


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
