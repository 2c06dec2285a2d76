"""A journey's SMS steps are priced by the segments of their own rendered text (issue 29), per
persona as a campaign's: sends × segments × the channel's price per segment, exactly, through
the library and `mcplan plan --format json`; one segment, and the step listed as not measured,
where its text does not render.

The shop: Cyclo, Dublin (en-IE), and a Munich reseller who reads German. SMS at €0.05 a
segment (€40 to set up), delivered to all; no exit goal, so each step of a journey sends the
same: Aoife 200 entries × reach 0.5 = 100 a week, Cian 50 × 0.8 = 40, Lukas 20 × 0.5 = 10.

A segment is 160 GSM-7 characters, or 153 each once split; 70 UCS-2 units (an emoji is two),
or 67 each once split (3GPP TS 23.038/23.040).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from mcplan import load_workspace
from mcplan.plan.journey import JourneyForecast, forecast_journey, forecast_journeys
from mcplan.workspace import Campaign, Workspace

PRICE = 0.05
SENDS = {"aoife-commuter": 100.0, "cian-family": 40.0}

# 200 GSM-7 characters, none of them an escape (those count two): 2 segments.
LONG = ("Cyclo: your welcome code HELLO10 takes 10% off your first service. Book at "
        "cyclo.ie/welcome before Sunday and ride away the same day. Reply STOP to opt out. "
        "See you soon at the shop, happy riding!!!!!")  # fmt: skip
# 140 UCS-2 units: "Cyclo " (6), the bike (2), and 132 more characters: 3 segments of 67.
EMOJI = "Cyclo 🚲" + (" Your welcome code HELLO10 is waiting at cyclo.ie/welcome. Reply STOP"
                     " to opt out. See you soon, happy riding and safe roads, Aoife!!")  # fmt: skip

FILES = {
    "mcplan.toml": 'brand = "Cyclo"\nlocale = "en-IE"\ntimezone = "Europe/Dublin"\n'
    'currency = "EUR"\n',
    "personas/aoife-commuter.yaml": """\
        name: Aoife, commuter
        market: b2c
        size: 3000
        stage: acquisition
        country: IE
        channels: {sms: {reach: 0.5, affinity: 0.7, consent: opt_in}}
    """,
    "personas/cian-family.yaml": """\
        name: Cian, family rider
        market: b2c
        size: 1000
        stage: acquisition
        country: IE
        channels: {sms: {reach: 0.8, affinity: 0.7, consent: opt_in}}
    """,
    "channel_rules/sms.yaml": f"extends: sms\ncost_per_contact: {PRICE}\nfixed_cost: 40\n"
    "rates: {delivery: 1, open: 0.9, click: 0.2, conversion: 0.05}\n",
}
LUKAS = """\
    name: Lukas, reseller in Munich
    market: b2c
    size: 400
    stage: acquisition
    country: DE
    locale: de-DE
    channels: {sms: {reach: 0.5, affinity: 0.7, consent: opt_in}}
"""


def journey(steps: str, personas: str = "aoife-commuter, cian-family", more: str = "") -> str:
    return f"""\
name: Welcome to Cyclo
personas: [{personas}]
entry: {{event: signup, per_week: {{aoife-commuter: 200, cian-family: 50, lukas: 20}}, \
from: 2028-05-01}}
message: {{headline: Welcome to Cyclo, url: "https://cyclo.ie/welcome"}}
{more}steps:
{steps}"""


STEPS = f"""\
  - {{id: long, send: sms, variant: "{LONG}"}}
  - {{wait: 3d}}
  - {{id: emoji, send: sms, variant: "{EMOJI}"}}
  - {{wait: 3d}}
  - {{id: short, send: sms}}
"""


@pytest.fixture
def shop(make_workspace: Callable) -> Callable[..., Path]:
    def make(text: str, files: dict[str, str] | None = None) -> Path:
        return make_workspace({**FILES, "journeys/welcome.yaml": text, **(files or {})})

    return make


def forecast_of(root: Path) -> JourneyForecast:
    workspace = load_workspace(root, discover=False)
    return forecast_journey(workspace, workspace.journeys["welcome"])


def test_the_texts_are_what_the_segments_say() -> None:
    # The figures below count on these texts: the test is worth only what they are.
    assert len(LONG) == 200
    assert LONG.isascii()
    assert not set(LONG) & set("[]{}^~\\|")
    assert len(EMOJI.encode("utf-16-le")) // 2 == 140


def test_each_sms_step_costs_sends_times_its_segments(shop: Callable) -> None:
    result = forecast_of(shop(journey(STEPS)))
    # The bundled English template gives "Cyclo: Welcome to Cyclo. <link> Reply STOP to opt
    # out": one segment.
    for step, segments in {"long": 2, "emoji": 3, "short": 1}.items():
        found = result.step(step)
        assert found.sends_per_week == pytest.approx(SENDS, rel=1e-12)
        for persona, sends in found.sends_per_week.items():
            assert found.funnel(persona).cost == sends * PRICE * segments
        assert found.weekly.cost == pytest.approx(140 * segments * PRICE, rel=1e-12)
    assert result.cost_per_week == pytest.approx(140 * 6 * PRICE, rel=1e-12)  # €42
    assert result.unmeasured == ()
    # Over the live period: a year of 52 weeks, and the set-up cost once.
    assert result.total.cost == pytest.approx(42 * 52 + 40, rel=1e-12)


def test_plan_json_prices_each_sms_step_by_its_segments(run: Callable, shop: Callable) -> None:
    root = shop(journey(STEPS))
    result = run("plan", "-w", str(root), "--format", "json")
    assert result.exit_code == 0, result.stderr
    (shown,) = json.loads(result.stdout)["journeys"]
    steps = {s["step"]: s for s in shown["steps"]}
    for step, segments in {"long": 2, "emoji": 3, "short": 1}.items():
        assert steps[step]["sends_per_week"] == pytest.approx(140, rel=1e-12)
        assert steps[step]["cost"] == pytest.approx(140 * segments * PRICE, rel=1e-12)
        for figures in steps[step]["personas"].values():
            assert figures["cost"] == figures["sends_per_week"] * PRICE * segments
        assert steps[step]["segments"] == {"aoife-commuter": segments, "cian-family": segments}
    assert shown["cost"] == pytest.approx(42, rel=1e-12)
    assert shown["unmeasured"] == []
    text = run("plan", "-w", str(root), "--explain").stdout
    assert "priced at one SMS segment" not in text
    said = "sms: billed per segment, {} × €0.05 = €{} a message to aoife-commuter, cian-family"
    assert said.format("2 segments", "0.10") in text
    assert said.format("3 segments", "0.15") in text
    assert said.format("1 segment", "0.05") in text


def test_each_persona_pays_for_the_text_of_its_language(shop: Callable) -> None:
    # Lukas reads German: the journey's German SMS is 161 GSM-7 characters, 2 segments; the
    # others read the English one, 1 segment.
    german = "Cyclo: Willkommen! " + "x" * 118 + " Abmelden: STOP an 12345"
    assert len(german) == 161
    more = f'locales:\n  de: {{variants: {{sms: "{german}"}}}}\n'
    text = journey("  - {id: short, send: sms}\n", "aoife-commuter, cian-family, lukas", more)
    result = forecast_of(shop(text, {"personas/lukas.yaml": LUKAS}))
    step = result.step("short")
    assert step.sends_per_week == pytest.approx({**SENDS, "lukas": 10.0}, rel=1e-12)
    assert step.funnel("lukas").cost == 10 * PRICE * 2
    assert step.funnel("aoife-commuter").cost == 100 * PRICE * 1
    assert result.unmeasured == ()


def test_an_sms_step_is_rendered_once_a_language_not_once_a_persona(
    shop: Callable, monkeypatch: pytest.MonkeyPatch
) -> None:
    from mcplan.render import engine

    rendered: list[tuple[str, str | None]] = []
    render = engine._render

    def counted(workspace: Workspace, campaign: Campaign, job: engine.Job) -> engine.Version:
        rendered.append((job.locale, campaign.step))
        return render(workspace, campaign, job)

    german = 'locales:\n  de: {message: {headline: "Willkommen bei Cyclo"}}\n'
    root = shop(
        journey("  - {id: short, send: sms}\n", "aoife-commuter, cian-family, lukas", german),
        {"personas/lukas.yaml": LUKAS},
    )
    workspace = load_workspace(root, discover=False)
    monkeypatch.setattr(engine, "_render", counted)
    forecast_journey(workspace, workspace.journeys["welcome"])
    # Aoife and Cian read English, Lukas German: two texts for three personas.
    assert sorted(rendered) == [("de-DE", "short"), ("en-IE", "short")]


def test_a_step_whose_text_does_not_render_is_one_segment_and_said(
    run: Callable, shop: Callable
) -> None:
    more = 'templates:\n  sms: "{{ m.headline "\n'  # a template that does not compile
    root = shop(journey("  - {id: short, send: sms}\n", more=more))
    result = forecast_of(root)
    assert result.unmeasured == ("short",)
    for persona, sends in result.step("short").sends_per_week.items():
        assert result.step("short").funnel(persona).cost == sends * PRICE * 1
    shown = json.loads(run("plan", "-w", str(root), "--format", "json").stdout)
    assert shown["journeys"][0]["unmeasured"] == ["short"]
    assert shown["journeys"][0]["steps"][0]["segments"] == {}
    text = run("plan", "-w", str(root), "--explain").stdout
    assert "priced at one SMS segment a message: short (their text does not render)" in text
    said = "sms: aoife-commuter, cian-family billed as one segment, their text does not render"
    assert said in text


def test_only_a_channel_billed_per_segment_is_rendered(shop: Callable) -> None:
    # A broken e-mail template does not matter to its price: e-mail is billed per message.
    more = 'templates:\n  email: {subject: "{{ m.headline "}\n'
    email = {
        "channel_rules/email.yaml": "extends: email\ncost_per_contact: 0.01\n",
        "personas/aoife-commuter.yaml": FILES["personas/aoife-commuter.yaml"].replace(
            "channels: {", "channels: {email: {reach: 1, affinity: 0.5, consent: opt_in}, "
        ),
    }
    result = forecast_of(shop(journey("  - {id: hello, send: email}\n", more=more), email))
    assert result.unmeasured == ()
    assert result.step("hello").funnel("aoife-commuter").cost == 200 * 0.01
    assert result.step("hello").segments is None


def test_a_forecast_of_the_sends_alone_renders_nothing(
    shop: Callable, monkeypatch: pytest.MonkeyPatch
) -> None:
    # What only counts the sends (the calendar, the pressure checks) may skip the rendering:
    # the same sends, each SMS one segment, and the steps said to be so.
    from mcplan.render import engine

    workspace = load_workspace(shop(journey(STEPS)), discover=False)
    priced = forecast_journeys(workspace)
    monkeypatch.setattr(engine, "_render", None)  # any rendering would fail
    (sends,) = forecast_journeys(workspace, priced=False)
    assert [s.sends_per_week for s in sends.steps] == [s.sends_per_week for s in priced[0].steps]
    assert sends.unmeasured == ("long", "emoji", "short")
    assert sends.cost_per_week == pytest.approx(140 * 3 * PRICE, rel=1e-12)
    assert priced[0].cost_per_week == pytest.approx(140 * 6 * PRICE, rel=1e-12)
