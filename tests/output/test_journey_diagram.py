"""A journey's diagram (output/preview/diagram): an SVG flow chart of its steps with each send's
expected sends per week, drawn by mcplan, escaped, bounded, and its steps as a list.

Golden SVGs: the example workspace's `bienvenue` (French) and the German workspace's
`willkommen`; the rest is checked on the parsed SVG.
"""

from __future__ import annotations

import functools
import re
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import Result

from browser import Watched
from conftest import ROOT, WORKSPACES, Golden
from mcplan import load_workspace
from mcplan.output.preview import preview_html
from mcplan.output.preview.diagram import (
    MAX_COLUMNS,
    MAX_STEPS,
    Drawing,
    diagram_svg,
    journey_diagram,
)
from mcplan.output.preview.diagram.layout import BOX_H, BOX_W
from mcplan.output.preview.diagram.steps import sends_of
from mcplan.plan.journey import forecast_journey
from mcplan.render import render_campaign
from mcplan.render.steps import render_journey
from mcplan.words import Reader
from mcplan.workspace import Workspace
from mcplan.workspace.journey_steps import (
    Branch,
    Condition,
    Otherwise,
    Send,
    Step,
    Wait,
    When,
    parse_duration,
)

if TYPE_CHECKING:
    from playwright.sync_api import Browser


GOLDEN = Path(__file__).parent / "golden"
GERMAN = WORKSPACES / "journeys" / "clean"
SVG = "{http://www.w3.org/2000/svg}"

MakeWorkspace = Callable[[dict[str, str | bytes]], Path]


@functools.cache
def example() -> Workspace:
    return load_workspace(ROOT)


def drawing(workspace: Workspace, journey: str) -> Drawing:
    found = workspace.journeys[journey]
    forecast = forecast_journey(workspace, found)
    return journey_diagram(workspace, found, forecast, Reader.of(workspace.settings.locale))


def parsed(drawn: Drawing) -> ET.Element:
    return ET.fromstring(diagram_svg(drawn))


def texts(svg: ET.Element, kind: str) -> list[str]:
    """The shown text of every ``<text class="kind">``, in document order."""
    return [
        "".join(t.itertext()) if t.find(f"{SVG}title") is None else (t.text or "")
        for t in svg.iter(f"{SVG}text")
        if kind in (t.get("class") or "").split()
    ]


def boxes(svg: ET.Element) -> list[ET.Element]:
    return [a for a in svg.iter(f"{SVG}a") if a.get("class") == "step"]


def shop(make_workspace: MakeWorkspace, steps: str, **more: str) -> Workspace:
    """A one-persona shop (en-GB) with one journey, `flow`, of ``steps``."""
    root = make_workspace(
        {
            "mcplan.toml": 'brand = "Shop"\nlocale = "en-GB"\ntimezone = "Europe/London"\n'
            'currency = "GBP"\n',
            "personas/reader.yaml": """
                name: Reader
                market: b2c
                size: 1000
                stage: loyalty
                country: GB
                channels:
                  email: {reach: 0.5, affinity: 0.5, consent: opt_in}
                  sms: {reach: 0.5, affinity: 0.5, consent: opt_in}
                """,
            "journeys/flow.yaml": "name: Flow\npersonas: [reader]\n"
            + f"entry: {{event: {more.get('event', 'signup')}, per_week: 1000, from: 2028-01-03}}\n"
            + "message: {headline: Hello, url: 'https://shop.example/hello'}\n"
            + "steps:\n"
            + steps,
            **{k: v for k, v in more.items() if "/" in k},
        }
    )
    return load_workspace(root, discover=False)


# -- goldens -------------------------------------------------------------------------------------


def test_the_example_welcome_series_is_drawn_as_its_golden(golden: Golden) -> None:
    golden(
        GOLDEN / "diagram-bienvenue.svg", diagram_svg(drawing(load_workspace(ROOT), "bienvenue"))
    )


def test_the_german_welcome_journey_is_drawn_as_its_golden(golden: Golden) -> None:
    workspace = load_workspace(GERMAN, discover=False)
    golden(GOLDEN / "diagram-willkommen.svg", diagram_svg(drawing(workspace, "willkommen")))


# -- what it shows -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("root", "journey"),
    [(ROOT, "bienvenue"), (ROOT, "navigation-abandonnee"), (GERMAN, "willkommen"),
     (GERMAN, "warenkorb")],
)  # fmt: skip
def test_every_send_is_one_box_with_its_weekly_sends(root: Path, journey: str) -> None:
    workspace = load_workspace(root, discover=False)
    drawn = drawing(workspace, journey)
    svg = parsed(drawn)
    assert svg.get("role") == "img"
    assert svg.find(f"{SVG}title") is not None
    assert svg.get("aria-labelledby") == svg.find(f"{SVG}title").get("id")  # type: ignore[union-attr]
    forecast = forecast_journey(workspace, workspace.journeys[journey])
    reader = Reader.of(workspace.settings.locale)
    found = boxes(svg)
    assert [a.get("href") for a in found] == [f"#step-{s.step}" for s in forecast.steps]
    word = {"de-DE": "Sendungen pro Woche", "fr-FR": "envois par semaine"}[str(reader.asked)]
    for box, step in zip(found, forecast.steps, strict=True):
        shown = texts(box, "sends")[0]
        assert re.fullmatch(rf"[\d.\u202f\xa0 ]+ {word}", shown), shown
        digits = re.sub(r"\D", "", shown)
        assert int(digits) == round(step.total_sends_per_week)
        for persona in step.personas:
            assert f"\n{persona}: " in box.find(f"{SVG}title").text  # type: ignore[union-attr,operator]


def test_the_german_journey_speaks_german_and_writes_numbers_the_german_way(
    make_workspace: MakeWorkspace,
) -> None:
    svg = parsed(drawing(load_workspace(GERMAN, discover=False), "willkommen"))
    assert texts(svg, "wait") == ["3 T. warten", "5 T. warten"]
    assert texts(svg, "when") == ["hat hallo nicht geöffnet · Personas pendler", "40\xa0% zufällig"]
    assert texts(svg, "otherwise") == ["sonst"]
    assert texts(svg, "others") == ["alle anderen"]
    assert texts(svg, "channel")[:2] == ["E-Mail", "SMS"]
    assert "215 Eintritte pro Woche" in "".join(svg.itertext())


def test_arms_stand_in_the_order_written_and_the_way_past_a_branch_is_last(
    make_workspace: MakeWorkspace,
) -> None:
    steps = """\
  - {id: first, send: email}
  - {wait: 36h}
  - branch:
      - when: {clicked: first}
        steps: [{id: b-clicked, send: sms}]
      - when: {opened: first}
        steps: [{id: a-opened, send: email}]
      - when: {not_opened: first}
        steps: []
  - {wait: 2w}
  - {wait: 1d}
  - {id: last, send: email}
"""
    workspace = shop(make_workspace, steps)
    svg = parsed(drawing(workspace, "flow"))
    assert texts(svg, "when") == ["clicked in first", "opened first", "did not open first"]
    assert texts(svg, "others") == ["everyone else"]
    assert texts(svg, "wait") == ["wait 36 h", "wait 2 w + 1 d"]
    xs = {a.get("href"): float(a.find(f"{SVG}rect").get("x")) for a in boxes(svg)}  # type: ignore[arg-type,union-attr]
    labels = {"".join(t.itertext()): float(t.get("x")) for t in svg.iter(f"{SVG}text")}  # type: ignore[arg-type]
    assert xs["#step-b-clicked"] < xs["#step-a-opened"]
    assert labels["clicked in first"] < labels["opened first"] < labels["did not open first"]
    assert labels["did not open first"] < labels["everyone else"]
    dashed = [p for p in svg.iter(f"{SVG}path") if p.get("class") == "dashed"]
    assert dashed  # the way past the branch


def test_the_list_has_every_step_in_order() -> None:
    workspace = load_workspace(GERMAN, discover=False)
    drawn = drawing(workspace, "willkommen")
    assert [s.step for s in sends_of(drawn.tree)] == [
        "hallo", "sms-erinnerung", "push-erinnerung", "letzter-aufruf",
    ]  # fmt: skip
    kinds = [node.kind for node in drawn.tree]
    assert kinds == ["send", "wait", "branch", "wait", "send"]


def test_without_a_forecast_the_weekly_sends_are_unknown() -> None:
    workspace = load_workspace(ROOT)
    journey = workspace.journeys["bienvenue"]
    drawn = journey_diagram(workspace, journey, None, Reader.of("fr-FR"))
    assert set(texts(parsed(drawn), "sends")) == {"envois par semaine inconnus"}


# -- hostile text --------------------------------------------------------------------------------


def test_hostile_names_ids_and_labels_are_escaped_and_long_ones_cut(
    make_workspace: MakeWorkspace,
) -> None:
    script = '<script>alert("x")</script>&\''
    quoted = "'" + script.replace("'", "''") + "'"
    workspace = shop(
        make_workspace,
        "  - {id: hello, send: email}\n",
        event=quoted,
        **{"channel_rules/email.yaml": f"extends: email\nname: {quoted}\n"},
    )
    journey = workspace.journeys["flow"]
    long_id = "x" * 300
    hostile = journey.model_copy(
        update={
            "steps": [
                Send.model_construct(id=script, send="email"),
                Send.model_construct(id=long_id, send="email"),
            ]
        }
    )
    drawn = journey_diagram(workspace, hostile, None, Reader.of("en-GB"))
    text = diagram_svg(drawn)
    assert "<script" not in text
    svg = ET.fromstring(text)  # well-formed
    assert script in "".join(svg.itertext())  # escaped, not dropped
    assert [a.get("href") for a in boxes(svg)] == [f"#step-{script}", f"#step-{long_id}"]
    shown = texts(svg, "id")
    assert shown[0].startswith("<script>")
    assert shown[0].endswith("…")
    assert len(shown[1]) < 30
    assert shown[1].endswith("…")
    assert long_id in boxes(svg)[1].find(f"{SVG}title").text  # type: ignore[operator,union-attr]
    assert not any(e.tag.endswith("script") or e.tag.endswith("foreignObject") for e in svg.iter())
    assert not any(
        name.startswith("on") or (name == "href" and not value.startswith("#"))
        for e in svg.iter()
        for name, value in e.attrib.items()
    )


# -- size ----------------------------------------------------------------------------------------


def test_a_journey_of_a_thousand_steps_is_listed_not_drawn_at_once(
    make_workspace: MakeWorkspace,
) -> None:
    steps = "".join(f"  - {{id: s{i}, send: email}}\n  - {{wait: 1d}}\n" for i in range(500))
    workspace = shop(make_workspace, steps)
    started = time.perf_counter()
    drawn = drawing(workspace, "flow")
    assert time.perf_counter() - started < 1.5
    assert drawn.shapes is None
    assert diagram_svg(drawn) == ""
    assert drawn.too_large == (
        f"This journey has 1,000 steps: too many to draw (a diagram shows at most {MAX_STEPS}). "
        "The list below has every step."
    )
    assert len(sends_of(drawn.tree)) == 500


def test_a_branch_of_a_hundred_arms_is_listed_not_drawn(make_workspace: MakeWorkspace) -> None:
    arms = "".join(
        f"      - when: {{share: 0.01}}\n        steps: [{{id: a{i}, send: email}}]\n"
        for i in range(100)
    )
    workspace = shop(make_workspace, "  - {wait: 1d}\n  - branch:\n" + arms)
    started = time.perf_counter()
    drawn = drawing(workspace, "flow")
    assert time.perf_counter() - started < 1.5
    assert drawn.shapes is None
    assert drawn.too_large.startswith(  # the way past the branch is an arm too
        f"This journey has 101 arms side by side: too many to draw (a diagram shows at most "
        f"{MAX_COLUMNS})."
    )


def test_a_journey_at_the_limits_is_drawn_within_its_bounds(make_workspace: MakeWorkspace) -> None:
    arms = "".join(
        f"      - when: {{share: 0.05}}\n        steps: [{{id: a{i}, send: email}}]\n"
        for i in range(MAX_COLUMNS - 1)
    )
    rest = "".join(f"  - {{id: s{i}, send: sms}}\n" for i in range(MAX_STEPS - MAX_COLUMNS - 2))
    workspace = shop(make_workspace, "  - {wait: 1d}\n  - branch:\n" + arms + rest)
    drawn = drawing(workspace, "flow")
    assert drawn.shapes is not None
    svg = parsed(drawn)
    assert len(boxes(svg)) == MAX_STEPS - 3
    assert int(svg.get("width")) <= 3_000  # type: ignore[arg-type]
    assert int(svg.get("height")) <= 16_000  # type: ignore[arg-type]


# -- on the preview page -------------------------------------------------------------------------


def test_the_page_shows_the_diagram_and_its_list_above_the_cards() -> None:
    workspace = example()
    rendering = render_journey(workspace, "bienvenue")
    html = preview_html(workspace, rendering)
    head, rest = html.split('<section class="journey"', 1)
    section, cards = rest.split("<main>", 1)
    assert cards.count('<section class="card"') == len(rendering.versions)
    assert '<section class="card"' not in head + section
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="journey-diagram" role="img"' in section
    assert '<ol id="journey-steps">' in section  # what aria-describedby names
    listed = re.findall(r'<li><a href="#step-([^"]+)"><code>', section)
    assert listed == ["bonjour", "rappel-sms", "dernier-jour"]
    assert "<li>n&#39;a pas ouvert bonjour<ol>" in section
    assert "<li>tous les autres continuent après l&#39;embranchement</li>" in section
    assert "<script" not in html
    assert "default-src 'none'; style-src 'unsafe-inline'; img-src data:" in head


def test_the_page_says_why_a_journey_too_large_is_not_drawn(make_workspace: MakeWorkspace) -> None:
    steps = "".join(f"  - {{id: s{i}, send: email}}\n" for i in range(MAX_STEPS + 1))
    workspace = shop(make_workspace, steps)
    example = load_workspace(ROOT)
    rendering = render_campaign(example, "soldes-hiver-2027")
    html = preview_html(workspace, rendering, drawing=drawing(workspace, "flow"))
    assert "<svg" not in html
    assert '<p class="too-large">This journey has 151 steps: too many to draw' in html
    assert '<details class="journey-steps" open>' in html
    assert html.count("<li><code>s") == MAX_STEPS + 1  # the campaign's cards are no step's


# -- the layout, on any journey ------------------------------------------------------------------


@st.composite
def step_lists(draw: st.DrawFn, depth: int = 0) -> list[Step]:
    steps: list[Step] = []
    for _ in range(draw(st.integers(0 if depth else 1, 4))):
        kind = draw(st.sampled_from(["send", "wait", "branch"] if depth < 3 else ["send", "wait"]))
        if kind == "send":
            steps.append(Send(id=f"s{draw(st.integers(0, 10**6))}", send="email"))
        elif kind == "wait":
            steps.append(Wait(wait=parse_duration(draw(st.sampled_from(["36h", "3d", "2w"])))))
        else:
            arms: list[When | Otherwise] = [
                When(when=Condition(share=0.1), steps=draw(step_lists(depth + 1)))
                for _ in range(draw(st.integers(1, 2)))
            ]
            if draw(st.booleans()):
                arms.append(Otherwise(otherwise=draw(step_lists(depth + 1))))
            steps.append(Branch(branch=arms))
    return steps


def _overlap(a: ET.Element, b: ET.Element) -> bool:
    ax, ay, bx, by = (float(r.get(k)) for r in (a, b) for k in ("x", "y"))  # type: ignore[arg-type]
    return abs(ax - bx) < BOX_W and abs(ay - by) < BOX_H


@settings(max_examples=60, deadline=None)
@given(steps=step_lists())
def test_any_journey_is_drawn_with_each_send_once_and_no_box_over_another(
    steps: list[Step],
) -> None:
    workspace = example()
    journey = workspace.journeys["bienvenue"].model_copy(update={"steps": steps})
    drawn = journey_diagram(workspace, journey, None, Reader.of("en-GB"))
    if drawn.shapes is None:  # too wide: said, not drawn
        assert drawn.too_large.startswith("This journey has ")
        assert "arms side by side" in drawn.too_large
        return
    svg = parsed(drawn)
    frames = [a.find(f"{SVG}rect") for a in boxes(svg)]
    sends = [f"#step-{step.id}" for _, step in journey.sends()]
    assert [a.get("href") for a in boxes(svg)] == sends
    width, height = float(svg.get("width")), float(svg.get("height"))  # type: ignore[arg-type]
    for i, frame in enumerate(frames):
        assert 0 <= float(frame.get("x")) <= width - BOX_W  # type: ignore[union-attr,arg-type]
        assert 0 <= float(frame.get("y")) <= height - BOX_H  # type: ignore[union-attr,arg-type]
        assert not any(_overlap(frame, other) for other in frames[i + 1 :])  # type: ignore[arg-type]


# -- mcplan preview JOURNEY ----------------------------------------------------------------------


def test_preview_of_a_journey_draws_it_and_every_box_links_to_its_cards(
    run: Callable[..., Result], tmp_path: Path
) -> None:
    page = tmp_path / "willkommen.html"
    result = run("preview", "willkommen", "-w", str(GERMAN), "-o", str(page))
    assert result.exit_code == 0, result.output
    html = page.read_text("utf-8")
    assert '<p class="eyebrow">Journey-Vorschau · Radhaus Leipzig</p>' in html
    assert "Ab dem 1. Mai 2028" in html
    svg = ET.fromstring(html.split('<div class="diagram-scroll">')[1].split("</div>")[0])
    links = [a.get("href") for a in boxes(svg)]
    assert links == [
        "#step-hallo", "#step-sms-erinnerung", "#step-push-erinnerung", "#step-letzter-aufruf",
    ]  # fmt: skip
    heads = re.findall(r'<h2 class="step-head" id="step-([^"]+)">', html)
    assert [f"#step-{h}" for h in heads] == links  # each box's anchor, once, in order
    main = html.split("<main>")[1]
    for step in heads:  # the step's heading, then its cards, each with the step's badge
        cards = main.split(f'id="step-{step}"')[1].split('class="step-head"')[0]
        assert f'<span class="badge step">{step}</span>' in cards
    assert "<script" not in html


def test_the_example_welcome_series_page_speaks_french() -> None:
    workspace = example()
    html = preview_html(workspace, render_journey(workspace, "bienvenue"))
    assert "Aperçu du parcours · Maison Lumen" in html
    assert "Le parcours, étape par étape" in html
    assert '<text class="sends" x="0" y="55">328 envois par semaine</text>' in html


# -- the page, in headless Chromium --------------------------------------------------------------

# The texts of a box or a pill that its inner <svg> clips, as Chromium measures them.
OVERFLOWING = """() => [...document.querySelectorAll("svg .step svg, svg .pill svg")].flatMap(
    inner => [...inner.querySelectorAll("text")].filter(text => {
        const b = text.getBBox();
        return b.x < 0 || b.x + b.width > inner.width.baseVal.value;
    }).map(text => text.textContent)
)"""


@pytest.mark.parametrize("width", [1280, 400])
def test_the_journey_page_in_chromium(
    browser: Browser, run: Callable[..., Result], tmp_path: Path, width: int
) -> None:
    page_file = tmp_path / "willkommen.html"
    assert run("preview", "willkommen", "-w", str(GERMAN), "-o", str(page_file)).exit_code == 0
    watched = Watched(browser)
    page = watched.open(page_file.read_text("utf-8"), page_file)
    try:
        page.set_viewport_size({"width": width, "height": 900})
        drawing_ = page.get_by_role("img", name="Die Schritte der Journey Willkommen beim Radhaus")
        assert drawing_.is_visible()
        assert page.evaluate(OVERFLOWING) == []
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        page.locator('svg a[href="#step-letzter-aufruf"]').click()
        assert page.evaluate("location.hash") == "#step-letzter-aufruf"
        assert page.locator("#step-letzter-aufruf").is_visible()
        assert watched.problems == []
    finally:
        page.close()


@pytest.mark.parametrize(
    ("text", "clipped"),
    [("Welcome-series-reminder-for-whoever-did-not-open-the-first-email", False),
     ("W" * 64, True)],  # the widest letter: its cut is too long, and the box clips it
)  # fmt: skip
def test_long_texts_are_cut_to_their_box_in_chromium(
    browser: Browser, make_workspace: MakeWorkspace, tmp_path: Path, text: str, clipped: bool
) -> None:
    step = text.lower()
    workspace = shop(
        make_workspace,
        f"  - {{id: {step}, send: email}}\n",
        event=text,
        **{"channel_rules/email.yaml": f"extends: email\nname: {text}\n"},
    )
    html = preview_html(workspace, render_journey(workspace, "flow"))
    watched = Watched(browser)
    page = watched.open(html, tmp_path / "flow.html")
    try:
        overflowing = page.evaluate(OVERFLOWING)
        assert overflowing == ([text[:27] + "…"] if clipped else [])  # the channel's name
        assert watched.problems == []
    finally:
        page.close()


def test_a_preview_of_some_channels_links_only_the_steps_it_has_cards_of() -> None:
    workspace = example()
    html = preview_html(workspace, render_journey(workspace, "bienvenue", channels=["sms"]))
    assert re.findall(r'href="#step-([^"]+)"', html) == ["rappel-sms", "rappel-sms"]  # box, list
    assert re.findall(r'id="step-([^"]+)"', html) == ["rappel-sms"]
    assert '<g class="step">' in html
    assert "<li><code>bonjour</code> · E-mail" in html
