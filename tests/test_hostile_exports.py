"""Exports from a pull request: `report --results` and `attribute` (every engine) open only
regular files inside the folder an export is in, and say what they refuse in a bounded,
escaped message that never quotes a file they did not open.

Each test runs in a checkout (the working folder) beside a "home" folder holding a fake
secret; the links a pull request could commit lead there, or to the process's environment.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest
from typer.testing import Result

from conftest import ROOT

SECRET = "hunter2"
ENVIRON = Path("/proc/self/environ")
ENGINES = ("memory", "duckdb", "spark")
REPORT = ("report", "soldes-hiver-2027", "-w", str(ROOT), "--results")


@pytest.fixture
def checkout(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The repository CI runs in (the working folder), and a secret outside of it."""
    home = tmp_path / "home"
    home.mkdir()
    (home / "secret.csv").write_text(f"SECRET={SECRET}\n", encoding="utf-8")
    (home / "x.csv").write_text(f"SECRET={SECRET}\n", encoding="utf-8")
    (home / "part.parquet").write_text(f"SECRET={SECRET}\n", encoding="utf-8")
    repo = tmp_path / "repo"
    repo.mkdir()
    monkeypatch.chdir(repo)
    return repo


def _touches(path: Path, contact: str = "j1") -> Path:
    """A small touch log (a touch by e-mail, then a conversion), as CSV or (by its suffix)
    Parquet."""
    path.parent.mkdir(parents=True, exist_ok=True)
    rows = [(contact, "2027-01-02T09:00", "email", ""), (contact, "2027-01-03T09:00", "", "10")]
    text = "journey_id,timestamp,channel,value\n" + "".join(f"{','.join(r)}\n" for r in rows)
    if path.suffix == ".csv":
        path.write_text(text, encoding="utf-8")
        return path
    csv = path.with_suffix(".csv")
    csv.write_text(text, encoding="utf-8")
    duckdb.sql(
        f"COPY (SELECT * FROM read_csv('{csv}', all_varchar = true)) TO '{path}' (FORMAT PARQUET)"
    )
    csv.unlink()
    return path


def _link(link: str, target: str | Path) -> None:
    Path(link).parent.mkdir(parents=True, exist_ok=True)
    Path(link).symlink_to(target)


def _said(result: Result) -> str:
    return result.stdout + result.stderr


def _assert_nothing_leaked(result: Result) -> None:
    said = _said(result)
    assert SECRET not in said
    if ENVIRON.exists():  # no variable of the environment, whatever its value
        entries = ENVIRON.read_bytes().decode("utf-8", "replace").split("\0")
        assert not [e for e in entries if len(e) > 12 and e in said]
    assert "\x1b" not in said
    assert "internal error" not in said


def _refused(result: Result, message: str) -> None:
    assert result.exit_code == 2, _said(result)
    assert message in result.stderr
    _assert_nothing_leaked(result)


# -- links out of the folder -------------------------------------------------------------------

LINKS = {
    "absolute": lambda home: ("results/x.csv", home / "secret.csv"),
    "relative": lambda home: ("results/x.csv", "../../home/secret.csv"),
    "environ": lambda home: ("results/x.csv", ENVIRON),
    "folder": lambda home: ("results", home),  # CI names results/x.csv: home/x.csv
}


@pytest.mark.parametrize("layout", sorted(LINKS))
def test_report_refuses_a_linked_results_file(
    checkout: Path, run: Callable[..., Result], layout: str
) -> None:
    link, target = LINKS[layout](checkout.parent / "home")
    if target == ENVIRON and not ENVIRON.exists():
        pytest.skip("no /proc here")
    _link(link, target)
    result = run(*REPORT, "results/x.csv")
    _refused(result, "results/x.csv: a link that leads out of its folder: it is not opened")


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("layout", sorted(LINKS))
def test_attribute_refuses_a_linked_export(
    checkout: Path, run: Callable[..., Result], layout: str, engine: str
) -> None:
    link, target = LINKS[layout](checkout.parent / "home")
    if target == ENVIRON and not ENVIRON.exists():
        pytest.skip("no /proc here")
    _link(link, target)
    result = run("attribute", "results/x.csv", "--engine", engine)
    _refused(result, "a link that leads out of its folder: it is not opened")


@pytest.mark.parametrize("engine", ["duckdb", "spark"])
@pytest.mark.parametrize("source", ["events", "events/*/*.parquet", "events/**/*.parquet"])
def test_a_parquet_folder_or_glob_with_a_link_out_is_refused(
    checkout: Path, run: Callable[..., Result], engine: str, source: str
) -> None:
    _touches(checkout / "events" / "day=1" / "part.parquet")
    _link("events/day=2/part.parquet", checkout.parent / "home" / "part.parquet")
    result = run("attribute", source, "--engine", engine)
    _refused(result, "events/day=2/part.parquet: a link that leads out of the folder")


@pytest.mark.parametrize("engine", ["duckdb", "spark"])
def test_a_link_to_a_folder_out_of_a_parquet_folder_is_refused(
    checkout: Path, run: Callable[..., Result], engine: str
) -> None:
    _touches(checkout / "events" / "day=1" / "part.parquet")
    _link("events/day=2", checkout.parent / "home")
    result = run("attribute", "events", "--engine", engine)
    _refused(result, "events/day=2: a link that leads out of the folder")


@pytest.mark.parametrize("engine", ["memory", "duckdb"])
def test_links_that_stay_in_their_folder_are_followed(
    checkout: Path, run: Callable[..., Result], engine: str
) -> None:
    _touches(checkout / "exports" / "2027" / "touches.csv")
    _link("exports/touches.csv", "2027/touches.csv")
    csv = run("attribute", "exports/touches.csv", "--engine", engine, "-f", "csv", "-m", "last")
    assert csv.exit_code == 0, _said(csv)
    assert "last,email,1.0" in csv.stdout
    if engine == "duckdb":  # a file of a Parquet folder may lead anywhere in that folder
        _touches(checkout / "events" / "day=1" / "part.parquet")
        _touches(checkout / "events" / "_shared" / "part.parquet", contact="j2")  # not listed
        _link("events/day=2/part.parquet", "../_shared/part.parquet")
        both = run("attribute", "events", "-f", "csv", "-m", "last")
        assert both.exit_code == 0, _said(both)
        assert "last,email,2.0" in both.stdout


def test_a_results_file_linked_in_its_folder_is_read(
    checkout: Path, run: Callable[..., Result]
) -> None:
    (checkout / "results").mkdir()
    (checkout / "results" / "2027.csv").write_text("channel,converted\nsms,12\n", "utf-8")
    _link("results/latest.csv", "2027.csv")
    result = run(*REPORT, "results/latest.csv")
    assert result.exit_code == 0, _said(result)


# -- what is not a regular file -----------------------------------------------------------------


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
@pytest.mark.parametrize("engine", ENGINES)
def test_a_fifo_is_refused_without_waiting_for_a_writer(
    checkout: Path, run: Callable[..., Result], engine: str
) -> None:
    os.mkfifo("touches.csv")
    _refused(run("attribute", "touches.csv", "--engine", engine), "touches.csv: a FIFO")
    _refused(run(*REPORT, "touches.csv"), "touches.csv: a FIFO")
    if engine != "memory":
        _touches(checkout / "events" / "day=1" / "part.parquet")
        os.mkfifo("events/day=1/more.parquet")
        found = run("attribute", "events", "--engine", engine)
        _refused(found, "events/day=1/more.parquet: a FIFO, not a regular file")


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero here")
def test_a_device_is_refused(checkout: Path, run: Callable[..., Result]) -> None:
    _refused(run(*REPORT, "/dev/zero"), "/dev/zero: a device, not a regular file")
    _refused(run("attribute", "/dev/zero"), "/dev/zero: a device, not a regular file")


# -- what a message quotes ---------------------------------------------------------------------

HEADER = "\x1b]0;owned\x07" + "SECRET_" * 2000


def test_report_quotes_a_header_row_bounded_and_escaped(
    checkout: Path, run: Callable[..., Result]
) -> None:
    Path("results.csv").write_text(f"{HEADER},other\nsms,1\n", encoding="utf-8")
    result = run(*REPORT, "results.csv")
    assert result.exit_code == 2
    assert "missing required columns 'channel' and 'converted' (found: '\\u001b]0;owned" in (
        result.stderr
    )
    assert "\x1b" not in result.stderr
    assert "\x07" not in result.stderr
    assert len(result.stderr) < 400


@pytest.mark.parametrize("engine", ["memory", "duckdb"])
def test_attribute_quotes_a_header_row_bounded_and_escaped(
    checkout: Path, run: Callable[..., Result], engine: str
) -> None:
    Path("touches.csv").write_text(f"{HEADER},b,c\n1,2,3\n", encoding="utf-8")
    result = run("attribute", "touches.csv", "--engine", engine)
    assert result.exit_code == 2
    assert "the columns are: '\\u001b]0;owned\\u0007SECRET_" in result.stderr
    assert "'b', 'c'" in result.stderr
    assert "\x1b" not in result.stderr
    assert len(result.stderr) < 700


def test_cells_are_quoted_escaped(checkout: Path, run: Callable[..., Result]) -> None:
    Path("results.csv").write_text("channel,converted\n\x1b[2Jsms,1\n", encoding="utf-8")
    result = run(*REPORT, "results.csv")
    assert result.exit_code == 2
    assert "row 2: unknown channel '\\u001b[2Jsms'" in result.stderr
    assert "\x1b" not in result.stderr


def test_an_arm_is_quoted_bounded_and_escaped(checkout: Path, run: Callable[..., Result]) -> None:
    arm = "\x1b[2J" + "b" * 500
    Path("results.csv").write_text(f"channel,arm,converted\nsms,{arm},1\n", encoding="utf-8")
    result = run(*REPORT, "results.csv")
    assert result.exit_code == 2
    assert "row 2: arm '\\u001b[2jbbb" in result.stderr
    assert "\x1b" not in result.stderr
    assert len(result.stderr) < 300


@pytest.mark.parametrize("engine", ["memory", "duckdb"])
@pytest.mark.parametrize("fmt", ["text", "csv"])
def test_channel_names_kept_as_written_are_shown_escaped(
    checkout: Path, run: Callable[..., Result], engine: str, fmt: str
) -> None:
    """Outside a workspace the export's channel names are the channels: each is shown as
    what it is, its control characters written as escapes."""
    Path("touches.csv").write_text(
        "journey_id,timestamp,channel\na,2027-01-02,\x1b]0;owned\x07email\na,2027-01-03,\n",
        encoding="utf-8",
    )
    result = run("attribute", "touches.csv", "--engine", engine, "-m", "last", "-f", fmt)
    assert result.exit_code == 0, _said(result)
    assert "\\u001b]0;owned\\u0007email" in result.stdout
    assert "\x1b" not in result.stdout


@pytest.mark.parametrize(("engine", "suffix"), [("memory", ".csv"), ("duckdb", ".parquet")])
def test_unknown_channels_are_listed_up_to_ten(
    checkout: Path, run: Callable[..., Result], engine: str, suffix: str
) -> None:
    rows = "".join(f"j{i},2027-01-02,{'x' * 50}{i}\nj{i},2027-01-03,\n" for i in range(40))
    csv = Path("touches.csv")
    csv.write_text("journey_id,timestamp,channel\n" + rows, encoding="utf-8")
    source = csv if suffix == ".csv" else Path("touches.parquet")
    if suffix == ".parquet":
        duckdb.sql(f"COPY (SELECT * FROM read_csv('{csv}', all_varchar = true)) TO '{source}'")
    result = run("attribute", str(source), "-w", str(ROOT), "--engine", engine)
    assert result.exit_code == 2
    assert "unknown channels: 'xxxx" in result.stderr
    assert " and 30 more. Use workspace channel ids" in result.stderr
    assert result.stderr.count("'xxxx") == 10


# -- the engines' own settings -------------------------------------------------------------------


def test_duckdb_reads_the_export_s_files_and_nothing_else(checkout: Path) -> None:
    """The connection the DuckDB engine reads with: no external access but to the files
    checked, no extension loaded or installed on its own, its configuration locked."""
    from mcplan.attribution.engines.on_duckdb import connected
    from mcplan.attribution.engines.sources import source

    export = _touches(checkout / "events" / "day=1" / "part.parquet")
    secret = checkout.parent / "home" / "secret.csv"
    with connected(duckdb, "256MB", str(checkout / "spill"), source("events")) as con:
        settings = dict(
            con.execute(
                "SELECT name, value FROM duckdb_settings() WHERE name IN ('enable_external_"
                "access', 'autoload_known_extensions', 'autoinstall_known_extensions', "
                "'lock_configuration')"
            ).fetchall()
        )
        assert set(settings.values()) == {"false", "true"}
        assert settings["lock_configuration"] == "true"
        assert settings["enable_external_access"] == "false"
        assert settings["autoload_known_extensions"] == "false"
        assert settings["autoinstall_known_extensions"] == "false"
        assert con.execute(f"SELECT COUNT(*) FROM read_parquet('{export}')").fetchone() == (2,)
        with pytest.raises(duckdb.Error, match="disabled by configuration"):
            con.execute(f"SELECT * FROM read_csv('{secret}')").fetchall()
        with pytest.raises(duckdb.Error, match="locked"):
            con.execute("SET enable_external_access = true")
