"""The SQL `mcplan attribute --sql DIALECT` prints uses only functions that dialect has.

Each dialect's SQL is parsed back by sqlglot in that dialect, strictly, and every function it
calls (a name sqlglot does not know, or one of its functions as the dialect writes it) is
looked up in the list of that dialect's functions, taken from its reference
(`data/sql_functions.yaml`; DuckDB's from DuckDB itself). BigQuery has no ``TIME_TO_UNIX``:
sqlglot writes it for DuckDB's ``EPOCH``, and the query said so until mcplan wrote
``UNIX_MICROS`` instead.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
import sqlglot
import yaml
from sqlglot import exp
from sqlglot.errors import ErrorLevel

from mcplan.attribution import read
from mcplan.attribution.sql import DIALECTS, printed
from mcplan.cli import app

DATA = Path(__file__).parent / "data"
FUNCTIONS: dict[str, list[str]] = yaml.safe_load((DATA / "sql_functions.yaml").read_text())
# What the query reads: the defaults, a converted flag instead of events, times as Italian
# exports write them (--date-format).
VARIANTS = [
    ({}, None),
    ({"converted": "converted", "event": "-", "value": "amount"}, None),
    ({"journey": "cliente", "time": "data"}, "%d/%m/%Y %H:%M"),
]


def functions_of(dialect: str) -> set[str]:
    names = set(FUNCTIONS[dialect])
    if dialect == "duckdb":
        rows = duckdb.sql("SELECT DISTINCT function_name FROM duckdb_functions()").fetchall()
        names |= {str(name).upper() for (name,) in rows}
    return names


def called(sql: str, dialect: str) -> Iterator[str]:
    """Each function ``sql`` calls, as ``dialect`` writes it, once it parses back strictly."""
    tree = sqlglot.parse_one(sql, read=dialect, error_level=ErrorLevel.RAISE)
    for node in tree.find_all(exp.Func):
        if isinstance(node, exp.Anonymous):
            yield node.name.upper()
            continue
        if isinstance(node, exp.If) and isinstance(node.parent, exp.Case):
            continue  # a WHEN … THEN of a CASE
        written = re.match(r"([A-Za-z_][A-Za-z0-9_]*)\s*\(", node.sql(dialect=dialect))
        if written:  # a function; not AND, OR or CASE, which sqlglot also counts as ones
            yield written.group(1).upper()


def query_of(dialect: str, columns: dict[str, str], date_format: str | None) -> str:
    text = printed(columns, 7.0, dialect, "touches", date_format)
    return text.rstrip().rstrip(";")


@pytest.mark.parametrize("dialect", DIALECTS)
@pytest.mark.parametrize(("columns", "date_format"), VARIANTS)
def test_every_function_of_the_sql_is_one_its_dialect_has(
    dialect: str, columns: dict[str, str], date_format: str | None
) -> None:
    sql = query_of(dialect, columns, date_format)
    unknown = sorted(set(called(sql, dialect)) - functions_of(dialect))
    assert not unknown, f"{dialect} has no {', '.join(unknown)}"


def test_the_check_finds_a_function_the_dialect_does_not_have() -> None:
    """What sqlglot writes of DuckDB's EPOCH for BigQuery, untouched, is not BigQuery's."""
    untouched = sqlglot.transpile(
        "SELECT EPOCH(CAST(t AS TIMESTAMP)) FROM touches", read="duckdb", write="bigquery"
    )[0]
    assert "TIME_TO_UNIX" in untouched
    assert set(called(untouched, "bigquery")) - functions_of("bigquery") == {"TIME_TO_UNIX"}


@pytest.mark.parametrize(
    ("dialect", "seconds"),
    [
        ("bigquery", "UNIX_MICROS(CAST(`timestamp` AS TIMESTAMP)) / 1000000"),
        ("snowflake", 'DATE_PART(epoch_microsecond, CAST("timestamp" AS TIMESTAMPNTZ)) / 1000000'),
        ("spark", "UNIX_TIMESTAMP(CAST(`timestamp` AS TIMESTAMP_NTZ))"),
        ("duckdb", 'EPOCH(CAST("timestamp" AS TIMESTAMP))'),
    ],
)
def test_each_dialect_reads_a_time_as_seconds_its_own_way(dialect: str, seconds: str) -> None:
    assert f"CAST({seconds} AS " in printed({}, 7.0, dialect)


@pytest.mark.parametrize(
    ("dialect", "parsed"),
    [
        ("bigquery", "PARSE_TIMESTAMP('%d/%m/%Y %H:%M', CAST(`data` AS STRING))"),
        ("snowflake", "TO_TIMESTAMP(CAST(\"data\" AS VARCHAR), 'DD/mm/yyyy hh24:mi')"),
        ("spark", "TO_TIMESTAMP(CAST(`data` AS STRING), 'd/M/yyyy H:m')"),
        ("duckdb", "STRPTIME(CAST(\"data\" AS TEXT), '%d/%m/%Y %H:%M')"),
    ],
)
def test_a_date_format_is_written_in_each_dialect_s_own_pattern(dialect: str, parsed: str) -> None:
    sql = printed({"time": "data"}, 7.0, dialect, date_format="%d/%m/%Y %H:%M")
    assert parsed in " ".join(sql.split())


def test_the_duckdb_sql_reads_italian_times_as_the_row_reader_does(tmp_path: Path) -> None:
    """An Italian log (`02/07/2027 15:00` is 2 July), aggregated by the printed SQL in
    DuckDB, gives the paths the row reader gives of the same file."""
    log = tmp_path / "tocchi.csv"
    log.write_text(
        "cliente;data;canale;evento;valore\n"
        "c1;30/06/2027 09:00;email;tocco;\n"
        "c1;02/07/2027 15:00;sms;tocco;\n"
        "c1;02/07/2027 15:30;;acquisto;45,90\n"
        "c2;01/07/2027 10:00;sms;tocco;\n"
        "c2;12/07/2027 10:00;email;tocco;\n",
        encoding="utf-8",
    )
    paths = read(log, date_format="%d/%m/%Y %H:%M")
    assert paths.before is not None
    # e-mail 2 days and 6 hours and a half before the purchase, the SMS half an hour
    assert paths.before[:2].tolist() == [196_200.0, 1_800.0]
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    con.execute(
        f"CREATE TABLE touches AS SELECT cliente, data, canale, evento, "
        f"replace(valore, ',', '.') AS valore FROM read_csv('{log}', all_varchar = true)"
    )
    columns = {"journey": "cliente", "time": "data", "channel": "canale", "event": "evento",
               "value": "valore"}  # fmt: skip
    query = query_of("duckdb", columns, "%d/%m/%Y %H:%M")
    paths = con.execute(query).fetchall()
    assert [(p, c, v, n) for p, c, v, n, *_ in paths] == [
        ("email > sms", 1, 45.9, 0),
        ("sms > email", 0, 0.0, 1),
    ]


def test_the_command_prints_the_sql_for_a_date_format(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    result = CliRunner().invoke(
        app, ["attribute", "--sql", "bigquery", "--date-format", "%d/%m/%Y %H:%M"]
    )
    assert result.exit_code == 0, result.output
    assert "PARSE_TIMESTAMP('%d/%m/%Y %H:%M'" in result.output
    assert "TIME_TO_UNIX" not in result.output
    wrong = CliRunner().invoke(app, ["attribute", "--sql", "bigquery", "--date-format", "%H:%M"])
    assert wrong.exit_code == 2
    assert "--date-format: '%H:%M' is not a strftime pattern with a day, a month" in wrong.output
