"""The queries DuckDB runs on an engagement export (`mcplan.timing.read`): how a row's cells
are read in SQL, the scan that finds the first bad row and each persona and channel named,
and the count of sends, opens and clicks per local weekday and hour, as DuckDB reads the
export out of core, without a Python object per row."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from mcplan.attribution.columns import NO
from mcplan.attribution.engines import cells
from mcplan.attribution.sql import quoted
from mcplan.timing.checks import text, words

WEEK = 7 * 86_400  # added to local times so that they are never negative (same weekday)


def engaged(column: str | None, kind: str) -> str:
    """Whether a row's open (or click) happened, by its column's type: a time or a yes
    (empty, NULL, a no or 0: it did not)."""
    if column is None:
        return "FALSE"
    name = quoted(column)
    if kind.startswith("BOOLEAN"):
        return f"COALESCE({name}, FALSE)"
    if kind.startswith(("TIMESTAMP", "DATE")):
        return f"({name} IS NOT NULL)"
    if kind.startswith("VARCHAR") or not kind:
        return f"(LOWER(COALESCE({text(column)}, '')) NOT IN ({words(NO)}))"
    return f"COALESCE(TRY_CAST({name} AS DOUBLE) <> 0, FALSE)"


@dataclass(frozen=True)
class EventColumns:
    """The columns of the form with one row per message sent, and their types."""

    persona: str
    channel: str
    sent_at: str
    opened_at: str | None
    clicked_at: str | None
    types: Mapping[str, str]
    pattern: str | None  # --date-format

    @property
    def seconds(self) -> str:
        """The send's time as seconds since 1970, in SQL."""
        return cells.seconds(self.sent_at, self.types[self.sent_at], self.pattern)

    @property
    def opened(self) -> str:
        """Whether the message was opened (as the export says: a click is not counted as an
        open, so that a channel without opens keeps clicks as its metric)."""
        return self._engaged(self.opened_at)

    @property
    def clicked(self) -> str:
        return self._engaged(self.clicked_at)

    def _engaged(self, column: str | None) -> str:
        return engaged(column, self.types.get(column or "", ""))


def _file_and_row(parquet: bool) -> tuple[str, str]:
    """A row's file and number in SQL: a Parquet file's rows from 1, a CSV file's in the
    order DuckDB reads them from 2, the header being row 1 (blank lines skipped: the row
    reader names a CSV file's rows as a spreadsheet does, `mcplan.timing.rows`)."""
    if parquet:
        return "filename", "file_row_number + 1"
    return "''", "ROW_NUMBER() OVER () + 1"


def scan_query(c: EventColumns, checks: Sequence[str], parquet: bool) -> str:
    """The rows grouped by file, persona and channel as written (a few hundred groups):
    each group's rows, first row, first and last send, and first row that meets each check
    (rows numbered as a spreadsheet numbers a CSV file's, the header being row 1; a Parquet
    file's from 1)."""
    file, row = _file_and_row(parquet)
    tests = "".join(f",\n    ({test}) AS p{i}" for i, test in enumerate(checks))
    firsts = "".join(f", MIN(CASE WHEN p{i} THEN row END)" for i in range(len(checks)))
    return f"""
SELECT file, persona, channel, COUNT(*), MIN(row), MIN(t), MAX(t){firsts} FROM (
  SELECT {file} AS file, {row} AS row, {text(c.persona)} AS persona,
    {text(c.channel)} AS channel, {c.seconds} AS t{tests}
  FROM events_file
) AS rows GROUP BY file, persona, channel"""


def offset(starts: Sequence[int], offsets: Sequence[int], time: str = "t") -> str:
    """The offset of the last breakpoint at or before ``time``, in SQL: a binary search
    through the sorted breakpoints written as nested CASE (a zone's breakpoints over 230
    years nest 9 deep; over a year of sends, 2)."""
    if len(starts) == 1:
        return str(offsets[0])
    middle = len(starts) // 2
    before = offset(starts[:middle], offsets[:middle], time)
    after = offset(starts[middle:], offsets[middle:], time)
    return f"CASE WHEN {time} < {starts[middle]} THEN {before} ELSE {after} END"


def counts_query(c: EventColumns, shifts: Sequence[tuple[Sequence[int], Sequence[int]]]) -> str:
    """Sends, opens and clicks per key (`keys`: a persona and channel as written → its
    pair's number and its persona's zone), local weekday and hour: each send at its zone's
    offset (``shifts``: each zone's breakpoints and offsets, `offset`)."""
    zones = " ".join(f"WHEN {z} THEN {offset(s, o)}" for z, (s, o) in enumerate(shifts))
    return f"""
SELECT code, CAST((l // 86400 + 3) % 7 AS INTEGER) AS weekday,
  CAST(l % 86400 // 3600 AS INTEGER) AS hour, COUNT(*) AS sent,
  SUM(CAST(opened AS INTEGER)) AS opened, SUM(CAST(clicked AS INTEGER)) AS clicked
FROM (
  SELECT k.code, r.t + (CASE k.zone {zones} END) + {WEEK} AS l, r.opened, r.clicked
  FROM (
    SELECT {text(c.persona)} AS persona, {text(c.channel)} AS channel,
      CAST(FLOOR({c.seconds}) AS BIGINT) AS t, {c.opened} AS opened, {c.clicked} AS clicked
    FROM events_file
  ) AS r JOIN keys AS k ON r.persona = k.persona AND r.channel = k.channel
) AS sends GROUP BY ALL"""


def keys_table(con: Any, keys: Sequence[tuple[str, str, int, int]]) -> None:
    """The small table the count joins: `keys` (persona and channel as written, pair's
    number, zone's number)."""
    con.execute(
        "CREATE TEMP TABLE keys (persona VARCHAR, channel VARCHAR, code INTEGER, zone INTEGER)"
    )
    con.executemany("INSERT INTO keys VALUES (?, ?, ?, ?)", list(keys))


# the aggregated form's columns, in the order its rows give them after their file and row
AGGREGATED = ("persona", "channel", "weekday", "hour", "sends", "opens", "clicks")


def aggregated_query(columns: Mapping[str, str], parquet: bool) -> str:
    """The aggregated form's rows as text, each with its file and row (it has a row per
    persona, channel, weekday and hour: a few thousand), for a Parquet file (a CSV file's
    are the row reader's, numbered as a spreadsheet does: `mcplan.timing.rows`)."""
    file, row = _file_and_row(parquet)
    cells_ = ", ".join(text(columns[name]) if name in columns else "NULL" for name in AGGREGATED)
    return f"SELECT {file}, {row}, {cells_} FROM events_file"
