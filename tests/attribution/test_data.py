"""Reading touchpoint exports: touches, paths, channel names, and every kind of bad input."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from conftest import ROOT
from mcplan import UsageError, load_workspace
from mcplan.attribution import read
from mcplan.attribution.columns import resolve_columns

DATA = Path(__file__).parent / "data"


def known() -> dict[str, str]:
    return load_workspace(ROOT, discover=False).channel_lookup()


def write(tmp_path: Path, text: str, name: str = "export.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_touches_become_paths_ending_at_each_conversion() -> None:
    found = read(DATA / "touches.csv", known=known())
    channels = list(found.channels)
    paths = [
        [channels[c] for c in found.channel[found.path == p]] for p in range(len(found.conversions))
    ]
    assert paths == [
        ["email", "sms"],  # j1
        ["instagram", "email", "email"],  # j2
        ["email", "sms"],  # j3, no conversion
        ["sms"],  # j4 ("SMS" is the channel's name: mapped to its id)
    ]
    assert found.conversions.tolist() == [1, 1, 0, 1]
    assert found.nulls.tolist() == [0, 0, 1, 0]
    assert found.value.tolist() == [120, 80, 0, 50]
    assert found.unattributed == (1.0, 30.0)  # j5 converted with no touch


def test_a_contact_with_two_conversions_makes_two_paths(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "journey,time,channel,event,value\n"
        "a,2027-01-01T10:00,email,touch,\n"
        "a,2027-01-02T10:00,,conversion,10\n"
        "a,2027-01-03T10:00,sms,touch,\n"
        "a,2027-01-03T10:00,,conversion,20\n"  # same time as the touch: the touch led to it
        "a,2027-01-04T10:00,mail,touch,\n",
    )
    paths = read(path, known=known())
    assert paths.conversions.tolist() == [1, 1, 0]
    assert paths.value.tolist() == [10, 20, 0]
    assert paths.before is not None
    assert paths.before[:2].tolist() == [86_400, 0]


def test_utm_sources_and_names_map_to_channel_ids(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "contact_id;date;utm_source;type;revenue\n"
        "1;2027-01-01 10:00;E-mail;touch;\n"
        "1;2027-01-01 11:00;mobile_push;touch;\n"
        "1;2027-01-01 12:00;;conversion;12,50\n",
    )
    paths = read(path, known=known())
    assert paths.channels == ("email", "mobile_push")
    assert paths.value.tolist() == [12.5]


def test_paths_form(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "path,total_conversions,total_conversion_value,total_null\n"
        "email > sms,3,300,10\n"
        "sms,1,50,0\n"
        ",2,40,0\n",
    )
    paths = read(path, known=known())
    assert paths.conversions.tolist() == [3, 1]
    assert paths.nulls.tolist() == [10, 0]
    assert paths.before is None
    assert paths.unattributed == (2.0, 40.0)


def test_parquet(tmp_path: Path) -> None:
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    table = pa.table({"path": ["email > sms"], "conversions": [2], "null": [1]})
    pq.write_table(table, tmp_path / "paths.parquet")
    paths = read(tmp_path / "paths.parquet", known=known())
    assert np.array_equal(paths.conversions, [2.0])


def test_a_touch_flagged_converted_is_a_touch_then_a_conversion(tmp_path: Path) -> None:
    # Such a `converted` column was not read at all: 0 conversions, and exit 0.
    flagged = write(
        tmp_path,
        "journey_id,timestamp,channel,converted,value\n"
        "j1,2027-03-29T10:00:00Z,SMS,0,\n"
        "j1,2027-03-31T10:00:00Z,email,1,450\n"
        "j2,2027-03-29T10:00:00Z,instagram,no,\n"
        'j2,2027-04-01T09:00:00Z,sms,yes,"1,200.50"\n'
        "j3,2027-03-30T10:00:00Z,email,,\n",
        "flagged.csv",
    )
    events = write(
        tmp_path,
        "journey_id,timestamp,channel,event,value\n"
        "j1,2027-03-29T10:00:00Z,sms,touch,\n"
        "j1,2027-03-31T10:00:00Z,email,touch,\n"
        "j1,2027-03-31T10:00:00Z,,conversion,450\n"
        "j2,2027-03-29T10:00:00Z,instagram,touch,\n"
        "j2,2027-04-01T09:00:00Z,sms,touch,\n"
        "j2,2027-04-01T09:00:00Z,,conversion,1200.50\n"
        "j3,2027-03-30T10:00:00Z,email,touch,\n",
        "events.csv",
    )
    a, b = read(flagged, known=known()), read(events, known=known())
    assert a.conversions.tolist() == b.conversions.tolist() == [1, 1, 0]
    assert a.value.tolist() == b.value.tolist() == [450, 1200.5, 0]
    assert [a.channels[c] for c in a.channel] == [b.channels[c] for c in b.channel]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "the file is empty"),
        (
            "journey,time,channel,bought\na,2027-01-01T10:00,email,1\n",
            "no conversion in the file, nothing to attribute; a conversion is a row whose event",
        ),
        ("path,conversions\nemail,0\n", "no conversion in the file"),
        (
            "journey,time,channel,converted\na,2027-01-01T10:00,email,maybe\n",
            "row 2: converted 'maybe' is not a yes or a no (write 1 or 0)",
        ),
        ("journey,time,channel\n", "no data rows under the header"),
        ("journey,channel\na,email\n", "missing column time (looked for timestamp, time"),
        ("journey,time,channel\na,yesterday,email\n", "row 2: time 'yesterday' is not a date"),
        ("journey,time,channel\na,nan,email\n", "row 2: time 'nan' is not a date and time from"),
        ("journey,time,channel\na,inf,email\n", "row 2: time 'inf' is not a date and time from"),
        ("journey,time,channel\na,1e300,email\n", "row 2: time '1e300' is not a date and time"),
        ("journey,time,channel\na,0001-01-01T00:00,email\n", "row 2: time '0001-01-01T00:00'"),
        (
            "journey,time,channel\na,2027-01-01T10:00,email\nb,2027-01-01T10:00,emial\n"
            "c,2027-01-01T10:00,emial\n",
            "unknown channels: 'emial' (rows 3, 4) (did you mean 'email'?)",
        ),
        ("journey,time,channel,event,value\na,2027-01-01,,conversion,lots\n", "row 2: value"),
        ("journey,time,channel\n,2027-01-01T10:00,email\n", "row 2: the journey id is empty"),
        ("path,conversions\nemail,-1\n", "row 2: conversions '-1' is not a number .it must not"),
        (
            'path,conversions\nemail,"1,234"\n',
            "row 2: conversions '1,234' is not a number .ambiguous",
        ),
    ],
)
def test_bad_input_names_the_row(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(
        UsageError, match=message.replace("(", r"\(").replace(")", r"\)").replace("?", r"\?")
    ):
        read(write(tmp_path, text), known=known())


def test_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "latin1.csv"
    path.write_bytes("journey,time,channel\nà,2027-01-01,email\n".encode("latin-1"))
    with pytest.raises(UsageError, match="not UTF-8"):
        read(path, known=known())


def test_columns_can_be_named(tmp_path: Path, make_workspace: Callable) -> None:
    path = write(tmp_path, "visitor,moment,canal,vendu\nv1,2027-01-01T10:00,sms,oui\n")
    given = {"journey": "visitor", "time": "moment", "converted": "vendu"}
    paths = read(path, known=known(), columns=given)
    assert paths.conversions.tolist() == [1]
    with pytest.raises(UsageError, match="no column 'nope' for journey"):
        read(path, columns={"journey": "nope"})


def test_a_header_is_read_as_every_export_reader_reads_it(tmp_path: Path) -> None:
    """The one column resolver (`mcplan.tabular.resolve`): the header's row, a close name,
    the header seen; a column named for one role is not taken for another."""
    path = write(tmp_path, "\nvisitor,moment,canal,vendu\nv1,2027-01-01T10:00,sms,oui\n")

    def refused(**given: str) -> str:
        with pytest.raises(UsageError) as caught:
            read(path, known=known(), columns=given)
        return str(caught.value)

    assert refused(jorney="visitor") == (
        "--column jorney=visitor: unknown role 'jorney' (did you mean 'journey'?); the roles "
        "are: journey, time, channel, event, converted, value, path, conversions, null, cost, "
        "decay, decay_value, half_life"
    )
    assert refused(journey="visiter") == (
        f"{path}: row 2: no column 'visiter' for journey (did you mean 'visitor'?) (found: "
        "'visitor', 'moment', 'canal', 'vendu')"
    )
    assert refused(journey="visitor") == (
        f"{path}: row 2: missing column time (looked for timestamp, time, datetime, date, at, "
        "horodatage …); the columns are: 'visitor', 'moment', 'canal', 'vendu'. Name them with "
        "--column ROLE=NAME"
    )
    # "canal" named for the journey role is no longer also read as the channel
    given = {"journey": "canal", "time": "moment"}
    assert "missing column channel" in refused(**given)
    # two names of a role: the first in order of preference, wherever it is
    header = ["utm_source", "journey", "time", "channel"]
    assert resolve_columns(header, {}, "f")["channel"] == "channel"


def test_a_corrupt_parquet_file_is_a_usage_error(tmp_path: Path) -> None:
    pytest.importorskip("pyarrow")
    path = tmp_path / "touches.parquet"
    path.write_bytes(b"PAR1" + b"garbage" * 4 + b"PAR1")
    with pytest.raises(UsageError, match="not a Parquet file that can be read"):
        read(path)


def test_a_file_that_is_not_a_regular_file_is_refused(tmp_path: Path) -> None:
    fifo = tmp_path / "touches.csv"
    os.mkfifo(fifo)  # a plain read would wait for a writer forever
    with pytest.raises(UsageError, match="a FIFO, not a regular file"):
        read(fifo)
