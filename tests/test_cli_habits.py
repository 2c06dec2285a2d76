"""The command line's habits (issue 27): what a pipe gets, flags, `-q` anywhere, help in a
closed pipe, shell completion, folders made for an output, and channels in the order of their
ids, on a UK B2B software firm's workspace (en-GB)."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from typer.testing import CliRunner, Result

from browser import Watched
from conftest import ROOT
from mcplan.cli import app
from mcplan.output.calendar import short_names

if TYPE_CHECKING:
    from playwright.sync_api import Browser


# Ledgerly sells accounting software to finance directors and bookkeepers in England; its
# year-end webinar is announced on its website, by e-mail and by web push, the last two on
# the same day (P104, a warning, line 17 of the campaign).
LONG_NAME = (
    "Year-end close webinar for the finance directors and bookkeepers of small and "
    "medium-sized businesses across England, with a live question time on Making Tax Digital"
)
UK = {
    "mcplan.toml": """
        brand = "Ledgerly"
        locale = "en-GB"
        timezone = "Europe/London"

        [email]
        sender = "Ledgerly <news@ledgerly.co.uk>"
        unsubscribe_url = "https://ledgerly.co.uk/unsubscribe"
    """,
    "personas/finance-directors.yaml": """
        name: Finance directors
        market: b2b
        size: 1200
        stage: acquisition
        country: GB-ENG
        channels:
          website: {reach: 0.5, affinity: 0.5}
          email: {reach: 0.9, affinity: 0.6, consent: opt_in}
          web_push: {reach: 0.3, affinity: 0.4, consent: opt_in}
    """,
    "personas/bookkeepers.yaml": """
        name: Bookkeepers
        market: b2b
        size: 4000
        stage: loyalty
        country: GB-ENG
        channels:
          website: {reach: 0.6, affinity: 0.5}
          email: {reach: 0.9, affinity: 0.7, consent: opt_in}
          web_push: {reach: 0.4, affinity: 0.5, consent: opt_in}
    """,
    "campaigns/year-end.yaml": f"""
        name: {LONG_NAME}
        objectives:
          - {{kind: sales}}
        average_order_value: 450
        budget: 5000
        personas: [finance-directors, bookkeepers]
        message:
          headline: Close the year in a week
          body: "A live webinar on closing the books with Ledgerly."
          starts: 2027-03-01
          ends: 2027-03-19
          url: https://ledgerly.co.uk/webinar
          cta: Save your seat
        touches:
          - {{channel: website, at: 2027-03-02T08:00}}
          - {{channel: email, at: 2027-03-02T09:00}}
          - {{channel: web_push, at: 2027-03-02T12:00}}
    """,
}
RESULTS = "channel,sent,converted,revenue,cost\nemail,4586,6,2700,309\nwebsite,2700,9,4050,300\n"


@pytest.fixture
def uk(make_workspace: Callable[[dict[str, str | bytes]], Path]) -> Path:
    return make_workspace(UK)


def _texts(root: Path) -> dict[str, list[str]]:
    """Every command with a text output, as run on the UK workspace."""
    results = root / "results.csv"
    results.write_text(RESULTS, encoding="utf-8")
    touches = ROOT / "tests" / "attribution" / "data" / "touches.csv"
    where = ["-w", str(root)]
    commands = {
        "validate": ["validate"],
        "channels": ["channels"],
        "personas": ["personas"],
        "plan": ["plan"],
        "plan --explain": ["plan", "--explain"],
        "render": ["render", "year-end"],
        "lint": ["lint"],
        "rules": ["rules"],
        "calendar": ["calendar"],
        "report": ["report", "year-end", "--results", str(results)],
        "attribute": ["attribute", str(touches)],
    }
    return {name: args if name == "rules" else [*args, *where] for name, args in commands.items()}


def test_piped_output_is_never_wrapped_nor_padded(uk: Path, run: Callable[..., Result]) -> None:
    # CliRunner's output is not a terminal and COLUMNS is not set: what CI logs and files get.
    for name, args in _texts(uk).items():
        result = run(*args)
        assert result.exit_code in (0, 1), (name, result.stderr)
        assert result.stdout or name == "validate", name
        padded = [line for line in result.stdout.splitlines() if line != line.rstrip()]
        assert padded == [], name
    planned = run("plan", "-w", str(uk)).stdout.splitlines()
    heading = next(line for line in planned if line.startswith(LONG_NAME))
    assert heading.startswith(f"{LONG_NAME}: 3 channels, ")  # whole, figures included
    assert heading.endswith(" of €5,000.00")


def test_a_terminal_of_80_columns_still_wraps_at_80(
    uk: Path, run: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    # What a terminal shows is unchanged: text wraps at its width (the explanation's table,
    # whose figures cannot fit, is the documented exception: wider, never cut).
    monkeypatch.setenv("COLUMNS", "80")
    for name, args in _texts(uk).items():
        if name == "plan --explain":
            continue
        result = run(*args)
        widest = max((len(line) for line in result.stdout.splitlines()), default=0)
        assert widest <= 80, name


def test_quiet_after_the_command_name_too(uk: Path, run: Callable[..., Result]) -> None:
    loud = run("lint", "-w", str(uk))
    assert "mcplan: 2 warnings in 1 file" in loud.stderr
    for args in (["-q", "lint"], ["lint", "-q"], ["lint", "--quiet"]):
        quiet = run(*args, "-w", str(uk))
        assert (quiet.exit_code, quiet.stderr) == (0, ""), args
        assert quiet.stdout == loud.stdout


def test_help_shows_flags_as_flags(run: Callable[..., Result]) -> None:
    for args in (["plan", "--help"], ["lint", "--help"], ["--help"]):
        shown = run(*args)
        assert shown.exit_code == 0
        assert "<bool>" not in shown.stdout, args
        assert "--quiet" in shown.stdout, args
    explain = next(
        line for line in run("plan", "--help").stdout.splitlines() if "--explain" in line
    )
    assert explain.split("--explain")[1].split()[0] == "Show"  # no type between flag and help


def test_shell_completion_is_on(uk: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # `--show-completion` alone shows the script of the shell it finds running the tests (none,
    # under some CI runners); typer's own switch makes it take the shell's name instead.
    monkeypatch.setenv("_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION", "1")
    runner = CliRunner()
    script = runner.invoke(app, ["--show-completion", "bash"], prog_name="mcplan")
    assert script.exit_code == 0, script.output
    assert "_MCPLAN_COMPLETE=complete_bash" in script.stdout
    asked = {
        "_MCPLAN_COMPLETE": "complete_bash",
        "COMP_WORDS": "mcplan lint --fa",
        "COMP_CWORD": "2",
    }
    answer = runner.invoke(app, [], prog_name="mcplan", env=asked)
    assert answer.stdout.split() == ["--fail-level"]


@pytest.fixture
def suppressed(uk: Path) -> Path:
    """The UK workspace with a suppression that silences nothing (X101, line 10)."""
    persona = uk / "personas" / "bookkeepers.yaml"
    persona.write_text(persona.read_text("utf-8") + "  # mcplan: disable=M105\n", "utf-8")
    return uk


def _found(result: Result) -> list[str]:
    """`file:line CODE` of each finding of a concise output."""
    found = []
    for line in result.stdout.splitlines():
        place, _, rest = line.partition(": ")
        found.append(f"{place.rsplit(':', 1)[0]} {rest.split()[1]}")
    return found


P104 = ["campaigns/year-end.yaml:17 P104"] * 2
X101 = ["personas/bookkeepers.yaml:10 X101"]


def test_lint_select_and_ignore_as_ruff_has_them(
    suppressed: Path, run: Callable[..., Result]
) -> None:
    def lint(*args: str) -> Result:
        return run("lint", "-f", "concise", "-w", str(suppressed), *args)

    assert _found(lint()) == P104 + X101
    assert _found(lint("--select", "P104")) == P104
    assert _found(lint("--select", "p1,X")) == P104 + X101  # prefixes, any case, commas
    assert _found(lint("--select", "P", "--select", "X101")) == P104 + X101
    assert _found(lint("--ignore", "P1")) == X101
    cleared = lint("--ignore", "P104,X101")
    assert (cleared.exit_code, cleared.stdout) == (0, "")
    # --select starts again, as in ruff: the workspace's own ignore no longer counts.
    settings = suppressed / "mcplan.toml"
    settings.write_text(settings.read_text("utf-8") + '\n[lint]\nignore = ["P104"]\n', "utf-8")
    assert _found(lint()) == X101
    assert _found(lint("--select", "ALL")) == P104 + X101
    unknown = lint("--select", "P10O")
    assert unknown.exit_code == 2
    assert "--select: unknown rule 'P10O' (did you mean 'P101'?)" in unknown.stderr


def test_lint_statistics_count_each_rule_most_first(
    suppressed: Path, run: Callable[..., Result]
) -> None:
    counted = run("lint", "--statistics", "-w", str(suppressed))
    assert counted.exit_code == 0  # warnings only: the exit is the findings' own
    assert counted.stdout.splitlines() == [
        "2\tP104\twarning\tsame-day",
        "1\tX101\twarning\tunused-suppression",
    ]
    as_json = run("lint", "--statistics", "-f", "json", "-w", str(suppressed))
    assert json.loads(as_json.stdout) == [
        {"code": "P104", "name": "same-day", "count": 2, "level": "warning"},
        {"code": "X101", "name": "unused-suppression", "count": 1, "level": "warning"},
    ]
    failing = run("lint", "--statistics", "--fail-level", "warning", "-w", str(suppressed))
    assert failing.exit_code == 1


def test_junit_passes_the_findings_below_the_fail_level(
    uk: Path, run: Callable[..., Result]
) -> None:
    passed = ET.fromstring(run("lint", "-f", "junit", "-w", str(uk)).stdout)
    assert passed.get("failures") == "0"
    cases = passed.findall(".//testcase[@name='P104 line 17']")
    assert len(cases) == 2
    for case in cases:
        assert case.find("failure") is None
        out = case.findtext("system-out") or ""
        assert out.startswith("campaigns/year-end.yaml:17:5: warning P104 persona '")
    failed = run("lint", "-f", "junit", "--fail-level", "warning", "-w", str(uk))
    suites = ET.fromstring(failed.stdout)
    assert suites.get("failures") == "2"
    assert [f.get("type") for f in suites.iter("failure")] == ["warning", "warning"]


def test_tables_list_channels_by_id(uk: Path, run: Callable[..., Result]) -> None:
    # The campaign touches website, email, then web_push; every table lists them by id.
    by_id = ["email", "web_push", "website"]
    where = ["-w", str(uk)]
    results = uk / "results.csv"
    results.write_text(RESULTS, encoding="utf-8")
    for args in (["plan"], ["personas"], ["report", "year-end", "--results", str(results)]):
        shown = run(*args, *where).stdout.splitlines()
        rows = [line.split()[0] for line in shown if line.split()[:1] in ([c] for c in by_id)]
        assert list(dict.fromkeys(rows)) == by_id, args
    planned = json.loads(run("plan", "-f", "json", *where).stdout)
    assert [c["channel"] for c in planned[0]["channels"]] == by_id


def test_outputs_make_their_folder(uk: Path, run: Callable[..., Result]) -> None:
    where = ["-w", str(uk)]
    preview = uk / "reports" / "week 9" / "preview.html"
    made = run("preview", "year-end", "--out", str(preview), *where)
    assert made.exit_code == 0, made.stderr
    assert preview.read_text("utf-8").startswith("<!DOCTYPE html>")
    calendar = uk / "reports" / "calendar" / "march.html"
    assert run("calendar", "--out", str(calendar), *where).exit_code == 0
    assert calendar.is_file()
    sarif = uk / "ci" / "lint.sarif"
    assert run("lint", "--output", f"sarif={sarif}", *where).exit_code == 0
    assert json.loads(sarif.read_text("utf-8"))["version"] == "2.1.0"


def test_the_text_calendar_names_each_channel_by_a_unique_short_name(
    uk: Path, run: Callable[..., Result]
) -> None:
    shown = run("calendar", "-w", str(uk)).stdout.splitlines()
    assert shown[-3] == "E email · WP web_push · W website"
    week = next(line for line in shown if line.startswith("1 Mar"))
    assert week.split() == ["1", "Mar", "·", "W/E/WP", "·", "·", "·", "·", "·"]
    assert max(len(line) for line in shown) <= 80


@pytest.mark.parametrize(
    ("channels", "names"),
    [
        (["sms", "store"], ["SM", "ST"]),  # neither takes the S both want
        (["email", "mail", "mobile_push"], ["E", "M", "MP"]),
        (["facebook", "instagram", "x"], ["F", "I", "X"]),
        (["a", "a_b", "ab"], ["A", "AB", "ab"]),  # the id itself when nothing short is left
    ],
)
def test_short_names_are_unique_and_short(channels: list[str], names: list[str]) -> None:
    assert list(short_names(channels).values()) == names


def test_the_calendar_page_keeps_each_touch_s_time_and_channel_on_a_phone(
    uk: Path, run: Callable[..., Result], browser: Browser, tmp_path: Path
) -> None:
    page_file = tmp_path / "calendar.html"
    assert run("calendar", "--out", str(page_file), "-w", str(uk)).exit_code == 0
    watched = Watched(browser)
    page = watched.open(page_file.read_text("utf-8"), page_file)
    try:
        for width in (390, 1280):
            page.set_viewport_size({"width": width, "height": 900})
            assert page.evaluate("document.documentElement.scrollWidth") <= width
            chips = page.evaluate(
                """[...document.querySelectorAll('.chip')].map(chip => {
                    const box = chip.getBoundingClientRect();
                    const inside = el => el.getBoundingClientRect().right <= box.right;
                    return [chip.querySelector('b').textContent,
                            chip.querySelector('.code').textContent,
                            inside(chip.querySelector('b')) && inside(chip.querySelector('.code'))];
                })"""
            )
            assert len(chips) == 6
            assert sorted({(time, code) for time, code, _ in chips}) == [
                ("08:00", "W"), ("09:00", "E"), ("12:00", "WP"),
            ]  # fmt: skip
            assert all(seen for _, _, seen in chips), width
            page.screenshot(path=str(tmp_path / f"calendar-{width}.png"), full_page=True)
        assert watched.problems == []
    finally:
        page.close()
