"""`preview_html`: one self-contained page per campaign, checked as HTML and in headless Chromium.

The browser tests need Chromium (/usr/bin/chromium, or `chromium` on PATH) and the
`playwright` Python package, whose own browser downloads are never used. Without them the
tests are skipped, except under CI (the CI environment variable is set), where they fail.
"""

from __future__ import annotations

from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from browser import Watched
from conftest import BUNDLED_CHANNELS, CAMPAIGN, PERSONA, ROOT
from mcplan import load_workspace
from mcplan.findings import Finding, Level, Location
from mcplan.output.preview import preview_html
from mcplan.output.preview.text import cut, initials, paragraphs, tokens
from mcplan.render.engine import Rendering, render_campaign
from mcplan.workspace import Workspace

if TYPE_CHECKING:
    from playwright.sync_api import Browser


CAMPAIGN_ID = "soldes-hiver-2027"
ALL_CHANNELS = list(BUNDLED_CHANNELS)
HOSTILE_HEADLINE = "<script>alert(1)</script>"
HOSTILE_SMS = "<img src=x onerror=alert(1)>"
ARTIFACTS = ROOT / "tests" / "artifacts"


@pytest.fixture(scope="module")
def example() -> tuple[Workspace, Rendering]:
    workspace = load_workspace(ROOT, discover=False)
    return workspace, render_campaign(workspace, CAMPAIGN_ID, channels=ALL_CHANNELS)


@pytest.fixture(scope="module")
def example_html(example: tuple[Workspace, Rendering]) -> str:
    return preview_html(*example)


@pytest.fixture
def hostile(make_workspace: Callable[[dict[str, str | bytes]], Path]) -> tuple[Workspace, str]:
    """A campaign whose headline and SMS variant are HTML meant to run script."""
    campaign = CAMPAIGN.replace(
        "headline: Les soldes sont là", f"headline: '{HOSTILE_HEADLINE}'"
    ) + (f"    variants: {{sms: '{HOSTILE_SMS}'}}\n")
    root = make_workspace({"personas/marie.yaml": PERSONA, "campaigns/hostile.yaml": campaign})
    workspace = load_workspace(root, discover=False)
    assert workspace.findings == []
    rendering = render_campaign(workspace, "hostile", channels=["email", "sms"])
    assert rendering.findings == []
    return workspace, preview_html(workspace, rendering)


class Tags(HTMLParser):
    """Every start tag of a page, with its attributes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {name: value or "" for name, value in attrs}))


def start_tags(html: str) -> list[tuple[str, dict[str, str]]]:
    parser = Tags()
    parser.feed(html)
    parser.close()
    return parser.tags


def card_html(html: str, channel: str) -> str:
    """The HTML of the first card of ``channel``."""
    cards = html.split("</main>")[0].split('\n<section class="card"')[1:]
    return next(c for c in cards if f'data-channel="{channel}"' in c.split(">")[0])


# -- the page, as HTML ------------------------------------------------------------------------


def test_one_card_per_version_with_its_channel(
    example: tuple[Workspace, Rendering], example_html: str
) -> None:
    _, rendering = example
    assert {v.channel for v in rendering.versions} == set(ALL_CHANNELS)
    cards = [
        attrs
        for tag, attrs in start_tags(example_html)
        if tag == "section" and "card" in attrs.get("class", "").split()
    ]
    assert [(c["data-channel"], c["data-version"]) for c in cards] == [
        (v.channel, v.key) for v in rendering.versions
    ]


def test_page_is_self_contained(example_html: str) -> None:
    tags = start_tags(example_html)
    assert "<script" not in example_html.lower()
    assert "@import" not in example_html
    assert "url(" not in example_html
    for tag, attrs in tags:
        if tag == "a":
            continue  # a campaign link, followed only if the reader clicks it
        for name in ("src", "href", "srcset", "data", "action", "poster"):
            value = attrs.get(name, "").strip().lower()
            assert not value.startswith(("http://", "https://", "//")), (tag, name, value)
        assert tag not in {"script", "object", "embed", "base", "form"}, tag
        if tag == "iframe":  # an e-mail's HTML: inline, with every permission taken away
            assert attrs.get("sandbox") == "", attrs
            assert "src" not in attrs
            assert "srcdoc" in attrs
    metas = {attrs.get("http-equiv", "").lower(): attrs.get("content", "") for t, attrs in tags}
    assert metas["content-security-policy"].startswith("default-src 'none'")
    assert "base-uri 'none'; form-action 'none'" in metas["content-security-policy"]
    assert ("meta", {"charset": "utf-8"}) in tags
    assert ("html", {"lang": "fr"}) in tags


def test_mockup_speaks_the_version_language(example_html: str) -> None:
    mockups = [a for t, a in start_tags(example_html) if "mockup" in a.get("class", "").split()]
    assert len(mockups) == len(ALL_CHANNELS)
    assert {m["lang"] for m in mockups} == {"fr-FR"}


def test_every_channel_family_has_its_mockup(example_html: str) -> None:
    classes = {c for _, a in start_tags(example_html) for c in a.get("class", "").split()}
    for mockup in ("phone", "call", "mail-window", "post", "lock-screen", "desktop", "sheet"):
        assert mockup in classes, mockup
    assert {"poster", "banner", "cta", "bubble", "notification", "full-text"} <= classes


def test_social_caption_is_cut_where_the_network_cuts_it(
    example: tuple[Workspace, Rendering], example_html: str
) -> None:
    workspace, rendering = example
    facebook = next(v for v in rendering.versions if v.channel == "facebook")
    limit = workspace.channels["facebook"].limits.visible_chars
    assert limit is not None
    assert len(facebook.text("caption")) > limit
    card = card_html(example_html, "facebook")
    assert "… plus" in card
    assert '<details class="full-text">' in card
    teaser = card.split('<div class="caption">')[1].split("</div>")[0]
    assert "J'en profite" not in teaser  # past the cut, so only in the full text
    assert "J&#39;en profite" in card.split('<details class="full-text">')[1]


def test_measures_and_checks_are_shown(example_html: str) -> None:
    sms = card_html(example_html, "sms")
    assert "GSM-7" in sms
    assert "Segments" in sms
    facebook = card_html(example_html, "facebook")
    assert '<tr class="fail info">' in facebook  # 237 characters, 125 visible: L104, an info
    assert "(information)" in facebook
    assert "seuls les 125 premiers" in facebook  # the failed check, as a finding
    phone = card_html(example_html, "phone")
    assert "36,4" in phone  # spoken seconds


def test_findings_are_shown_in_their_card_and_template_findings_at_the_top(
    example: tuple[Workspace, Rendering],
) -> None:
    workspace, rendering = example
    where = Location("campaigns/soldes-hiver-2027.yaml", 12, 3)
    lint = Finding(where, "L999", Level.WARNING, "a <b>lint</b> finding", "a hint")
    template = Finding(where, "T102", Level.ERROR, "templates.sms: undefined: 'x' is undefined")
    with_problems = Rendering(rendering.campaign, rendering.versions, [template])
    html = preview_html(workspace, with_problems, findings={"sms": [lint]})
    sms = card_html(html, "sms")
    assert "campaigns/soldes-hiver-2027.yaml:12:3" in sms
    assert "L999" in sms
    assert "a &lt;b&gt;lint&lt;/b&gt; finding" in sms
    header = html.split("<main>")[0]
    assert "T102" in header
    assert "Erreurs de modèle" in header


def test_unknown_channels_get_a_plain_card(
    make_workspace: Callable[[dict[str, str | bytes]], Path],
) -> None:
    kiosk = """
        direction: inbound
        cost_per_contact: 0.01
        rates: {open: 0.5, click: 0.1, conversion: 0.01}
        template: {headline: "{{ m.headline }}", footer: "{{ brand }}"}
    """
    root = make_workspace(
        {
            "personas/marie.yaml": PERSONA,
            "campaigns/soldes.yaml": CAMPAIGN,
            "channel_rules/kiosk.yaml": kiosk,
        }
    )
    workspace = load_workspace(root, discover=False)
    html = preview_html(workspace, render_campaign(workspace, "soldes", channels=["kiosk"]))
    card = card_html(html, "kiosk")
    assert '<div class="plain">' in card
    assert "<h4>headline</h4>" in card  # a part the catalogue does not know keeps its name
    assert "<h4>footer</h4>" in card


def test_hostile_text_is_escaped(hostile: tuple[Workspace, str]) -> None:
    _, html = hostile
    assert HOSTILE_HEADLINE not in html
    assert HOSTILE_SMS not in html
    assert "<script" not in html.lower()
    assert "<img" not in html.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html


def test_same_input_same_bytes(example: tuple[Workspace, Rendering]) -> None:
    workspace, rendering = example
    again = render_campaign(workspace, CAMPAIGN_ID, channels=ALL_CHANNELS)
    assert preview_html(workspace, rendering) == preview_html(workspace, again)


def test_text_helpers() -> None:
    assert [t.kind for t in tokens("Voir https://a.fr/x?y=1. #Soldes !")] == [
        "text",
        "url",
        "text",
        "tag",
        "text",
    ]
    assert tokens("https://a.fr/x).")[0].text == "https://a.fr/x"
    assert [t.kind for t in tokens("javascript:alert(1) ftp://a.fr")] == ["text"]
    assert [len(p) for p in paragraphs("a\nb\n\n\nc")] == [2, 1]
    assert cut("abcdef", 3).shown == "abc"
    assert cut("abcdef", 3).cut
    assert not cut("abc", None).cut
    assert initials("Maison Lumen") == "ML"
    assert initials("") == "?"


# -- the page, in headless Chromium ----------------------------------------------------------


def test_page_in_chromium(browser: Browser, example_html: str, tmp_path: Path) -> None:
    watched = Watched(browser)
    page = watched.open(example_html, tmp_path / "preview.html")
    try:
        for channel in ALL_CHANNELS:
            card = page.locator(f'section.card[data-channel="{channel}"]').first
            assert card.is_visible(), channel
            assert card.locator(".mockup").is_visible(), channel
        assert page.get_by_role("heading", name="Soldes d'hiver 2027").is_visible()
        # The e-mail's HTML as sent, in its sandboxed frame: rendered, the button shown.
        frame = page.frame_locator("iframe.mail-html").first
        assert frame.get_by_text("J'en profite", exact=True).is_visible()
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "preview.png"), full_page=True)
        assert watched.problems == []
    finally:
        page.close()


def test_a_dutch_page_in_chromium(
    browser: Browser, make_workspace: Callable[[dict[str, str | bytes]], Path], tmp_path: Path
) -> None:
    """A Dutch workspace's page: Dutch words that fit where they are shown."""
    root = make_workspace(
        {
            "mcplan.toml": 'locale = "nl-BE"\n',
            "personas/gent.yaml": PERSONA,
            "campaigns/lente.yaml": """
                name: Lente 2027
                brand: Huis Lumen
                personas: [gent]
                message:
                  headline: De lente is begonnen
                  code: LENTE20
                  starts: 2027-03-20
                  ends: 2027-04-18
            """,
        }
    )
    workspace = load_workspace(root, discover=False)
    html = preview_html(workspace, render_campaign(workspace, "lente"))
    watched = Watched(browser)
    page = watched.open(html, tmp_path / "voorbeeld.html")
    try:
        assert page.locator("html").get_attribute("lang") == "nl"
        assert page.get_by_text("Campagnevoorbeeld · Huis Lumen").is_visible()
        assert page.get_by_text("Van 20 maart 2027 tot en met 18 april 2027").is_visible()
        limits = page.get_by_role("heading", name="Limieten van het kanaal")
        assert limits.count() == 2
        assert limits.first.is_visible()
        assert page.get_by_text("Postvak IN").is_visible()
        assert page.get_by_text("Aan: mij").is_visible()
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        cut = page.evaluate(
            """() => [...document.querySelectorAll(
                ".card-head h2, .badge, th, .panel h3, dt, .post-actions span, .media-label"
            )].filter(e => e.scrollWidth > e.clientWidth).map(e => e.textContent)"""
        )
        assert cut == []
        assert watched.problems == []
    finally:
        page.close()


def test_hostile_page_in_chromium(
    browser: Browser, hostile: tuple[Workspace, str], tmp_path: Path
) -> None:
    _, html = hostile
    watched = Watched(browser)
    page = watched.open(html, tmp_path / "hostile.html")
    try:
        assert page.get_by_text(HOSTILE_HEADLINE, exact=True).first.is_visible()
        assert page.get_by_text(HOSTILE_SMS).first.is_visible()
        assert page.locator("script, img").count() == 0
        assert watched.problems == []
    finally:
        page.close()


def test_lint_findings_are_matched_to_their_version_by_what_they_are_about() -> None:
    from mcplan.findings import Location, Subject
    from mcplan.output.preview import findings_by_version

    workspace = load_workspace(ROOT, discover=False)
    rendering = render_campaign(workspace, "soldes-hiver-2027")

    def finding(message: str, **subject: str) -> Finding:
        where = Location("campaigns/x.yaml", 3)
        return Finding(where, "L102", Level.ERROR, message, subject=Subject(**subject))

    about_sms = finding("sms text: 3 SMS", campaign="soldes-hiver-2027", channel="sms", part="text")
    # The same words about another campaign's SMS (the preview used to match message text).
    other_campaign = finding("sms text: 3 SMS", campaign="noel", channel="sms", part="text")
    about_smsx = finding("smsx text: 3", campaign="soldes-hiver-2027", channel="smsx", part="text")
    not_a_text = finding("sms touch", campaign="soldes-hiver-2027", channel="sms")
    other_persona = finding(
        "sms text", campaign="soldes-hiver-2027", channel="sms", persona="paul", part="text"
    )
    found = [about_sms, other_campaign, about_smsx, not_a_text, other_persona]
    assert findings_by_version(found, rendering) == {"sms": [about_sms]}


def test_a_per_persona_card_shows_the_lint_findings_of_its_text(
    make_workspace: Callable, run: Callable, tmp_path: Path
) -> None:
    # A per-persona SMS template without the STOP mention fails C104 for each persona: its
    # card says so, where it used to say "conforme" (the finding did not start with its label).
    root = make_workspace(
        {
            "personas/marie.yaml": PERSONA,
            "campaigns/soldes.yaml": CAMPAIGN
            + """
    touches:
      - {channel: sms, at: 2027-01-14T10:00}
    templates:
      sms: "{{ persona.name }} : les soldes sont là"
""",
        }
    )
    out = tmp_path / "preview.html"
    run("preview", "soldes", "-w", str(root), "--out", str(out))
    card = card_html(out.read_text("utf-8"), "sms")
    assert 'data-version="sms--marie"' in card
    assert "C104" in card
    assert "✓ conforme" not in card
