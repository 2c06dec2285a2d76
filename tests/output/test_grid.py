"""Tables never cut a number or an id, whatever the width of the terminal."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from babel.numbers import format_decimal
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console

from conftest import ROOT
from mcplan.output.grid import BAR, ID, NUMBER, TEXT, Bar, Grid

REVIEW = ROOT / "tests" / "report" / "data" / "soldes-hiver-2027.csv"
TOUCHES = ROOT / "tests" / "attribution" / "data" / "touches.csv"


def printed(grid: Grid, width: int) -> str:
    buffer = io.StringIO()
    console = Console(file=buffer, width=width, color_system=None, force_terminal=False)
    console.print(grid, crop=False)
    return buffer.getvalue()


# Prefixed, so that no id is a word of the headings ("channel id" wraps to two lines).
ids = st.text(alphabet="abcdefghijklmnopqrstuvwxyz_-", max_size=28).map(lambda s: "x-" + s)
numbers = st.floats(min_value=-1e9, max_value=1e9, allow_nan=False).map(lambda x: f"{x:,.2f}")
words = st.lists(st.text(alphabet="abcdefgh", min_size=1, max_size=12), min_size=1, max_size=8)


@settings(max_examples=60, deadline=None)
@given(
    rows=st.lists(
        st.tuples(ids, numbers, words, numbers), min_size=1, max_size=6, unique_by=lambda r: r[0]
    ),
    width=st.integers(min_value=10, max_value=200),
)
def test_ids_and_numbers_are_whole_at_any_width(
    rows: list[tuple[str, str, list[str], str]], width: int
) -> None:
    grid = Grid(
        "title",
        [
            ("channel id", ID),
            ("cost EUR", NUMBER),
            ("why", TEXT),
            ("", BAR),
            ("EUR per one", NUMBER),
        ],
    )
    for channel, cost, why, per in rows:
        grid.add_row(channel, cost, " ".join(why), Bar(0.5), per)
    lines = printed(grid, width).splitlines()
    assert "…" not in "\n".join(lines)
    for channel, cost, _, per in rows:
        # Each row's first line holds its id and its numbers, whole (text may wrap below).
        line = next(line for line in lines if line.startswith(f" {channel} "))
        assert f" {cost} " in line
        assert line.rstrip().endswith(per)


def test_text_wraps_between_words_when_there_is_room() -> None:
    grid = Grid(None, [("id", ID), ("why", TEXT)])
    grid.add_row("sms", "converted nothing for 40.00 EUR, against 100 forecast")
    lines = printed(grid, 36).splitlines()
    assert max(len(line.rstrip()) for line in lines) <= 36
    cells = [line.split() for line in lines if line.strip()]
    assert cells[:2] == [["id", "why"], ["─" * 34]]
    assert cells[2][0] == "sms"
    assert " ".join(" ".join(row) for row in cells[2:])[4:] == (
        "converted nothing for 40.00 EUR, against 100 forecast"
    )
    assert len(cells) > 3  # wrapped


def test_a_bar_is_drawn_to_its_column() -> None:
    wide, narrow = Grid(None, [("share", BAR)]), Grid(None, [("share", BAR)])
    for grid in (wide, narrow):
        grid.add_row(Bar(1.0))
        grid.add_row(Bar(0.5))
    assert [line.strip() for line in printed(wide, 100).splitlines()[3:5]] == ["█" * 24, "█" * 12]
    full, half = (line.strip() for line in printed(narrow, 9).splitlines()[3:5])
    assert len(full) < 9
    assert len(full) == 2 * len(half)


COMMANDS = [
    ["plan"],
    ["plan", "soldes-hiver-2027", "--explain"],
    ["report", "soldes-hiver-2027", "--results", str(REVIEW)],
    ["attribute", str(TOUCHES), "--campaign", "soldes-hiver-2027"],
    ["channels"],
    ["personas"],
    ["rules"],
]


@pytest.mark.parametrize("columns", ["80", "120"])
@pytest.mark.parametrize(
    "args",
    COMMANDS,
    ids=["plan", "explain", "report", "attribute", "channels", "personas", "rules"],
)
def test_commands_never_cut_a_number_or_an_id(
    run: Callable, monkeypatch: pytest.MonkeyPatch, args: list[str], columns: str
) -> None:
    monkeypatch.setenv("COLUMNS", columns)
    result = run(*args) if args == ["rules"] else run(*args, "-w", str(ROOT))
    assert result.exit_code == 0, result.stderr
    assert "…" not in result.stdout
    if "--explain" not in args:  # the factors of every candidate need more than 80 columns
        assert max(len(line) for line in result.stdout.splitlines()) <= int(columns)


def test_the_plan_at_80_columns_shows_every_figure_whole(
    run: Callable, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    text = run("plan", "soldes-hiver-2027", "-w", str(ROOT)).stdout
    data = json.loads(run("plan", "soldes-hiver-2027", "-w", str(ROOT), "-f", "json").stdout)
    # Columns are apart by spaces; a French figure groups its digits with a no-break one.
    rows = [[cell for cell in line.split(" ") if cell] for line in text.splitlines()]
    for channel in data[0]["channels"]:
        cost = format_decimal(channel["cost"], "#,##0.00", locale="fr_FR")
        assert any(row[:1] == [channel["channel"]] and cost in row for row in rows), cost
    assert ["claire-acheteuse-pme", "0,356", "2\u202f666", "2,7", "5,44", "2,04"] in rows


def test_long_ids_stay_whole_in_a_table_wider_than_the_terminal(
    run: Callable, monkeypatch: pytest.MonkeyPatch, make_workspace: Callable
) -> None:
    persona = "responsable-des-achats-grands-comptes-industrie"
    root: Path = make_workspace(
        {
            f"personas/{persona}.yaml": """
                market: b2b
                size: 1250000
                stage: acquisition
                channels:
                  email: {reach: 0.9, affinity: 0.5, consent: opt_out}
                  linkedin: {reach: 0.6, affinity: 0.7}
            """,
        }
    )
    monkeypatch.setenv("COLUMNS", "40")
    result = run("personas", "-w", str(root))
    assert result.exit_code == 0, result.stderr
    rows = [[cell for cell in line.split(" ") if cell] for line in result.stdout.splitlines()]
    assert [persona, "b2b,", "1\u202f250\u202f000"] in rows  # French, as the default locale
    assert "…" not in result.stdout
