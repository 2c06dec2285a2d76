"""`mcplan calendar`: every campaign's touches, persona by persona, in a terminal, on a page
(checked as HTML and in Chromium), and as an iCalendar file."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from icalendar import Calendar
from typer.testing import Result

from browser import Watched, browser
from conftest import ROOT
from mcplan import load_workspace
from mcplan.errors import UsageError
from mcplan.output.calendar import Shown, html
from mcplan.schedule.calendar import build
from mcplan.workspace import Workspace

if TYPE_CHECKING:
    from playwright.sync_api import Browser

__all__ = ["browser"]  # the fixture, imported
ARTIFACTS = ROOT / "tests" / "artifacts"
HOSTILE = "<script>alert(1)</script>"

# A German shop: Lena gets four e-mails in a week (her cap is 3), one of them on a public
# holiday (Ascension) and one on a Sunday, which the SMS window of Germany would not allow.
FILES = {
    "mcplan.toml": 'locale = "de-DE"\ntimezone = "Europe/Berlin"\nbrand = "Grünwerk"\n'
    "[pressure]\nmax_per_week = 3\n",
    "personas/lena.yaml": """
        name: Lena
        market: b2c
        size: 5000
        stage: loyalty
        channels:
          email: {reach: 0.9, affinity: 0.7, consent: opt_in}
          sms: {reach: 0.7, affinity: 0.6, consent: opt_in}
    """,
    "campaigns/mai.yaml": f"""
        name: "{HOSTILE}"
        personas: [lena]
        message: {{headline: Maiaktion, starts: 2027-05-03, ends: 2027-05-16}}
        touches:
          - {{channel: email, at: 2027-05-04T09:00}}
          - {{channel: email, at: 2027-05-05T09:00}}
          - {{channel: email, at: 2027-05-06T09:00}}
          - {{channel: sms, at: 2027-05-09T11:00}}
    """,
}


@pytest.fixture
def german(make_workspace: Callable[[dict[str, str | bytes]], Path]) -> Workspace:
    return load_workspace(make_workspace(FILES), discover=False)


def test_each_day_has_its_touches_and_its_pressure_against_the_cap(german: Workspace) -> None:
    wall = build(german)
    assert (wall.first, wall.last) == (date(2027, 5, 3), date(2027, 5, 16))
    [lena] = wall.rows
    days = {d.day: d for d in lena.days}
    assert [c.channel for c in days[date(2027, 5, 4)].chips] == ["email"]
    assert days[date(2027, 5, 6)].holiday == "Christi Himmelfahrt"
    assert days[date(2027, 5, 8)].week == 3
    assert not days[date(2027, 5, 8)].over_week
    sunday = days[date(2027, 5, 9)]
    assert (sunday.week, sunday.over_week) == (4, True)
    assert sunday.chips[0].outside  # no SMS on a Sunday in Germany
    assert not days[date(2027, 5, 12)].over_week  # the 4th drops out of the window
    assert lena.over


def test_from_and_to_choose_the_days_and_a_year_too_many_is_refused(german: Workspace) -> None:
    wall = build(german, date(2027, 5, 8), date(2027, 5, 9))
    assert [d.week for d in wall.rows[0].days] == [3, 4]  # the days before still count
    with pytest.raises(UsageError, match="show at most 400"):
        build(german, date(2027, 1, 1), date(2028, 6, 1))
    with pytest.raises(UsageError, match="is before"):
        build(german, date(2027, 5, 9), date(2027, 5, 8))


def test_the_terminal_calendar_fits_80_columns(
    german: Workspace, run: Callable[..., Result]
) -> None:
    result = run("calendar", "-w", str(german.root))
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines) <= 80
    assert lines[0] == "lena · Lena (höchstens 3 in 7 Tagen)"
    week = next(line for line in lines if line.startswith("3. Mai"))
    assert week.split() == ["3.", "Mai", "·", "E", "E", "E", "·", "·", "S!"]
    assert lines[-3:] == [
        "E email · S sms",
        "! über der Obergrenze",
        "× kein ausgehender Kanal darf sie erreichen, Feiertag",
    ]


def test_the_page_is_self_contained_and_escapes_every_text(german: Workspace) -> None:
    page = html(Shown(build(german), german))
    assert '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'' in page
    assert "<script" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert page.count('class="over"') == 1  # the Sunday
    assert 'class="shaded"' in page  # Ascension
    assert '<html lang="de">' in page
    assert "Kampagnenkalender" in page


def test_out_and_ics_write_files_and_keep_what_exists(
    german: Workspace, run: Callable[..., Result], tmp_path: Path
) -> None:
    out, ics = tmp_path / "kalender.html", tmp_path / "kalender.ics"
    result = run("calendar", "-w", str(german.root), "--out", str(out), "--ics", str(ics))
    assert result.exit_code == 0, result.stderr
    assert out.read_text("utf-8").startswith("<!DOCTYPE html>")
    events = Calendar.from_ical(ics.read_bytes()).walk("VEVENT")
    assert len(events) == 4
    again = run("calendar", "-w", str(german.root), "--out", str(out))
    assert again.exit_code == 2
    assert "already exists" in again.stderr


def test_the_example_s_wall_calendar_in_chromium(browser: Browser, tmp_path: Path) -> None:
    workspace = load_workspace(ROOT, discover=False)
    watched = Watched(browser)
    page = watched.open(html(Shown(build(workspace), workspace)), tmp_path / "calendar.html")
    try:
        assert page.get_by_role("heading", name="Calendrier des campagnes").is_visible()
        assert page.locator("section.persona").count() == 3  # Léa is in no campaign
        assert page.locator(".chip").count() == 8  # a touch per persona it reaches
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "calendar.png"), full_page=True)
        assert watched.problems == []
    finally:
        page.close()


def test_a_channel_s_colour_is_its_own_file_s(
    make_workspace: Callable[[dict[str, str | bytes]], Path], run: Callable[..., Result]
) -> None:
    # The e-mail is the brand's green (its own file says so), the SMS keeps the bundled violet.
    files = {**FILES, "channel_rules/email.yaml": 'extends: email\ncolour: "#0A7F3F"\n'}
    workspace = load_workspace(make_workspace(files), discover=False)
    page = html(Shown(build(workspace), workspace))
    assert "#0a7f3f" in page
    assert "#2d6cdf" not in page  # the bundled e-mail blue
    assert "#7c3aed" in page  # the bundled SMS violet
    hostile = {**FILES, "channel_rules/email.yaml": 'extends: email\ncolour: "red;}"\n'}
    result = run("validate", "-w", str(make_workspace(hostile)), "-f", "concise")
    assert result.exit_code == 1
    assert "channel_rules/email.yaml:2:9: error S203 colour: 'red;}' is not a colour" in (
        result.stdout
    )
