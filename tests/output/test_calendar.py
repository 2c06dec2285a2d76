"""`mcplan calendar`: every campaign's touches, persona by persona, in a terminal, on a page
(checked as HTML and in Chromium), and as an iCalendar file."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from icalendar import Calendar
from typer.testing import Result

from browser import Watched
from conftest import ROOT
from mcplan import load_workspace
from mcplan.errors import UsageError
from mcplan.output.calendar import Shown, html
from mcplan.schedule.calendar import build
from mcplan.workspace import Workspace

if TYPE_CHECKING:
    from playwright.sync_api import Browser

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


# -- the journeys' expected sends (issue 29) -------------------------------------------------

SPAIN = ROOT / "tests" / "workspaces" / "journeys_es"


def _spanish_wall(first: date, last: date) -> tuple[Workspace, object]:
    from mcplan.plan.journey import forecast_journeys
    from mcplan.plan.journey.held import sends_by_step

    workspace = load_workspace(SPAIN, discover=False)
    return workspace, build(workspace, first, last, sends_by_step(forecast_journeys(workspace)))


def test_each_day_has_the_journeys_expected_sends_where_the_platform_places_them() -> None:
    """210 entrants a week, an e-mail at once (every day 07:00 to 22:00: each day gets a
    day's entrants, 30 × reach 0.9 = 27), an SMS two days later (Monday to Saturday, 10:00 to
    20:00, never on a public holiday): Thursday 12 October, Spain's national day, sends none,
    and Friday sends two days' worth, as Monday sends Sunday's."""
    _, wall = _spanish_wall(date(2028, 10, 9), date(2028, 10, 22))
    (row,) = wall.rows  # type: ignore[attr-defined]
    days = {d.day: dict(d.journeys) for d in row.days}
    sms_a_day = 30 * 0.6  # no exit: every entrant goes on, the SMS reaches 0.6
    assert days[date(2028, 10, 11)]["email"] == pytest.approx(27)
    assert days[date(2028, 10, 11)]["sms"] == pytest.approx(sms_a_day)
    assert "sms" not in days[date(2028, 10, 12)]  # the holiday
    assert days[date(2028, 10, 13)]["sms"] == pytest.approx(2 * sms_a_day)
    assert "sms" not in days[date(2028, 10, 15)]  # a Sunday
    assert days[date(2028, 10, 16)]["sms"] == pytest.approx(2 * sms_a_day)
    # Over whole weeks, the days add up to the forecast's sends a week.
    week = [days[date(2028, 10, 16) + timedelta(days=i)] for i in range(7)]
    assert sum(d.get("sms", 0) for d in week) == pytest.approx(210 * 0.6)
    assert sum(d.get("email", 0) for d in week) == pytest.approx(210 * 0.9)


def test_the_terminal_calendar_shows_the_journeys_beside_the_touches(
    run: Callable[..., Result], golden: Callable[..., None]
) -> None:
    result = run("calendar", "-w", str(SPAIN), "--from", "2028-10-09", "--to", "2028-10-22")
    assert result.exit_code == 0, result.stderr
    assert max(len(line) for line in result.stdout.splitlines()) <= 80
    golden(ROOT / "tests" / "output" / "golden" / "calendar_journeys.txt", result.stdout)


def test_the_page_shows_the_journeys_at_a_phones_width(browser: Browser, tmp_path: Path) -> None:
    workspace, wall = _spanish_wall(date(2028, 10, 9), date(2028, 10, 22))
    page_html = html(Shown(wall, workspace))  # type: ignore[arg-type]
    assert page_html.count('class="dose"') == 2 * 7 * 2 - 3  # no SMS on the two Sundays, the 12th
    assert "≈ envíos previstos de los flujos ese día" in page_html
    watched = Watched(browser)
    page = watched.open(page_html, tmp_path / "calendar.html")
    try:
        page.set_viewport_size({"width": 390, "height": 900})
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        dose = page.locator(".dose").first
        assert dose.is_visible()
        assert dose.inner_text() == "E ≈27"
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "calendar-journeys-phone.png"), full_page=True)
        assert watched.problems == []
    finally:
        page.close()
