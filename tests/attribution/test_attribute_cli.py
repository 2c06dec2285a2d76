"""`mcplan attribute` from the command line, every test on both engines that read a file
here: DuckDB (the default) and the row reader, which give the same output, byte for byte,
and the same messages."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from conftest import ROOT, Golden, cells

DATA = Path(__file__).parent / "data"
GOLDEN = Path(__file__).parent / "golden"


@pytest.fixture(params=["duckdb", "memory"])
def run(run: Callable[..., Any], request: pytest.FixtureRequest) -> Callable[..., Any]:
    def invoke(*args: str, **kwargs: Any) -> Any:
        if args and args[0] == "attribute":
            args = (*args, "--engine", request.param)
        return run(*args, **kwargs)

    return invoke


@pytest.mark.parametrize(("fmt", "name"), [("text", "all.txt"), ("json", "all.json")])
def test_every_model_side_by_side(run: Callable, fmt: str, name: str, golden: Golden) -> None:
    result = run("attribute", str(DATA / "touches.csv"), "-w", str(ROOT), "-f", fmt)
    assert result.exit_code == 0, result.stderr
    golden(GOLDEN / name, result.stdout, normalize=cells if fmt == "text" else None)


def test_one_model_as_csv(run: Callable) -> None:
    result = run("attribute", str(DATA / "touches.csv"), "-w", str(ROOT), "-m", "last", "-f", "csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [(r["model"], r["channel"], r["conversions"]) for r in rows] == [
        ("last", "email", "1.0"),  # channels by id, no touch last
        ("last", "instagram", "0.0"),
        ("last", "sms", "2.0"),
        ("last", "(no touch)", "1.0"),
    ]


def test_csv_output_never_carries_a_formula(run: Callable, tmp_path: Path) -> None:
    # Outside a workspace channel names are kept as written: a hostile export could make a
    # spreadsheet run one (OWASP CSV injection).
    export = tmp_path / "paths.csv"
    export.write_text(
        'path,conversions\n"=HYPERLINK(""http://x"")",2\n@SUM(A1),1\n-sms,1\n', "utf-8"
    )
    result = run("attribute", str(export), "-m", "last", "-f", "csv", cwd=tmp_path)
    assert result.exit_code == 0, result.stderr
    channels = [r["channel"] for r in csv.DictReader(io.StringIO(result.stdout))]
    assert sorted(channels) == ["'-sms", '\'=HYPERLINK("http://x")', "'@SUM(A1)"]


def test_costs_from_the_plan_give_cost_per_conversion_and_roi(run: Callable) -> None:
    result = run(
        "attribute", str(DATA / "touches.csv"), "-w", str(ROOT), "-m", "linear",
        "--campaign", "soldes-hiver-2027", "-f", "json",
    )  # fmt: skip
    [model] = json.loads(result.stdout)["models"]
    sms = next(r for r in model["channels"] if r["channel"] == "sms")
    assert sms["cost"] == 1562.0  # the plan's forecast cost of the SMS
    assert sms["cost_per_conversion"] == pytest.approx(1562.0 / 1.5, abs=0.01)
    assert sms["roi"] == pytest.approx((sms["value"] - 1562.0) / 1562.0, abs=1e-4)


def test_a_cost_column_in_the_export(run: Callable, tmp_path: Path) -> None:
    export = tmp_path / "touches.csv"
    export.write_text(
        "journey,time,channel,cost,event,value\n"
        "a,2027-01-01T10:00,email,0.01,touch,\n"
        "a,2027-01-02T10:00,sms,0.05,touch,\n"
        "a,2027-01-03T10:00,,,conversion,30\n",
        encoding="utf-8",
    )
    result = run("attribute", str(export), "-w", str(ROOT), "-m", "linear", "-f", "json")
    [model] = json.loads(result.stdout)["models"]
    assert {r["channel"]: r["cost"] for r in model["channels"]} == {"email": 0.01, "sms": 0.05}


def test_without_a_workspace_names_are_kept(run: Callable, tmp_path: Path) -> None:
    result = run("attribute", str(DATA / "touches.csv"), "-m", "first", "-f", "csv", cwd=tmp_path)
    assert result.exit_code == 0
    assert "SMS" in result.stdout  # not mapped to 'sms' without a workspace


def test_plot(run: Callable, tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    chart = tmp_path / "chart.svg"
    result = run("attribute", str(DATA / "touches.csv"), "-w", str(ROOT), "--plot", str(chart))
    assert result.exit_code == 0
    assert chart.read_text("utf-8").startswith("<?xml")
    again = run("attribute", str(DATA / "touches.csv"), "-w", str(ROOT), "--plot", str(chart))
    assert again.exit_code == 2


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--model", "magic"], "unknown model magic"),
        (["--positions", "40,60"], "--positions expects three percentages"),
        (["--column", "journey"], "--column expects ROLE=NAME"),
        (["--plot", "chart.pdf"], "--plot writes .png or .svg files"),
    ],
)
def test_usage_errors(run: Callable, args: list[str], message: str, tmp_path: Path) -> None:
    result = run("attribute", str(DATA / "touches.csv"), "-w", str(ROOT), *args, cwd=tmp_path)
    assert result.exit_code == 2
    assert message in result.stderr


def test_bad_rows_exit_2_with_the_row(run: Callable, tmp_path: Path) -> None:
    export = tmp_path / "touches.csv"
    export.write_text("journey,time,channel\na,2027-01-01T10:00,newsletter\n", encoding="utf-8")
    result = run("attribute", str(export), "-w", str(ROOT))
    assert result.exit_code == 2
    assert "unknown channels: 'newsletter' (row 2)" in result.stderr


def test_an_alias_maps_a_name_to_a_workspace_channel(run: Callable, tmp_path: Path) -> None:
    export = tmp_path / "touches.csv"
    export.write_text(
        "journey,time,channel,event\n"
        "a,2027-01-01T10:00,Newsletter,touch\n"
        "a,2027-01-02T10:00,,conversion\n",
        encoding="utf-8",
    )
    args = ["attribute", str(export), "-w", str(ROOT), "-m", "last", "-f", "csv"]
    mapped = run(*args, "--alias", "newsletter=E-mail")  # to a channel's id or name
    assert mapped.exit_code == 0, mapped.stderr
    [row] = csv.DictReader(io.StringIO(mapped.stdout))
    assert row["channel"] == "email"
    wrong = run(*args, "--alias", "Newsletter=emial")
    assert wrong.exit_code == 2
    assert "--alias Newsletter=emial: unknown channel 'emial' (did you mean 'email'?)" in (
        wrong.stderr
    )
