"""The column reader (pyarrow) gives the row reader's paths, to the last bit, on any
export; on anything it is not sure of, the row reader reads the file and says what is wrong
on which row."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mcplan import UsageError
from mcplan.attribution import columnar, read
from mcplan.attribution.arrays import Paths

pytest.importorskip("pyarrow")
KNOWN = {"email": "email", "sms": "sms", "E-mail": "email", "store": "store"}
TIMES = st.one_of(
    st.integers(1_700_000_000, 1_800_000_000).map(str),
    st.datetimes(
        min_value=__import__("datetime").datetime(2026, 1, 1),
        max_value=__import__("datetime").datetime(2028, 1, 1),
    ).map(lambda d: d.isoformat(timespec="seconds")),
)
ROWS = st.lists(
    st.tuples(
        st.sampled_from(["j1", "j2", " j3 ", "42"]),
        st.sampled_from(["email", "sms", "E-mail", "store", ""]),
        st.sampled_from(["", "", "1", "0", "oui"]),
        st.sampled_from(["", "12,50 €", "80", "1 234,00"]),
        st.sampled_from(["0.05", "0", ""]),
    ),
    min_size=1,
    max_size=40,
)


def both(path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Paths, Paths, bool]:
    """What the file reads as (the column reader first), what the row reader alone reads,
    and whether the column reader read it."""
    taken = []
    real = columnar.touches

    def spy(*args: object, **kwargs: object) -> object:
        result = real(*args, **kwargs)  # type: ignore[arg-type]
        taken.append(result is not None)
        return result

    with monkeypatch.context() as patch:
        patch.setattr(columnar, "touches", spy)
        fast = read(path, known=KNOWN, currencies=("€",))
    with monkeypatch.context() as patch:
        patch.setattr(columnar, "read_columns", lambda *a: None)
        rows = read(path, known=KNOWN, currencies=("€",))
    return fast, rows, any(taken)


def same(a: Paths, b: Paths) -> None:
    for field in dataclasses.fields(Paths):
        x, y = getattr(a, field.name), getattr(b, field.name)
        if isinstance(x, np.ndarray):
            assert x.dtype == y.dtype, field.name
            assert np.array_equal(x, y), field.name
        else:
            assert x == y, field.name


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=ROWS, times=st.lists(TIMES, min_size=40, max_size=40), zone=st.booleans())
def test_the_column_reader_reads_what_the_row_reader_reads(
    rows: list[tuple[str, str, str, str, str]], times: list[str], zone: bool, tmp_path_factory
) -> None:
    path = tmp_path_factory.mktemp("export") / "touches.csv"
    suffix = "+02:00" if zone else ""
    lines = ["journey_id;timestamp;channel;converted;value;cost"]
    for (contact, channel, flag, value, cost), at in zip(rows, times, strict=False):
        stamp = at if at.isdigit() else at + suffix
        lines.append(f"{contact};{stamp};{channel};{flag};{value};{cost}")
    lines.append(f"j1;{times[-1] if times[-1].isdigit() else times[-1] + suffix};;;99;")
    path.write_text("\n".join(lines) + "\n", "utf-8")
    with pytest.MonkeyPatch.context() as monkeypatch:
        fast, slow, taken = both(path, monkeypatch)
    same(fast, slow)
    mixed = len({t.isdigit() for t in [*times[: len(rows)], times[-1]]}) > 1
    assert taken or mixed  # a column of mixed times goes to the row reader


def test_a_parquet_export_reads_the_same(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = tmp_path / "touches.parquet"
    at = pa.array([1_800_000_000 + 3600 * i for i in range(5)], pa.timestamp("s", "UTC"))
    table = pa.table(
        {
            "journey_id": pa.array([7, 7, 8, 8, 8]),
            "timestamp": at,
            "channel": ["email", None, "sms", "store", None],
            "value": pa.array([None, 50.0, None, None, 20.0]),
        }
    )
    pq.write_table(table, path)
    fast, slow, taken = both(path, monkeypatch)
    same(fast, slow)
    assert taken


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("j2;2027-01-13T09:00;fax;;;", "unknown channels: 'fax' (row 3)"),
        (" ;2027-01-13T09:00;sms;;;", "row 3: the journey id is empty"),
        ("j2;hier;sms;;;", "row 3: time 'hier' is not a date and time"),
        ("j2;2027-01-13T09:00;sms;peut-être;;", "row 3: converted 'peut-être' is not a yes"),
        ("j2;2027-01-13T09:00;;;1,234;", "row 3: value '1,234' is not a number"),
        ("j2;2027-01-13T09:00;sms;;;-3", "row 3: cost '-3' is not a number"),
    ],
)
def test_what_the_column_reader_is_not_sure_of_the_row_reader_names(
    tmp_path: Path, row: str, message: str
) -> None:
    path = tmp_path / "touches.csv"
    header = "journey_id;timestamp;channel;converted;value;cost"
    path.write_text(f"{header}\nj1;2027-01-13T08:00;email;1;10;\n{row}\n", "utf-8")
    with pytest.raises(UsageError, match=message.replace("(", r"\(").replace(")", r"\)")):
        read(path, known=KNOWN, currencies=("€",))
