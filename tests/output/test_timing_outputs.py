"""`mcplan timing`'s outputs (issue 30): the heat map in a terminal at 80 columns, Markdown and
the HTML page, for a result built here (two personas, two channels: one with enough data, one
without, a best slot of any day), in English and French; the page's safety rules."""

from __future__ import annotations

import json
import math
import re
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from browser import Watched
from conftest import Golden
from mcplan.numbers import in_locale
from mcplan.output import FORMATS, as_text
from mcplan.output.timing import EMITTERS, render_html, render_json, render_markdown, render_text
from mcplan.output.timing.figures import SHADES, Scale
from mcplan.timing import Cell, SendTime, Slot, TimingResult

if TYPE_CHECKING:
    from playwright.sync_api import Browser


GOLDEN = Path(__file__).parent / "golden" / "timing"
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
LOCALES = {"en": "en-GB", "fr": "fr-FR"}
HOSTILE = "<script>alert(1)</script>"


def _cells(seed: int, peak: tuple[int | None, int], sent: int, base: float) -> tuple[Cell, ...]:
    """A week of cells: nothing sent at night, a rate that rises towards ``peak`` (its
    weekday, or every day), the same for every run."""
    cells = []
    for weekday in range(7):
        for hour in range(24):
            sends = 0 if hour < 7 or hour > 22 else sent + (weekday * 7 + hour * seed) % 13
            near = math.exp(-((hour - peak[1]) ** 2) / 8)
            day = 1.0 if peak[0] is None or peak[0] == weekday else 0.6
            rate = base * (1 + 0.6 * near * day) + 0.002 * ((weekday + hour * seed) % 5)
            engaged = round(sends * rate)
            spread = 0.5 / math.sqrt(sends + 20)
            cells.append(
                Cell(
                    weekday,
                    hour,
                    sends,
                    engaged,
                    rate,
                    (max(rate - spread * rate, 0.0), rate + spread * rate),
                )
            )
    return tuple(cells)


def _thin(cells: tuple[Cell, ...]) -> tuple[Cell, ...]:
    """A few cells sent at, here and there; the others at the channel's profile."""
    return tuple(
        c if (c.weekday + c.hour) % 9 == 0 else Cell(c.weekday, c.hour, 0, 0, 0.2, (0.05, 0.45))
        for c in cells
    )


def result(persona: str = "fideles") -> TimingResult:
    """Two personas, two channels: one with enough data (a Tuesday 19:00 best slot), one of
    any day (19:00), one without enough data."""
    period = (date(2027, 1, 4), date(2027, 6, 27))
    rich = SendTime(
        persona=persona, channel="email", metric="open", sends=5400, engaged=1247,
        period=period, best=Slot(1, 19), rate=0.256, interval=(0.238, 0.274),
        current=Slot(0, 10), current_rate=0.160, gain=0.096, probability_better=0.99,
        enough_data=True, sends_needed=None, cells=_cells(1, (1, 19), 30, 0.16),
    )  # fmt: skip
    any_day = SendTime(
        persona=persona, channel="sms", metric="click", sends=2600, engaged=182,
        period=period, best=Slot(None, 19), rate=0.090, interval=(0.081, 0.099),
        current=Slot(None, 10), current_rate=0.059, gain=0.031, probability_better=0.98,
        enough_data=True, sends_needed=None, cells=_cells(2, (None, 19), 14, 0.055),
    )  # fmt: skip
    thin = SendTime(
        persona="nouveaux", channel="email", metric="open", sends=40, engaged=9,
        period=(date(2027, 5, 3), date(2027, 6, 21)), best=None, rate=None, interval=None,
        current=Slot(3, 10), current_rate=0.2, gain=None, probability_better=None,
        enough_data=False, sends_needed=1160,
        cells=_thin(_cells(3, (2, 12), 0, 0.2)),
    )  # fmt: skip
    return TimingResult((rich, any_day, thin), rows=8040)


def _text(result: TimingResult, width: int = 80) -> str:
    return as_text(render_text(result), width=width)


@pytest.mark.parametrize("language", LOCALES)
def test_the_text_golden(language: str, golden: Golden) -> None:
    with in_locale(LOCALES[language]):
        golden(GOLDEN / f"timing-{language}.txt", _text(result()))


@pytest.mark.parametrize("language", LOCALES)
def test_the_markdown_golden(language: str, golden: Golden) -> None:
    with in_locale(LOCALES[language]):
        golden(GOLDEN / f"timing-{language}.md", render_markdown(result()))


@pytest.mark.parametrize("language", LOCALES)
def test_the_page_golden(language: str, golden: Golden) -> None:
    with in_locale(LOCALES[language]):
        golden(GOLDEN / f"timing-{language}.html", render_html(result(), brand="Cyclo"))


@pytest.mark.parametrize("locale", ["en-GB", "fr-FR", "de-DE", "nl-NL", "es-ES", "it-IT"])
def test_every_line_fits_80_columns_whatever_the_terminal(locale: str) -> None:
    with in_locale(locale):
        shown = _text(result())
        assert _text(result(), width=200) == shown == _text(result(), width=80)
    too_long = [line for line in shown.splitlines() if len(line) > 80]
    assert too_long == []


def test_the_best_slot_and_the_one_used_now_are_marked_without_colour() -> None:
    with in_locale("en-GB"):
        shown = _text(result())
    email, sms, thin = shown.split("\n\n")[:3]
    # The hour h of a weekday starts at column 2 + 4 + 3h: Tuesday 19:00 between brackets,
    # Monday 10:00 (the touches' slot) between parentheses.
    rows = {line[2:5]: line for line in email.splitlines() if line[2:5] in ("Mon", "Tue")}
    assert rows["Tue"][6 + 3 * 19] + rows["Tue"][8 + 3 * 19] == "[]"
    assert rows["Mon"][6 + 3 * 10] + rows["Mon"][8 + 3 * 10] == "()"
    assert email.count("[") == 2  # the cell, and the legend's
    # A best slot of any day: its hour on every day.
    assert sms.count("[") == 8
    assert sms.count("(") == 8 + 2  # with the legend's and the figures'
    assert "  best  any day 19:00: 9.0% (90% interval 8.1% to 9.9%)" in sms.splitlines()
    assert "not enough data yet: about 1,160 more sends would tell" in thin
    assert "exploratory send" in thin
    assert "gain" not in thin  # nothing to gain said without enough data
    assert "\x1b" not in shown


def test_the_figures_are_the_workspaces_numbers_and_words() -> None:
    with in_locale("de-DE"):
        shown = _text(result()).replace("\xa0", " ").replace("\u202f", " ")
    assert "  beste   Dienstag 19:00: 25,6 % (90 %-Intervall 23,8 % bis 27,4 %)" in shown
    assert "5.400 Sendungen · 1.247 Öffnungen" in shown
    assert re.search(r"^  Di\.  ", shown, re.MULTILINE)
    assert shown.endswith("\n8.040 Zeilen gelesen\n")


def test_an_export_without_sends_says_so_in_every_format() -> None:
    empty = TimingResult((), rows=0)
    with in_locale("fr-FR"):
        assert "aucun envoi dans l'export" in _text(empty)
        assert "aucun envoi dans l'export" in render_markdown(empty)
        assert "aucun envoi dans l&#39;export" in render_html(empty)


def test_a_persona_id_is_escaped_in_markdown_and_html() -> None:
    hostile = result(persona=HOSTILE + "|x")
    with in_locale("en-GB"):
        brief = render_markdown(hostile)
        page = render_html(hostile, brand=HOSTILE)
    assert HOSTILE not in brief
    assert r"| \<script\>alert\(1\)\</script\>\|x | email |" in brief
    assert "<script" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;|x · email" in page


def test_the_page_loads_nothing_and_runs_nothing() -> None:
    with in_locale("en-GB"):
        page = render_html(result())
    assert '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'' in page
    assert not re.search(r"<script|<link|<img|<iframe|\bsrc=|\bhref=|url\(|@import", page)
    assert not re.search(r"https?:|//[a-z]", page.split("</style>")[1])


def test_the_json_has_the_issues_fields() -> None:
    data = json.loads(render_json(result()))
    rich, any_day, thin = data["send_times"]
    assert rich["best"] == {"weekday": "tuesday", "hour": 19}
    assert any_day["best"] == {"weekday": None, "hour": 19}
    assert thin["best"] is None
    assert thin["enough_data"] is False
    assert data["rows"] == 8040


def test_the_formats_are_the_vocabularys() -> None:
    assert list(EMITTERS) == ["text", "json", "markdown", "html"]
    assert set(EMITTERS) <= set(FORMATS)
    assert EMITTERS["html"](result()) == render_html(result())


@given(st.floats(0, 1), st.floats(0, 1), st.lists(st.floats(0, 1), min_size=2))
@example(0.0, 1.0, [0.0, 2.225073858507e-311])  # a range so small that 1 / range is inf
def test_a_higher_rate_is_never_a_lighter_shade(a: float, b: float, rates: list[float]) -> None:
    scale = Scale(min(rates), max(rates))
    low, high = sorted((a, b))
    assert 0 <= scale.shade(low) <= scale.shade(high) < len(SHADES)
    assert scale.shade(max(rates)) == len(SHADES) - 1
    if max(rates) > min(rates):
        assert scale.shade(min(rates)) == 0


def test_a_map_with_one_rate_has_one_shade() -> None:
    send_time = result().send_times[0]
    flat = tuple(replace(c, rate=0.2) for c in send_time.cells)
    with in_locale("en-GB"):
        shown = _text(TimingResult((replace(send_time, cells=flat),), rows=1))
    assert "██ 20.0%" in shown
    assert "░" not in shown


@pytest.mark.parametrize("width", [1280, 390])
def test_the_page_reads_at_a_desktops_and_a_phones_width(
    browser: Browser, tmp_path: Path, width: int
) -> None:
    with in_locale("en-GB"):
        html = render_html(result(), brand="Cyclo")
    watched = Watched(browser)
    watched.page.set_viewport_size({"width": width, "height": 900})
    page = watched.open(html, tmp_path / "timing.html")
    try:
        assert page.get_by_role("heading", name="Send times").is_visible()
        assert page.locator("section").count() == 3
        assert page.locator("section").nth(0).locator("td.best").count() == 1
        assert page.locator("section").nth(1).locator("td.best").count() == 7  # any day
        assert page.locator("section").nth(2).locator("td.best").count() == 0
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        tuesday = page.locator("section").nth(0).locator("tbody tr").nth(1)
        assert tuesday.locator("th").inner_text() == "Tue"
        assert tuesday.locator("td.best").get_attribute("title") == (
            "Tuesday 19:00: 25.6% (23.8% to 27.4%) · 30 sends"
        )
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"timing-{width}.png"), full_page=True)
        assert watched.problems == []
    finally:
        page.close()


@pytest.mark.parametrize(
    ("locale", "high", "low"), [("en-GB", "> 99%", "< 1%"), ("fr-FR", "> 99\xa0%", "< 1\xa0%")]
)
def test_a_probability_near_certain_is_not_shown_as_certain(
    locale: str, high: str, low: str
) -> None:
    """0.99995 rounds to 100 % and 0.001 to 0 %: neither is a certainty."""
    sure, unsure = result().send_times[:2]
    found = TimingResult(
        (replace(sure, probability_better=0.99995), replace(unsure, probability_better=0.001)),
        rows=1,
    )
    with in_locale(locale):
        shown = _text(found)
    assert f"{high} " in shown
    assert f"{low} " in shown
    assert "100" not in shown.replace("1,00", "")
