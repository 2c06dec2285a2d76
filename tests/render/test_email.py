"""E-mail as it is sent: the HTML part (MJML compiled by mrml), the .eml with both parts, its
sender and its unsubscribe headers."""

from __future__ import annotations

import email
import functools
import json
from collections.abc import Callable
from dataclasses import replace
from email.policy import default
from pathlib import Path
from typing import Any

import html5lib
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import CAMPAIGN, PERSONA, ROOT
from mcplan import load_workspace
from mcplan.output.eml import eml, payload
from mcplan.render import render_campaign
from mcplan.render.email import html_email
from mcplan.render.engine import Version
from mcplan.workspace import Workspace

SETTINGS = """
brand = "Huis Lumen"
locale = "nl-BE"

[email]
sender = "Huis Lumen <nieuws@huislumen.be>"
reply_to = "Klantendienst <hallo@huislumen.be>"
unsubscribe_url = "{{ unsubscribe_url }}"
unsubscribe_mailto = "uitschrijven@huislumen.be"
color = "#0F766E"
logo = "https://huislumen.be/logo.png"
"""


LENTE = """
personas: [marie]
message: {headline: De lente, starts: 2027-03-01, ends: 2027-03-31, url: https://huislumen.be/lente}
touches:
  - {channel: email, at: 2027-03-02T10:00}
"""


def _email(workspace: Workspace, campaign: str) -> tuple[Version, object]:
    rendering = render_campaign(workspace, campaign)
    version = next(v for v in rendering.versions if v.channel == "email")
    return version, rendering.campaign


@pytest.fixture
def belgian(make_workspace: Callable[[dict[str, str | bytes]], Path]) -> Workspace:
    root = make_workspace(
        {
            "mcplan.toml": SETTINGS,
            "personas/marie.yaml": PERSONA,
            "campaigns/soldes.yaml": CAMPAIGN,
            "campaigns/lente.yaml": LENTE,
        }
    )
    return load_workspace(root, discover=False)


def test_the_html_is_valid_responsive_and_speaks_the_reader_s_language(
    belgian: Workspace,
) -> None:
    version, campaign = _email(belgian, "soldes")
    page = html_email(version, campaign, belgian)  # type: ignore[arg-type]
    html5lib.HTMLParser(strict=True).parse(page)  # raises on any parse error
    assert page.lower().startswith("<!doctype html>")
    assert '<html lang="nl-BE"' in page
    assert '<meta name="color-scheme" content="light dark">' in page
    assert "prefers-color-scheme: dark" in page
    assert 'src="https://huislumen.be/logo.png"' in page
    assert 'alt="Maison Lumen"' in page  # the campaign's brand
    assert "#0f766e" in page  # the brand's colour, on the button
    assert "max-width:600px" in page.replace(" ", "")
    assert ">Uitschrijven</a>" in page
    assert 'href="{{ unsubscribe_url }}"' in page  # the platform's merge tag, as written
    assert "fonts.googleapis" not in page  # nothing is loaded from elsewhere
    assert page == html_email(version, campaign, belgian)  # type: ignore[arg-type]


def test_the_preheader_is_the_hidden_preview_text() -> None:
    workspace = load_workspace(ROOT, discover=False)
    version, campaign = _email(workspace, "soldes-hiver-2027")
    page = html_email(version, campaign, workspace)  # type: ignore[arg-type]
    preheader = version.text("preheader")
    assert preheader
    start = page.index(preheader)
    assert "display:none" in page[start - 300 : start].replace(" ", "")


def test_the_eml_has_both_parts_the_sender_and_one_click_unsubscribe(
    belgian: Workspace,
) -> None:
    version, campaign = _email(belgian, "soldes")
    data = eml(version, campaign, belgian)  # type: ignore[arg-type]
    message = email.message_from_bytes(data, policy=default)
    assert message["From"] == "Huis Lumen <nieuws@huislumen.be>"
    assert message["Reply-To"] == "Klantendienst <hallo@huislumen.be>"
    assert message["List-Unsubscribe"] == (
        "<mailto:uitschrijven@huislumen.be>, <{{ unsubscribe_url }}>"
    )
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    kinds = [part.get_content_type() for part in message.walk()]
    assert kinds == ["multipart/alternative", "text/plain", "text/html"]
    assert data == eml(version, campaign, belgian)  # type: ignore[arg-type]


def test_without_email_settings_the_eml_is_a_preview_without_headers(
    make_workspace: Callable[[dict[str, str | bytes]], Path],
) -> None:
    root = make_workspace({"personas/marie.yaml": PERSONA, "campaigns/soldes.yaml": CAMPAIGN})
    workspace = load_workspace(root, discover=False)
    version, campaign = _email(workspace, "soldes")
    message = email.message_from_bytes(
        eml(version, campaign, workspace),
        policy=default,  # type: ignore[arg-type]
    )
    assert message["From"] == "Maison Lumen <no-reply@example.invalid>"  # no link: no domain
    assert message["List-Unsubscribe"] is None
    assert message["List-Unsubscribe-Post"] is None


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("sender", '"Huis Lumen"', "is not a sender"),
        ("color", '"teal"', "is not a colour"),
        ("logo", '"http//x"', "logo"),
    ],
)
def test_bad_email_settings_are_findings(
    make_workspace: Callable[[dict[str, str | bytes]], Path], key: str, value: str, message: str
) -> None:
    root = make_workspace(
        {"mcplan.toml": f"[email]\n{key} = {value}\n", "personas/marie.yaml": PERSONA}
    )
    workspace = load_workspace(root, discover=False)
    assert any(message in f.message for f in workspace.findings), workspace.findings


def test_the_payload_has_what_a_platform_s_api_needs(belgian: Workspace) -> None:
    version, campaign = _email(belgian, "lente")
    data = json.loads(payload(version, campaign, belgian))  # type: ignore[arg-type]
    assert data["from"] == "Huis Lumen <nieuws@huislumen.be>"
    assert data["subject"] == version.text("subject")
    assert data["html"] == html_email(version, campaign, belgian)  # type: ignore[arg-type]
    assert data["unsubscribe"] == {
        "url": "{{ unsubscribe_url }}", "mailto": "uitschrijven@huislumen.be"
    }  # fmt: skip
    # 10:00 in the persona's zone (the settings' default, Europe/Paris) is 09:00 UTC in winter.
    assert data["sends"] == [{"segment": "marie", "at": "2027-03-02T09:00:00Z"}]


_NOT_TEXT = "\x01\x07\x0b\x0c\x1b\x7f\x85\ufdd0\ufffe\uffff\U0001fffe"


def test_a_character_that_is_not_text_is_left_out_of_the_html_the_eml_and_the_send(
    make_workspace: Callable[[dict[str, str | bytes]], Path],
) -> None:
    headline = json.dumps("De\x01 lente\ufffe\x1b[2J")  # YAML reads JSON's escapes
    lente = LENTE.replace("headline: De lente", f"headline: {headline}, cta: {headline}")
    root = make_workspace(
        {"mcplan.toml": SETTINGS, "personas/marie.yaml": PERSONA, "campaigns/lente.yaml": lente}
    )
    workspace = load_workspace(root, discover=False)
    version, campaign = _email(workspace, "lente")
    page = html_email(version, campaign, workspace)  # type: ignore[arg-type]
    html5lib.HTMLParser(strict=True).parse(page)
    assert "De lente" in page  # the button, without what was in it
    assert not set(_NOT_TEXT) & set(page)
    message = email.message_from_bytes(eml(version, campaign, workspace), policy=default)  # type: ignore[arg-type]
    assert str(message["Subject"]).startswith("De lente")
    for part in message.walk():
        if not part.is_multipart():
            assert not set(_NOT_TEXT) & set(part.get_content())
    data = json.loads(payload(version, campaign, workspace))  # type: ignore[arg-type]
    assert not set(_NOT_TEXT) & set(data["subject"] + data["preheader"] + data["text"])


@functools.cache
def _example_email() -> tuple[Workspace, Version, Any]:
    workspace = load_workspace(ROOT, discover=False)
    return workspace, *_email(workspace, "soldes-hiver-2027")


@settings(max_examples=150, deadline=None)
@given(text=st.text(max_size=60), more=st.sampled_from(["", *_NOT_TEXT, "<![CDATA[", "€>"]))
def test_any_text_gives_valid_html_through_the_bundled_layout(text: str, more: str) -> None:
    workspace, version, campaign = _example_email()
    copy = text + more
    message = campaign.message.model_copy(update={"cta": copy or None})  # type: ignore[attr-defined]
    campaign = campaign.model_copy(update={"message": message, "brand": copy})  # type: ignore[attr-defined]
    parts = tuple(replace(p, text=copy + p.text) for p in version.parts)
    page = html_email(replace(version, parts=parts), campaign, workspace)  # type: ignore[arg-type]
    html5lib.HTMLParser(strict=True).parse(page)
    assert not set(_NOT_TEXT) & set(page)
