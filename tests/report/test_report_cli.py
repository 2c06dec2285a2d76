"""`mcplan report` from the command line."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from conftest import ROOT

DATA = Path(__file__).parent / "data"


def test_report_as_table_json_and_markdown(run: Callable) -> None:
    args = ["report", "soldes-hiver-2027", "--results", str(DATA / "soldes-hiver-2027.csv")]
    table = run(*args, "-w", str(ROOT))
    assert table.exit_code == 0, table.stderr
    assert "élargir" in table.stdout  # widen, in the workspace's French
    data = json.loads(run(*args, "-w", str(ROOT), "-f", "json").stdout)
    assert {c["channel"]: c["recommendation"] for c in data["channels"]} == {
        "sms": "keep", "email": "widen", "instagram": "drop", "facebook": "try",
    }  # fmt: skip
    markdown = run(*args, "-w", str(ROOT), "-f", "markdown").stdout
    assert markdown.startswith("#")


def test_bad_results_exit_2_with_the_row(run: Callable, tmp_path: Path) -> None:
    results = tmp_path / "results.csv"
    results.write_text("channel,converted\nsms,12\nsmss,3\n", encoding="utf-8")
    result = run("report", "soldes-hiver-2027", "--results", str(results), "-w", str(ROOT))
    assert result.exit_code == 2
    assert "row 3" in result.stderr
    assert "did you mean 'sms'" in result.stderr


def test_columns_and_channel_names_given_on_the_command_line(run: Callable, tmp_path: Path) -> None:
    results = tmp_path / "results.csv"
    results.write_text("Medium,Ventes\nNewsletter,62\nSMS,300\n", encoding="utf-8")
    args = ["report", "soldes-hiver-2027", "--results", str(results), "-w", str(ROOT)]
    given = ["--column", "channel=Medium", "--column", "converted=Ventes"]
    result = run(*args, *given, "--alias", "Newsletter=email", "-f", "json")
    assert result.exit_code == 0, result.stderr
    channels = json.loads(result.stdout)["channels"]
    converted = {c["channel"]: c["actual"]["converted"] for c in channels if c["actual"]}
    assert converted == {"email": 62, "sms": 300}
    result = run(*args, *given, "--alias", "Newsletter")
    assert result.exit_code == 2
    assert "--alias expects NAME=CHANNEL, got 'Newsletter'" in result.stderr


def test_unknown_campaign(run: Callable, tmp_path: Path) -> None:
    results = tmp_path / "results.csv"
    results.write_text("channel,converted\nsms,12\n", encoding="utf-8")
    result = run("report", "soldes", "--results", str(results), "-w", str(ROOT))
    assert result.exit_code == 2
    assert (
        "unknown campaign or journey 'soldes' (did you mean 'soldes-hiver-2027'?)" in result.stderr
    )
