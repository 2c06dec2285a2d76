"""Which personas a channel's text is for: those its touches go to (issue 27, item 13).

An Italian retailer (it-IT, EUR) whose two personas both list e-mail and SMS; the SMS touch
goes to the loyal customers only, so `render` and `preview` list the SMS for them alone, and
the e-mail, sent to every persona, for both.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

from mcplan import load_workspace
from mcplan.render import render_campaign

SETTINGS = """\
brand = "Bottega Verde"
locale = "it-IT"
timezone = "Europe/Rome"
currency = "EUR"

[email]
sender = "Bottega Verde <novita@bottegaverde.example>"
unsubscribe_url = "{{ unsubscribe }}"
"""
PERSONA = """\
name: {name}
market: b2c
size: {size}
stage: {stage}
channels:
  email: {{reach: 0.9, affinity: 0.6, consent: opt_in}}
  sms: {{reach: 0.7, affinity: 0.7, consent: opt_in}}
"""
CAMPAIGN = """\
name: Saldi estivi
objectives:
  - {kind: sales}
personas: [clienti-fedeli, nuovi-clienti]
message:
  headline: I saldi estivi
  body: Fino al 30 % su una selezione di prodotti.
  offer: "-30 %"
  starts: 2027-07-05
  ends: 2027-07-25
  url: https://bottegaverde.example/saldi
  cta: Scopri i saldi
touches:
  - {channel: email, at: 2027-07-06T09:00}
  - {channel: sms, at: 2027-07-08T10:00, personas: [clienti-fedeli]}
"""


def _workspace(make_workspace: Callable) -> Path:
    return make_workspace(
        {
            "mcplan.toml": SETTINGS,
            "personas/clienti-fedeli.yaml": PERSONA.format(
                name="Clienti fedeli", size=8000, stage="loyalty"
            ),
            "personas/nuovi-clienti.yaml": PERSONA.format(
                name="Nuovi clienti", size=3000, stage="acquisition"
            ),
            "campaigns/saldi-estivi.yaml": CAMPAIGN,
        }
    )


def test_each_channel_s_text_is_for_the_personas_its_touches_go_to(
    make_workspace: Callable,
) -> None:
    root = _workspace(make_workspace)
    versions = render_campaign(load_workspace(root, discover=False), "saldi-estivi").versions
    assert {v.channel: v.personas for v in versions} == {
        "email": ("clienti-fedeli", "nuovi-clienti"),
        "sms": ("clienti-fedeli",),
    }


def test_render_lists_them(make_workspace: Callable, run: Callable) -> None:
    root = _workspace(make_workspace)
    result = run("render", "saldi-estivi", "-w", str(root), "-f", "json")
    assert result.exit_code == 0, result.stderr
    listed = {v["channel"]: v["personas"] for v in json.loads(result.stdout)["versions"]}
    assert listed == {"email": ["clienti-fedeli", "nuovi-clienti"], "sms": ["clienti-fedeli"]}


def test_the_preview_lists_them(make_workspace: Callable, run: Callable, tmp_path: Path) -> None:
    root = _workspace(make_workspace)
    page = tmp_path / "anteprima.html"
    result = run("preview", "saldi-estivi", "-w", str(root), "--out", str(page))
    assert result.exit_code == 0, result.stderr
    html = page.read_text("utf-8")
    audiences = re.findall(r'<p class="audience">\s*(.*?)\s*</p>', html, re.S)
    assert sorted(audiences) == ["Per Clienti fedeli", "Per Clienti fedeli, Nuovi clienti"]


def test_a_persona_the_channel_does_not_reach_is_not_said_to_get_its_template(
    make_workspace: Callable,
) -> None:
    """T105 said an English persona 'gets the channel's template instead' of an untranslated
    SMS variant, though no SMS goes to it."""
    from mcplan import lint

    root = _workspace(make_workspace)
    (root / "personas" / "turisti.yaml").write_text(
        PERSONA.format(name="Tourists", size=500, stage="acquisition")
        + "locale: en-GB\ncountry: IT\n",
        encoding="utf-8",
    )
    campaign = CAMPAIGN.replace(
        "personas: [clienti-fedeli, nuovi-clienti]",
        "personas: [clienti-fedeli, nuovi-clienti, turisti]",
    ) + (
        "variants:\n"
        '  sms: "Bottega Verde: saldi fino al -30 %. bottegaverde.example/saldi STOP SMS al 4848"\n'
        "locales:\n"
        "  en:\n"
        "    message: {headline: The summer sale, body: Up to 30 % off a selection., "
        "cta: See the sale}\n"
    )
    (root / "campaigns" / "saldi-estivi.yaml").write_text(campaign, encoding="utf-8")
    findings = lint(load_workspace(root, discover=False)).findings
    assert [f.message for f in findings if f.rule == "T105"] == []
    versions = render_campaign(load_workspace(root, discover=False), "saldi-estivi").versions
    assert {v.channel: v.personas for v in versions if v.channel == "sms"} == {
        "sms": ("clienti-fedeli",)
    }
