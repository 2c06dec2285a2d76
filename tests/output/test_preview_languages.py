"""`preview_html` in the reader's language: the page speaks the workspace's, each mockup its
version's, and the findings keep their rules' English.

Every workspace here is written in a tmp folder; the assertions are on the page's text.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from string import Formatter

import pytest
from babel.dates import format_date

from conftest import ROOT
from mcplan import load_workspace
from mcplan.findings import Finding, Level, Location
from mcplan.output.preview import cards, preview_html
from mcplan.render import limits
from mcplan.render.engine import render_campaign
from mcplan.words import LANGUAGES, catalogue

PAGE = {language: catalogue(language)["page"] for language in LANGUAGES}
APP = {language: catalogue(language)["app"] for language in LANGUAGES}

MakeWorkspace = Callable[[dict[str, str | bytes]], Path]

# Words of the French interface that no other language's page may show.
FRENCH = (
    "Aperçu",
    "Accroche",
    "Limites du canal",
    "Constats",
    "Lien suivi",
    "Mesures",
    "Partie",
    "hors limites",
    "texte commun",
    "Boîte de réception",
    "Courrier adressé",
    "caractères",
    " du ",
)

PERSONA = """
    name: {name}
    market: b2c
    size: 1000
    stage: loyalty
    {locale}
    channels:
      email: {{reach: 0.9, affinity: 0.5, consent: opt_in}}
      sms: {{reach: 0.7, affinity: 0.8, consent: opt_in}}
      mail: {{reach: 0.9, affinity: 0.4}}
"""


def persona(name: str, locale: str = "") -> str:
    return PERSONA.format(name=name, locale=f"locale: {locale}" if locale else "")


def campaign(
    headline: str,
    *,
    personas: str = "reader",
    channels: str = "email, sms, mail",
    starts: str = "2027-01-13",
    more: str = "",
) -> str:
    return (
        f"""
        brand: Lumen
        personas: [{personas}]
        channels: [{channels}]
        message:
          headline: {headline}
          starts: {starts}
          ends: 2027-02-09
        touches:
          - {{channel: sms, at: 2027-01-14T10:00}}
    """
        + more
    )


def page(
    make_workspace: MakeWorkspace, locale: str, headline: str, *, starts: str = "2027-01-13"
) -> str:
    """The page of a campaign written in the language of a workspace in ``locale``."""
    root = make_workspace(
        {
            "mcplan.toml": f'locale = "{locale}"\n',
            "personas/reader.yaml": persona("Reader"),
            "campaigns/c.yaml": campaign(headline, starts=starts),
        }
    )
    workspace = load_workspace(root, discover=False)
    assert workspace.findings == []
    rendering = render_campaign(workspace, "c")
    assert rendering.findings == []
    return preview_html(workspace, rendering)


def card_of(html: str, version: str) -> str:
    """The HTML of the card of a version (by its key)."""
    cards_html = html.split("</main>")[0].split('\n<section class="card"')[1:]
    return next(c for c in cards_html if f'data-version="{version}"' in c.split(">")[0])


def mockup(card: str) -> str:
    return card.split('<aside class="panel">')[0]


def panel(card: str) -> str:
    return card.split('<aside class="panel">')[1]


def untranslated(html: str) -> list[str]:
    return [word for word in FRENCH if word in html.split("</style>")[1]]


# -- the catalogue ----------------------------------------------------------------------------


@pytest.mark.parametrize("catalogue", [PAGE, APP], ids=["page", "app"])
def test_every_language_has_every_key(catalogue: dict[str, dict[str, str]]) -> None:
    assert set(catalogue) == {"fr", "en", "nl", "de", "es", "it"} == set(LANGUAGES)
    keys = set(catalogue["en"])
    for language, words in catalogue.items():
        assert set(words) == keys, (language, set(words) ^ keys)
        assert all(text.strip() for text in words.values()), language


def test_every_translation_fills_the_same_placeholders() -> None:
    def fields(text: str) -> set[str]:
        return {name for _, name, _, _ in Formatter().parse(text) if name}

    for key, english in PAGE["en"].items():
        for language, words in PAGE.items():
            assert fields(words[key]) == fields(english), (language, key)


def test_every_channel_limit_has_a_label_and_a_sentence() -> None:
    assert set(cards._LIMITS) == set(limits._UNITS) | {"visible_chars"}
    for limit in cards._LIMITS:
        assert f"limit_{limit}" in PAGE["en"]
        assert f"over_{limit}" in PAGE["en"]


def test_every_app_day_pattern_is_a_date_pattern() -> None:
    for language, words in APP.items():
        assert "14" in format_date(date(2027, 1, 14), words["day"], language), language


# -- the page follows the workspace's language --------------------------------------------------


def test_an_english_workspace_gets_an_english_page(make_workspace: MakeWorkspace) -> None:
    html = page(make_workspace, "en-IE", "The winter sale is on")
    assert '<html lang="en">' in html
    assert "<title>Preview · c</title>" in html
    assert "Campaign preview · Lumen" in html
    assert "From 13 January 2027 to 9 February 2027" in html
    for label in ("Headline", "Measures", "Characters", "Channel limits", "Findings"):
        assert f">{label}<" in html, label
    assert "No findings." in html
    assert "Tracked link" in html
    assert "For Reader" in html
    assert "shared text" in html
    assert "✓ passes" in html
    assert "<h2>Direct mail</h2>" in html  # the bundled channel's name, in English
    assert '<td class="num">3,000</td>' in html  # the letter's limit, written the English way
    assert "Preview made by mcplan" in html
    assert untranslated(html) == []
    sms = card_of(html, "sms")
    assert "Text message · Thursday 14 January 10:00" in mockup(sms)
    assert "Encoding" in panel(sms)


def test_a_dutch_workspace_gets_a_dutch_page(make_workspace: MakeWorkspace) -> None:
    html = page(make_workspace, "nl-BE", "De wintersolden zijn begonnen")
    assert '<html lang="nl">' in html
    assert "Campagnevoorbeeld · Lumen" in html
    assert "Van 13 januari 2027 tot en met 9 februari 2027" in html
    for label in ("Kop", "Metingen", "Tekens", "Woorden", "Limieten van het kanaal"):
        assert f">{label}<" in html, label
    assert ">Bevindingen<" in html
    assert "Geen bevindingen." in html
    assert "Trackinglink" in html
    assert "Voor Reader" in html
    assert "gedeelde tekst" in html
    assert "✓ in orde" in html
    assert "<h2>Geadresseerde post</h2>" in html
    assert '<td class="num">3.000</td>' in html
    assert untranslated(html) == []
    email = mockup(card_of(html, "email"))
    assert "<span>Postvak IN</span>" in email
    assert "Aan: mij" in email
    sms = card_of(html, "sms")
    assert "Sms · donderdag 14 januari 10:00" in mockup(sms)
    assert "<dt>Codering</dt>" in panel(sms)
    assert "septetten" in panel(sms)


def test_a_german_workspace_gets_a_german_page(make_workspace: MakeWorkspace) -> None:
    html = page(make_workspace, "de-DE", "Der Winterschlussverkauf ist da")
    assert '<html lang="de">' in html
    assert "Kampagnenvorschau · Lumen" in html
    assert "Vom 13. Januar 2027 bis zum 9. Februar 2027" in html
    for label in ("Schlagzeile", "Messwerte", "Zeichen", "Wörter", "Grenzwerte des Kanals"):
        assert f">{label}<" in html, label
    assert "Keine Befunde." in html
    assert "Tracking-Link" in html
    assert "Für Reader" in html
    assert "✓ in Ordnung" in html
    assert "<h2>Adressiertes Mailing</h2>" in html
    assert '<td class="num">3.000</td>' in html
    assert untranslated(html) == []
    email = mockup(card_of(html, "email"))
    assert "<span>Posteingang</span>" in email
    assert "An: mich" in email
    assert "SMS · Donnerstag, 14. Januar 10:00" in mockup(card_of(html, "sms"))


@pytest.mark.parametrize(
    ("locale", "headline", "starts", "dates", "labels"),
    [
        (
            "es-ES",
            "Llegan las rebajas",
            "2027-01-13",
            "Del 13 de enero de 2027 al 9 de febrero de 2027",
            ("Titular", "Medidas", "Límites del canal", "Hallazgos"),
        ),
        (
            "it-IT",
            "Arrivano i saldi",
            "2027-01-08",
            "Dall&#39;8 gennaio 2027 al 9 febbraio 2027",  # the article elided before "8"
            ("Titolo", "Misure", "Limiti del canale", "Rilievi"),
        ),
    ],
)
def test_spanish_and_italian_workspaces_get_their_page(
    make_workspace: MakeWorkspace,
    locale: str,
    headline: str,
    starts: str,
    dates: str,
    labels: tuple[str, ...],
) -> None:
    html = page(make_workspace, locale, headline, starts=starts)
    assert f'<html lang="{locale[:2]}">' in html
    assert dates in html
    for label in labels:
        assert f">{label}<" in html, label
    assert untranslated(html) == []


def test_a_language_without_a_catalogue_reads_english(make_workspace: MakeWorkspace) -> None:
    # Polish: no catalogue, and no bundled template; the workspace writes its own SMS.
    root = make_workspace(
        {
            "mcplan.toml": 'locale = "pl-PL"\ntimezone = "Europe/Warsaw"\n',
            "channel_rules/sms.yaml": "extends: sms\ntemplate: '{{ m.headline }}. STOP 8080'\n",
            "personas/reader.yaml": persona("Czytelnik"),
            "campaigns/c.yaml": campaign("Wyprzedaż zimowa", channels="sms"),
        }
    )
    workspace = load_workspace(root, discover=False)
    rendering = render_campaign(workspace, "c")
    assert [v.locale for v in rendering.versions] == ["pl-PL"]
    html = preview_html(workspace, rendering)
    assert '<html lang="en">' in html
    assert "Campaign preview" in html
    assert "From 13 January 2027 to 9 February 2027" in html
    sms = mockup(card_of(html, "sms"))
    assert "Text message · czwartek 14 stycznia 10:00" in sms  # English words, Polish day
    assert "Wyprzedaż zimowa. STOP 8080" in sms


def test_the_french_example_keeps_its_french_page() -> None:
    workspace = load_workspace(ROOT, discover=False)
    html = preview_html(workspace, render_campaign(workspace, "soldes-hiver-2027"))
    assert '<html lang="fr">' in html
    assert "Aperçu de campagne · Maison Lumen" in html
    assert "du 13 janvier 2027 au 9 février 2027" in html
    assert "Limites du canal" in html
    assert "<span>Boîte de réception</span>" in html


# -- the mockups follow each version's language ------------------------------------------------


def test_a_dutch_persona_has_dutch_mockups_in_a_french_page(make_workspace: MakeWorkspace) -> None:
    root = make_workspace(
        {
            "mcplan.toml": 'locale = "fr-BE"\ntimezone = "Europe/Brussels"\n',
            "personas/bruxelles.yaml": persona("Cyclistes de Bruxelles"),
            "personas/gent.yaml": persona("Fietsers in Gent", "nl-BE"),
            "campaigns/c.yaml": campaign(
                "Le printemps se vit à vélo",
                personas="bruxelles, gent",
                channels="email, sms",
                more="""
        locales:
          nl: {message: {headline: De lente beleef je op de fiets}}
""",
            ),
        }
    )
    workspace = load_workspace(root, discover=False)
    assert workspace.findings == []
    rendering = render_campaign(workspace, "c")
    html = preview_html(workspace, rendering)
    assert '<html lang="fr">' in html
    assert "Aperçu de campagne" in html

    gent = card_of(html, "email--gent")
    assert 'lang="nl-BE"' in mockup(gent)
    assert "<span>Postvak IN</span>" in mockup(gent)
    assert "Aan: mij" in mockup(gent)
    assert "De lente beleef je op de fiets" in mockup(gent)
    assert "Boîte de réception" not in gent
    assert "Pour Fietsers in Gent" in gent  # the page's own words stay French
    assert ">Mesures<" in panel(gent)
    assert ">Limites du canal<" in panel(gent)

    bruxelles = card_of(html, "email--bruxelles")
    assert "<span>Boîte de réception</span>" in mockup(bruxelles)
    assert "À : moi" in mockup(bruxelles)

    sms = card_of(html, "sms--gent")
    assert "Sms · donderdag 14 januari 10:00" in mockup(sms)
    assert "<dt>Encodage</dt>" in panel(sms)


# -- findings keep the rules' words ---------------------------------------------------------------


def test_findings_are_not_translated(make_workspace: MakeWorkspace) -> None:
    root = make_workspace(
        {
            "mcplan.toml": 'locale = "nl-BE"\n',
            "personas/reader.yaml": persona("Reader"),
            "campaigns/c.yaml": campaign("De wintersolden zijn begonnen"),
        }
    )
    workspace = load_workspace(root, discover=False)
    rendering = render_campaign(workspace, "c")
    where = Location("campaigns/c.yaml", 4, 3)
    finding = Finding(where, "L102", Level.ERROR, "sms text: 3 SMS segments (limit 2)", "shorten")
    html = preview_html(workspace, rendering, findings={"sms": [finding]})
    sms = panel(card_of(html, "sms"))
    assert "sms text: 3 SMS segments (limit 2)" in sms
    assert '<span class="hint">shorten</span>' in sms
    assert ">Bevindingen<" in sms
    assert "✗ niet in orde" in card_of(html, "sms")
