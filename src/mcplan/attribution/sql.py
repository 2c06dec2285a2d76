"""The aggregation of a touch log into paths, written once as SQL and run where the data is.

Every model needs only the paths, aggregated: for each sequence of channels, its conversions,
their value, and how many contacts took it without converting; time decay needs, for each
position of each path, the sum of its touches' shares of their conversions (a touch Δt before
its conversion weighs 2^(-Δt / half-life)). That is one query, which an engine runs out of
core where the events are: Spark, BigQuery, Snowflake beside the data, transpiled by sqlglot
from the DuckDB dialect it is written in. In this process, DuckDB runs its first part
(`sorted_events`: the events in each contact's order) and `mcplan.attribution.stream` cuts
and sums the paths as they come, which spares the query's second sort.

The query reads a table of touches with the columns of its roles (journey: the contact's
id, as `--column journey=NAME` names it and the query calls it; time, channel; event or
converted; value), and gives one row per path: `path` (channels joined by " > "),
`conversions`, `value`, `null`, `decay` and `decay_value` (per position, joined the same way)
and `half_life_days`. `mcplan attribute` reads that table back as a paths file.

A contact's events are ordered by time; at the same time a touch comes before a conversion,
touches by channel name, conversions by value, so that every engine cuts the same paths
whatever the order of the rows. A conversion closes the path of the touches before it since
the contact's previous conversion; a conversion without a touch before it has an empty path.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any

from mcplan.attribution.columns import CONVERSION_EVENTS, NO, YES
from mcplan.errors import UsageError

DIALECTS = ("duckdb", "spark", "bigquery", "snowflake")
SEPARATOR = " > "
TABLE = "touches"
# A contact's events in order: by time; a touch before a conversion; by channel, by value.
ORDER = "t, is_conversion, channel, value"
LAST_SECOND = 7258118400.0  # 2200-01-01 in seconds since 1970: times are from 1970 to 2199


@dataclass(frozen=True)
class Columns:
    """The columns the query reads, by role, as the source names them (``event`` or
    ``converted`` may be missing, and ``value``); ``time`` is read as a timestamp, or, where
    an engine has already made it one, as seconds since 1970 (``seconds``)."""

    journey: str
    time: str
    channel: str
    event: str | None = None
    converted: str | None = None
    value: str | None = None

    @classmethod
    def of(cls, roles: Mapping[str, str]) -> Columns:
        """The columns of ``roles`` (role → column) that the query reads (not a cost's)."""
        read = {field.name for field in fields(cls)}
        return cls(**{role: roles[role] for role in roles if role in read})


def quoted(name: str) -> str:
    """A column name as the DuckDB dialect quotes it (sqlglot requotes it for the others)."""
    return '"' + name.replace('"', '""') + '"'


def _words(words: set[str]) -> str:
    return ", ".join("'" + w.replace("'", "''") + "'" for w in sorted(words))


def row_fields(c: Columns) -> dict[str, str]:
    """How the query reads a row: its contact, channel, whether it converts or is flagged
    (`journey`, `channel`, `converts`, `flag`, `flagged`), for the engines' checks too."""
    channel = f"TRIM(CAST({quoted(c.channel)} AS VARCHAR))"
    if c.event:
        event = f"LOWER(TRIM(CAST({quoted(c.event)} AS VARCHAR)))"
        converts = f"{event} IN ({_words(CONVERSION_EVENTS)})"
    else:
        converts = f"COALESCE({channel}, '') = ''"
    flag = f"LOWER(TRIM(CAST({quoted(c.converted)} AS VARCHAR)))" if c.converted else ""
    return {
        "journey": f"TRIM(CAST({quoted(c.journey)} AS VARCHAR))",
        "channel": channel,
        "converts": converts,
        "flag": flag,
        "flagged": f"COALESCE({flag} IN ({_words(YES)}), FALSE)" if flag else "FALSE",
    }


def problems(c: Columns, seconds: str, amount: str) -> dict[str, tuple[str, str]]:
    """What would make the paths wrong, each as a message, the condition a row meets, and the
    column to show: an empty contact id, a time that is not one, a touch without a channel,
    a channel name with the separator, a flag that is neither yes nor no, a conversion's
    value that is not a positive number (``amount`` NULL where its text is not one)."""
    row = row_fields(c)
    separator = SEPARATOR.strip()
    found = {
        "the journey id is empty": (f"COALESCE({row['journey']}, '') = ''", c.journey),
        f"time is not a date and time from 1970 to 2199 (column {c.time})": (
            f"NOT COALESCE(({seconds}) >= 0 AND ({seconds}) < {LAST_SECOND}, FALSE)",
            c.time,
        ),
        f"a touch without a channel (column {c.channel})": (
            f"NOT ({row['converts']}) AND COALESCE({row['channel']}, '') = ''",
            c.channel,
        ),
        f"a channel name with '{separator}' in it (column {c.channel})": (
            f"POSITION('{separator}' IN COALESCE({row['channel']}, '')) > 0",
            c.channel,
        ),
    }
    if c.converted:
        found[f"converted is not a yes or a no (column {c.converted})"] = (
            f"COALESCE({row['flag']}, '') NOT IN ({_words(YES | NO)})",
            c.converted,
        )
    if c.value:
        written = f"COALESCE(TRIM(CAST({quoted(c.value)} AS VARCHAR)), '') <> ''"
        found[f"value is not a number (column {c.value})"] = (
            f"({row['converts']} OR {row['flagged']}) AND {written} "
            f"AND NOT COALESCE(({amount}) >= 0, FALSE)",
            c.value,
        )
    return found


def paths_query(
    columns: Columns,
    half_life_days: float,
    *,
    table: str = TABLE,
    time: str | None = None,
    value: str | None = None,
    joined: bool = False,
) -> str:
    """The aggregation in DuckDB's dialect. ``time`` and ``value`` replace how the time (as
    seconds since 1970) and the value (as a number) are read, for an engine that reads
    text its own way. ``joined`` names each path by a GROUP BY joined back to its events,
    for BigQuery, whose window functions take no ordered aggregate; otherwise a window
    does (less memory, no join)."""
    return (
        f"{_events(columns, table, time, value)},\n"
        + _segmented(float(half_life_days) * 86_400)
        + _paths(joined)
        + _totals(half_life_days)
    )


def _segmented(half_life: float) -> str:
    """The query's second part: each contact's events numbered and cut into paths (segments),
    each touch weighed for time decay (``half_life`` in seconds)."""
    return f"""numbered AS (
  -- One pass in each journey's order: each event's number, its path (the conversions before
  -- it), and for a touch the time of the conversion that closes its path, and its weight.
  SELECT journey, t, channel, is_conversion, value,
    ROW_NUMBER() OVER (PARTITION BY journey ORDER BY {ORDER}) AS n,
    SUM(CASE WHEN is_conversion THEN 1 ELSE 0 END) OVER (
      PARTITION BY journey ORDER BY {ORDER}
      ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW
    ) AS closed,
    MIN(CASE WHEN is_conversion THEN t END) OVER (
      PARTITION BY journey ORDER BY {ORDER}
      ROWS BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING
    ) AS converted_at
  FROM events
),
cut AS (
  SELECT journey, t, channel, is_conversion, value, n, converted_at,
    CASE WHEN is_conversion THEN closed - 1 ELSE closed END AS segment
  FROM numbered
),
segmented AS (
  -- A touch's weight halves every half-life before its path's last touch: the shares are
  -- those from the conversion's time, and touches years before it do not all round to 0.
  SELECT journey, channel, is_conversion, value, n, segment,
    CASE WHEN NOT is_conversion AND converted_at IS NOT NULL
      THEN POWER(2.0, -(MAX(CASE WHEN NOT is_conversion THEN t END) OVER (
        PARTITION BY journey, segment) - t) / {half_life!r}) ELSE 0.0 END AS weight
  FROM cut
),
"""


_WHOLE = "PARTITION BY journey, segment"  # a path's events


def _paths(joined: bool) -> str:
    """The query's third part: each event with what is known of its whole path, the path
    named by a window, or (``joined``) by a GROUP BY joined back to the events."""
    if joined:
        touches = f"""segments AS (
  SELECT journey, segment, STRING_AGG(channel, '{SEPARATOR}' ORDER BY n) AS path
  FROM segmented GROUP BY journey, segment
),
touches AS (
  SELECT e.journey, e.segment, e.n, e.is_conversion, e.value, e.weight, s.path
  FROM segmented AS e JOIN segments AS s ON e.journey = s.journey AND e.segment = s.segment
),"""
        path, source = "path", "touches"
    else:
        touches = ""
        path = f"STRING_AGG(channel, '{SEPARATOR}' ORDER BY n) OVER ({_WHOLE})"
        source = "segmented"
    return f"""{touches}
paths AS (
  -- Each event's position in its path, and what is known of the whole path: its channels
  -- in order, its weights, its conversion and value.
  SELECT is_conversion, value, weight,
    ROW_NUMBER() OVER ({_WHOLE} ORDER BY n) - 1 AS position,
    {path} AS path,
    SUM(weight) OVER ({_WHOLE}) AS weights,
    SUM(CASE WHEN is_conversion THEN 1 ELSE 0 END) OVER ({_WHOLE}) AS conversions,
    SUM(value) OVER ({_WHOLE}) AS worth
  FROM {source}
),
"""


def _totals(half_life_days: float) -> str:
    """The query's last part: one row per path, its totals and time decay's shares."""
    return f"""totals AS (
  -- Per path, from its first row (a touch, or the conversion of a path without one): its
  -- conversions, their value, and the paths that did not convert.
  SELECT COALESCE(path, '') AS path, SUM(conversions) AS conversions, SUM(worth) AS value,
    SUM(CASE WHEN conversions = 0 THEN 1 ELSE 0 END) AS nulls
  FROM paths WHERE position = 0 GROUP BY COALESCE(path, '')
),
decays AS (
  -- Per path, time decay's shares of its touches at each position, from the paths that
  -- converted.
  SELECT path,
    STRING_AGG(CAST(decay AS VARCHAR), '{SEPARATOR}' ORDER BY position) AS decay,
    STRING_AGG(CAST(decay_value AS VARCHAR), '{SEPARATOR}' ORDER BY position) AS decay_value
  FROM (
    SELECT path, position, SUM(weight / weights * conversions) AS decay,
      SUM(weight / weights * worth) AS decay_value
    FROM paths WHERE NOT is_conversion AND conversions > 0
    GROUP BY path, position
  ) AS by_position
  GROUP BY path
)
SELECT totals.path AS path, totals.conversions AS conversions, totals.value AS value,
  totals.nulls AS "null", decays.decay AS decay, decays.decay_value AS decay_value,
  CAST({float(half_life_days)!r} AS DOUBLE) AS half_life_days
FROM totals LEFT JOIN decays ON totals.path = decays.path
ORDER BY totals.path
"""


def sorted_events(
    columns: Columns, *, table: str = TABLE, time: str | None = None, value: str | None = None
) -> str:
    """The events in contact order (journey, t, channel, is_conversion, value), each contact's
    together, as the paths query orders them; `mcplan.attribution.stream` cuts the paths."""
    return f"""{_events(columns, table, time, value)}
SELECT journey, t, channel, is_conversion, value FROM events ORDER BY journey, {ORDER}
"""


def _events(c: Columns, table: str, time: str | None, value: str | None) -> str:
    """The query's first part: the events of the touches in ``table`` (see `paths_query`)."""
    row = row_fields(c)
    seconds = time or f"EPOCH(CAST({quoted(c.time)} AS TIMESTAMP))"
    amount = value or (f"CAST({quoted(c.value)} AS DOUBLE)" if c.value else "0.0")
    if c.converted:  # a touch flagged converted is a touch, then a conversion at its time
        events = """
  SELECT journey, t, channel, FALSE AS is_conversion, 0.0 AS value
  FROM raw WHERE NOT is_conversion
  UNION ALL
  SELECT journey, t, NULL AS channel, TRUE AS is_conversion, amount AS value
  FROM raw WHERE is_conversion OR flagged"""
    else:  # each row is one or the other: one pass over the rows
        events = """
  SELECT journey, t, CASE WHEN is_conversion THEN NULL ELSE channel END AS channel,
    is_conversion, CASE WHEN is_conversion THEN amount ELSE 0.0 END AS value
  FROM raw"""
    return f"""
WITH raw AS (
  SELECT
    {row["journey"]} AS journey,
    CAST({seconds} AS DOUBLE) AS t,
    {row["channel"]} AS channel,
    {row["converts"]} AS is_conversion,
    {row["flagged"]} AS flagged,
    COALESCE({amount}, 0.0) AS amount
  FROM {table}
),
events AS ({events}
)"""


def transpile(query: str, dialect: str) -> str:
    """The query in ``dialect``'s SQL, by sqlglot, with only functions the dialect has
    (`in_dialect`)."""
    if dialect not in DIALECTS:
        raise UsageError(f"--sql: unknown dialect '{dialect}'; dialects: {', '.join(DIALECTS)}")
    import logging

    import sqlglot

    # sqlglot warns that it cannot say NULLS LAST in some dialects: no ordered value is null
    # (times and conversions never are; a conversion's missing channel sorts after a touch).
    logging.getLogger("sqlglot").setLevel(logging.ERROR)
    tree = sqlglot.parse_one(query, read="duckdb")
    written: str = in_dialect(tree, dialect).sql(dialect=dialect, pretty=True)
    return written + ";\n"


def in_dialect(tree: Any, dialect: str) -> Any:
    """``tree`` (sqlglot's, read as DuckDB) with what sqlglot would write as a function
    ``dialect`` does not have written with one it has, to the microsecond as DuckDB's
    ``EPOCH``: BigQuery has no ``TIME_TO_UNIX`` but ``UNIX_MICROS`` of a TIMESTAMP (a
    DATETIME has none; a time without an offset is in UTC), Snowflake has ``EXTRACT`` of
    ``epoch_microsecond``. The functions of each dialect's SQL are checked against its
    documentation in ``tests/attribution/test_sql_dialects.py``."""
    from sqlglot import exp

    million = exp.Literal.number(1_000_000)

    def seconds(node: Any) -> Any:
        if not isinstance(node, exp.TimeToUnix):
            return node
        time = node.this
        if dialect == "bigquery":
            if isinstance(time, exp.Cast) and time.to.is_type(*exp.DataType.TEMPORAL_TYPES):
                time = exp.cast(time.this, exp.DataType.Type.TIMESTAMPTZ)  # BigQuery's TIMESTAMP
            return exp.Div(this=exp.UnixMicros(this=time), expression=million)
        if dialect == "snowflake":
            micros = exp.Extract(this=exp.var("epoch_microsecond"), expression=time)
            return exp.Div(this=micros, expression=million)
        return node

    return tree.transform(seconds)


def printed(
    columns: Mapping[str, str],
    half_life_days: float,
    dialect: str,
    table: str = TABLE,
    date_format: str | None = None,
) -> str:
    """What `mcplan attribute --sql DIALECT` prints: the query for a table of touches whose
    columns are named by ``columns`` (role → name, ``-`` for none; otherwise
    journey_id, timestamp, channel, event and value, and no converted flag), its times
    text written as ``date_format`` (a strftime pattern) when it is given."""
    from mcplan.tabular import time_pattern

    roles: dict[str, str | None] = {
        "journey": "journey_id", "time": "timestamp", "channel": "channel", "event": "event",
        "value": "value", **columns,
    }  # fmt: skip
    roles = {role: None if name == "-" else name for role, name in roles.items()}  # event=-
    unknown = sorted(set(roles) - {"journey", "time", "channel", "event", "converted", "value"})
    if unknown:
        raise UsageError(
            f"--column {unknown[0]}: the SQL reads journey, time, channel, event, converted "
            "and value"
        )
    read = Columns(**roles)  # type: ignore[arg-type]
    pattern = time_pattern(date_format)
    time = None
    if pattern is not None:  # sqlglot writes the pattern in each dialect's own format
        written = "'" + pattern.replace("'", "''") + "'"
        time = f"EPOCH(STRPTIME(CAST({quoted(read.time)} AS VARCHAR), {written}))"
    query = paths_query(read, half_life_days, table=table, time=time, joined=dialect == "bigquery")
    header = (
        f"-- mcplan attribute: the paths of the touches in {table}, for a half-life of "
        f"{half_life_days:g} days.\n-- Run it where the data is; save the result as CSV and "
        "give it to `mcplan attribute`.\n"
    )
    return header + transpile(query, dialect)
