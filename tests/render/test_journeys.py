"""A journey's send steps rendered: each a version, as a campaign's, that knows its step."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import PERSONA, ROOT
from mcplan import UsageError, Workspace, load_workspace
from mcplan.findings import Location, Subject
from mcplan.render import render_campaign, render_journey
from mcplan.render.steps import journey_copy
from mcplan.workspace.journey import Journey

JOURNEY = """
    brand: Maison Lumen
    personas: [marie]
    entry: {event: signup, per_week: 100, from: 2027-01-04}
    message:
      headline: Bienvenue
      code: BIENVENUE10
      url: https://maison-lumen.fr/bienvenue
    steps:
      - {id: hello, send: email}
      - {wait: 3d}
      - id: nudge
        send: sms
        variant: "Maison Lumen : -10 % avec BIENVENUE10 sur maison-lumen.fr STOP 36111"
      - {wait: 4d}
      - id: last-call
        send: email
        message:
          headline: Votre code expire demain
"""


def _at(where: Location | None) -> tuple[str, int, int] | None:
    return (where.file, where.line, where.column) if where else None


@pytest.fixture
def example() -> Workspace:
    return load_workspace(ROOT, discover=False)


@pytest.fixture
def welcome(make_workspace: Callable[..., Path]) -> Workspace:
    root = make_workspace({"personas/marie.yaml": PERSONA, "journeys/welcome.yaml": JOURNEY})
    return load_workspace(root, discover=False)


def test_each_send_step_is_a_version_that_knows_its_step(welcome: Workspace) -> None:
    result = render_journey(welcome, "welcome")
    assert result.findings == []
    assert [(v.step, v.channel, v.key) for v in result.versions] == [
        ("hello", "email", "hello--email"),
        ("nudge", "sms", "nudge--sms"),
        ("last-call", "email", "last-call--email"),
    ]
    assert result.journey is not None
    assert result.journey.id == "welcome"
    assert [v.campaign for v in result.versions] == ["welcome"] * 3
    assert [_at(v.step_location) for v in result.versions] == [
        ("journeys/welcome.yaml", 9, 5),
        ("journeys/welcome.yaml", 11, 5),
        ("journeys/welcome.yaml", 15, 5),
    ]


def test_a_step_message_overrides_the_core_keys_it_writes(welcome: Workspace) -> None:
    hello, _, last = render_journey(welcome, "welcome").versions
    assert "Bienvenue" in hello.text("subject")
    assert "Votre code expire demain" in last.text("subject")
    assert "BIENVENUE10" in last.text("body")  # the core's code, not overridden
    assert render_journey(welcome, "welcome").campaign_of(last).message.headline == (
        "Votre code expire demain"
    )


def test_a_step_variant_is_hand_written_at_its_line(welcome: Workspace) -> None:
    [sms] = render_journey(welcome, "welcome", channels=["sms"]).versions
    [part] = sms.parts
    assert (part.name, part.origin) == ("text", "variant")
    assert part.text.startswith("Maison Lumen : -10 %")
    assert _at(part.where) == ("journeys/welcome.yaml", 13, 5)


def test_a_version_of_a_step_is_about_the_journey_and_the_step(welcome: Workspace) -> None:
    hello = render_journey(welcome, "welcome").versions[0]
    assert hello.subject("subject") == Subject(
        channel="email", part="subject", locale="fr-FR", journey="welcome", step="hello"
    )
    assert hello.label == "hello (email)"
    # A bundled template cannot be edited: its findings point at the step's channel.
    assert _at(hello.where()) == ("journeys/welcome.yaml", 9, 23)


def test_links_carry_the_journey_as_their_utm_campaign(welcome: Workspace) -> None:
    hello = render_journey(welcome, "welcome").versions[0]
    assert hello.link.endswith("utm_source=email&utm_medium=email&utm_campaign=welcome")


def test_personas_and_channels_are_chosen_as_for_a_campaign(welcome: Workspace) -> None:
    result = render_journey(welcome, "welcome", channels=["email"], personas=["marie"])
    assert [(v.step, v.persona) for v in result.versions] == [
        ("hello", "marie"),
        ("last-call", "marie"),
    ]


def test_an_unknown_journey_is_a_usage_error_with_a_suggestion(welcome: Workspace) -> None:
    with pytest.raises(UsageError, match=r"unknown journey 'welcom'.*'welcome'"):
        render_journey(welcome, "welcom")
    with pytest.raises(UsageError, match="unknown channel 'smss'"):
        render_journey(welcome, "welcome", channels=["smss"])


def test_a_campaign_version_has_no_step(example: Workspace) -> None:
    versions = render_campaign(example, "soldes-hiver-2027").versions
    assert {(v.step, v.step_location) for v in versions} == {(None, None)}


def test_the_example_journeys_render_without_a_finding(example: Workspace) -> None:
    welcome = render_journey(example, "bienvenue")
    assert welcome.findings == []
    assert [v.key for v in welcome.versions] == [
        "bonjour--email",
        "rappel-sms--sms",
        "dernier-jour--email",
    ]
    assert "BIENVENUE10 expire demain" in welcome.versions[2].text("subject")
    browse = render_journey(example, "navigation-abandonnee")
    assert [v.key for v in browse.versions] == ["rappel--email", "notification--mobile_push"]


def test_steps_of_one_message_share_its_text_each_at_its_line(make_workspace: Callable) -> None:
    steps = "      - {id: hello, send: email}\n      - {wait: 3d}\n      - {id: again, send: email}"
    journey = JOURNEY.split("    steps:\n")[0] + "    steps:\n" + steps + "\n"
    root = make_workspace({"personas/marie.yaml": PERSONA, "journeys/welcome.yaml": journey})
    hello, again = render_journey(load_workspace(root, discover=False), "welcome").versions
    assert [p.text for p in hello.parts] == [p.text for p in again.parts]
    assert (hello.step, again.step) == ("hello", "again")
    assert [p.where.line for p in hello.parts] == [9] * len(hello.parts)
    assert [p.where.line for p in again.parts] == [11] * len(again.parts)
    assert (_at(again.where()), _at(again.step_location)) == (
        ("journeys/welcome.yaml", 11, 23),
        ("journeys/welcome.yaml", 11, 5),
    )


_KEYS = ("headline", "body", "offer", "code", "cta")
_TEXT = st.text(alphabet="abcdefgh XYZ-%0123456789", min_size=1, max_size=20).map(str.strip)


@given(
    core=st.fixed_dictionaries({"headline": _TEXT}, optional=dict.fromkeys(_KEYS[1:], _TEXT)),
    own=st.dictionaries(st.sampled_from(_KEYS), _TEXT, max_size=5),
)
def test_a_step_reads_its_own_keys_over_the_core_and_says_where(
    core: dict[str, str], own: dict[str, str]
) -> None:
    core = {k: v for k, v in core.items() if v} | {"headline": core["headline"] or "x"}
    own = {k: v for k, v in own.items() if v}
    journey = Journey.model_validate(
        {
            "id": "j",
            "personas": ["marie"],
            "entry": {"event": "signup", "per_week": 1, "from": "2027-01-04"},
            "message": core,
            "steps": [{"id": "s", "send": "sms", **({"message": own} if own else {})}],
        }
    )
    [(path, send)] = journey.sends()
    copy = journey_copy(journey, send, path)
    assert copy.step == "s"
    assert copy.channel_path("sms") == ("steps", 0, "send")
    for key in _KEYS:
        assert getattr(copy.message, key) == own.get(key, core.get(key, ""))
        written = ("steps", 0, "message", key) if key in own else ("message", key)
        assert copy.message_path(key) == written
    assert journey_copy(journey).message == journey.message
    assert journey_copy(journey).step is None
