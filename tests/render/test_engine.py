"""Rendering: which versions, from which template parts, with which context."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import CAMPAIGN, PERSONA, ROOT
from mcplan import UsageError, Workspace, load_workspace
from mcplan.render import campaign_channels, render_campaign
from mcplan.render.links import tag


@pytest.fixture
def example() -> Workspace:
    return load_workspace(ROOT, discover=False)


def test_one_version_per_channel_shared_by_the_personas(example: Workspace) -> None:
    result = render_campaign(example, "soldes-hiver-2027")
    assert result.findings == []
    assert [(v.key, v.personas) for v in result.versions] == [
        ("email", ("marie-citadine", "claire-acheteuse-pme")),
        ("sms", ("marie-citadine",)),
        ("instagram", ("marie-citadine",)),
    ]


def test_links_carry_utm_tags_per_channel(example: Workspace) -> None:
    [email] = render_campaign(example, "soldes-hiver-2027", channels=["email"]).versions
    assert email.link == (
        "https://maison-lumen.fr/soldes?utm_source=email&utm_medium=email"
        "&utm_campaign=soldes-hiver-2027"
    )
    assert email.link in email.text("body")


def test_tagging_keeps_other_parameters_and_replaces_utm_ones() -> None:
    url = "https://shop.fr/p?id=3&utm_source=old#top"
    assert tag(url, source="sms", medium="sms", campaign="c") == (
        "https://shop.fr/p?id=3&utm_source=sms&utm_medium=sms&utm_campaign=c#top"
    )
    assert tag("", source="sms", medium="sms", campaign="c") == ""


def test_a_variant_replaces_the_rendered_main_part(example: Workspace) -> None:
    [sms] = render_campaign(example, "soldes-hiver-2027", channels=["sms"]).versions
    [part] = sms.parts
    assert (part.name, part.origin) == ("text", "variant")
    assert part.text.startswith("Maison Lumen : -40 % avec HIVER40")


def test_templates_using_persona_render_once_per_persona(make_workspace: Callable) -> None:
    root = make_workspace(
        {
            "personas/marie.yaml": PERSONA + "    name: Marie\n",
            "personas/paul.yaml": PERSONA + "    name: Paul\n",
            "campaigns/c.yaml": CAMPAIGN.replace("[marie]", "[marie, paul]")
            + "    channels: [sms]\n    templates:\n"
            + "      sms: 'Bonjour {{ persona.name }}, {{ m.headline }} STOP au 36111'\n",
        }
    )
    versions = render_campaign(load_workspace(root), "c").versions
    assert [(v.key, v.text("text")) for v in versions] == [
        ("sms--marie", "Bonjour Marie, Les soldes sont là STOP au 36111"),
        ("sms--paul", "Bonjour Paul, Les soldes sont là STOP au 36111"),
    ]


def test_a_version_per_persona_is_the_one_rendered_for_that_persona_alone(
    example: Workspace,
) -> None:
    """Templates that read nothing of the persona are rendered once and shared: each
    persona's version is exactly what rendering for it alone gives."""
    both = ["marie-citadine", "claire-acheteuse-pme"]
    together = render_campaign(example, "soldes-hiver-2027", channels=["email"], personas=both)
    for version in together.versions:
        [alone] = render_campaign(
            example, "soldes-hiver-2027", channels=["email"], personas=[version.persona or ""]
        ).versions
        assert version == alone
    assert [v.persona for v in together.versions] == both


def test_personas_with_different_locales_get_their_own_version(make_workspace: Callable) -> None:
    root = make_workspace(
        {
            "personas/marie.yaml": PERSONA,
            "personas/emma.yaml": PERSONA + "    locale: en-GB\n",
            "campaigns/c.yaml": CAMPAIGN.replace("[marie]", "[marie, emma]")
            + "    channels: [sms]\n    templates:\n      sms: 'Jusqu’au {{ m.ends | date }}'\n"
            + "    locales:\n      en:\n        message: {headline: Sale}\n"
            + "        templates: {sms: 'Until {{ m.ends | date }}'}\n",
        }
    )
    versions = render_campaign(load_workspace(root), "c").versions
    assert [(v.key, v.locale, v.text("text")) for v in versions] == [
        ("sms--marie", "fr-FR", "Jusqu’au 9 février 2027"),
        ("sms--emma", "en-GB", "Until 9 February 2027"),
    ]


def test_a_campaign_template_replaces_one_part_only(make_workspace: Callable) -> None:
    root = make_workspace(
        {
            "personas/marie.yaml": PERSONA,
            "campaigns/c.yaml": CAMPAIGN
            + "    channels: [email]\n    templates:\n"
            + "      email: {subject: 'Vite : {{ m.headline }}'}\n",
        }
    )
    [email] = render_campaign(load_workspace(root), "c").versions
    assert email.text("subject") == "Vite : Les soldes sont là"
    assert "Désinscrivez-vous" in email.text("body")  # the bundled body is kept


def test_extra_message_keys_reach_templates(make_workspace: Callable) -> None:
    root = make_workspace(
        {
            "personas/marie.yaml": PERSONA,
            "campaigns/c.yaml": CAMPAIGN
            + "      discount: -0.4\n      price_now: 29.9\n"
            + "    channels: [email]\n    templates:\n"
            + "      email: {subject: '{{ m.discount | percent }} : {{ m.price_now | money }}'}\n",
        }
    )
    [email] = render_campaign(load_workspace(root), "c").versions
    assert email.text("subject") == "-40\u00a0% : 29,90\u00a0€"


def test_gsm_filter_changes_are_reported_on_the_version(make_workspace: Callable) -> None:
    root = make_workspace(
        {
            "personas/marie.yaml": PERSONA,
            "campaigns/c.yaml": CAMPAIGN.replace("Les soldes sont là", "L’été arrive")
            + "    channels: [sms]\n",
        }
    )
    [sms] = render_campaign(load_workspace(root), "c").versions
    assert sms.gsm_changes == (("’", "'", 1),)
    assert sms.parts[0].measures.sms is not None
    assert sms.parts[0].measures.sms.encoding == "GSM-7"


def test_limits_are_checked(example: Workspace) -> None:
    [push] = render_campaign(example, "soldes-hiver-2027", channels=["mobile_push"]).versions
    checks = {(c.limit, c.part): (c.actual, c.allowed, c.ok) for c in push.checks}
    assert checks[("max_chars", "body")] == (73, 160, True)
    assert checks[("visible_chars", "body")] == (73, 49, False)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (
            {"campaign_id": "soldes-hivers-2027"},
            "unknown campaign 'soldes-hivers-2027' (did you mean",
        ),
        ({"channels": ["smss"]}, "unknown channel 'smss' (did you mean 'sms'?)"),
        ({"personas": ["marie"]}, "unknown persona 'marie' (did you mean 'marie-citadine'?)"),
    ],
)
def test_unknown_ids_are_usage_errors(example: Workspace, kwargs: dict, message: str) -> None:
    arguments = {"campaign_id": "soldes-hiver-2027", **kwargs}
    with pytest.raises(UsageError, match=re.escape(message)):
        render_campaign(example, **arguments)


def test_channels_default_to_the_personas_when_the_plan_is_not_made(
    make_workspace: Callable,
) -> None:
    root = make_workspace({"personas/marie.yaml": PERSONA, "campaigns/c.yaml": CAMPAIGN})
    workspace = load_workspace(root)
    assert campaign_channels(workspace, workspace.campaigns["c"]) == ["email", "sms"]


def test_rendering_is_deterministic(example: Workspace, tmp_path: Path) -> None:
    first = render_campaign(example, "retour-printemps-2027")
    again = render_campaign(load_workspace(ROOT, discover=False), "retour-printemps-2027")
    assert first.versions == again.versions
