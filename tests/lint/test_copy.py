"""Copy in its readers' language, saying only what the message has (M106, M107, C104).

A UK B2B software firm (en-GB) and an Italian retailer (it-IT) reproduce issue 27: an en-GB
campaign with a French SMS and a French e-mail body got only M103; an Italian SMS with "Reply
STOP to opt out" passed C104; a webinar's SMS said "until 18 March" and "this offer".
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import WORKSPACES, planted
from mcplan import lint, load_workspace
from mcplan.lint.language import foreign, language_of

COPY = WORKSPACES / "copy"
REGIONS = {"fr": "FR", "en": "GB", "nl": "BE", "de": "DE", "es": "ES", "it": "IT"}


@pytest.mark.parametrize("workspace", ["ledgerly", "casa-verde"])
def test_planted_problems_are_reported_by_code_on_their_lines(workspace: str) -> None:
    root = COPY / workspace / "planted"
    findings = lint(load_workspace(root, discover=False)).findings
    assert {(f.location.file, f.location.line, f.rule) for f in findings} == planted(root)


@pytest.mark.parametrize("workspace", ["ledgerly", "casa-verde"])
def test_the_clean_twin_has_no_finding(workspace: str, run: Callable) -> None:
    result = run("lint", "-w", str(COPY / workspace / "clean"), "--fail-level", "info")
    assert result.exit_code == 0, result.stdout
    assert "no findings" in result.stderr


def test_a_french_sms_to_english_readers_says_so_with_its_line(run: Callable) -> None:
    root = COPY / "ledgerly" / "planted"
    result = run("lint", "-w", str(root), "-f", "concise")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert (
        "campaigns/mtd-webinar.yaml:13:3: error M107 sms text is in French, and its readers "
        "read English (en-GB): 'Ledgerly : notre webinaire gratuit sur Making Tax Digital a "
        "lieu le 18 mars. Ins…'"
    ) in [line.split("planted/", 1)[-1] for line in lines]


def test_an_english_opt_out_in_an_italian_sms_is_no_opt_out(run: Callable) -> None:
    root = COPY / "casa-verde" / "planted"
    result = run("lint", "-w", str(root), "-f", "concise")
    assert result.exit_code == 1
    assert (
        "campaigns/collezione.yaml:14:3: error C104 sms text: the mandatory mention "
        "/\\bSTOP\\b/ is in English, and its readers read Italian (it-IT): 'Reply STOP to "
        "opt out'"
    ) in [line.split("planted/", 1)[-1] for line in result.stdout.splitlines()]


# A clean twin in each bundled language: hand-written SMS and e-mail copy of real length, its
# mandatory mentions in the language, a headline and body in it too.
COPY_IN = {
    "fr": (
        "Le printemps se vit à vélo",
        "Des vélos de ville légers, pensés pour vos trajets de tous les jours.",
        "Velocita : notre nouvelle collection de vélos de ville arrive en magasin ce "
        "printemps. Découvrez-la sur velocita.eu/printemps STOP au 36111",
        "Des vélos légers, des couleurs fraîches et des accessoires pensés pour vos trajets : "
        "la collection de printemps vous attend en magasin et sur "
        "https://velocita.eu/printemps. Se désinscrire : {{ unsubscribe }}",
    ),
    "en": (
        "Spring on two wheels",
        "Light city bikes, designed for the way you get around every day.",
        "Velocita: our new range of city bikes arrives in store this spring. See it at "
        "velocita.eu/printemps Reply STOP to opt out",
        "Light frames, fresh colours and accessories made for your daily ride: the spring "
        "range is waiting for you in store and at https://velocita.eu/printemps. "
        "Unsubscribe: {{ unsubscribe }}",
    ),
    "nl": (
        "De lente beleef je op de fiets",
        "Lichte stadsfietsen, gemaakt voor uw dagelijkse ritten.",
        "Velocita: onze nieuwe collectie stadsfietsen ligt deze lente in de winkel. Bekijk "
        "ze op velocita.eu/printemps Stop? Sms STOP naar 3010",
        "Lichte frames, frisse kleuren en accessoires voor uw dagelijkse rit: de "
        "lentecollectie wacht op u in de winkel en op https://velocita.eu/printemps. "
        "Afmelden: {{ unsubscribe }}",
    ),
    "de": (
        "Frühling erlebt man auf dem Rad",
        "Leichte Stadträder, gemacht für Ihre täglichen Wege.",
        "Velocita: Unsere neue Kollektion an Stadträdern ist diesen Frühling im Laden. "
        "Ansehen unter velocita.eu/printemps Abmelden: STOP an 12345",
        "Leichte Rahmen, frische Farben und Zubehör für Ihre tägliche Fahrt: Die "
        "Frühlingskollektion wartet im Laden und unter https://velocita.eu/printemps auf "
        "Sie. Vom Newsletter abmelden: {{ unsubscribe }}",
    ),
    "es": (
        "La primavera se vive en bici",
        "Bicis urbanas ligeras, pensadas para tus trayectos de cada día.",
        "Velocita: nuestra nueva gama de bicis urbanas llega a la tienda esta primavera. "
        "Te esperamos en velocita.eu/printemps Baja gratis: STOP al 25111",
        "Cuadros ligeros, colores frescos y accesorios pensados para tu día a día: la "
        "colección de primavera te espera en la tienda y en https://velocita.eu/printemps. "
        "Darte de baja: {{ unsubscribe }}",
    ),
    "it": (
        "La primavera si vive in bici",
        "Bici da città leggere, pensate per i tuoi spostamenti di ogni giorno.",
        "Velocita: la nuova collezione di bici da città arriva in negozio questa "
        "primavera. Scoprila su velocita.eu/printemps Per disiscriverti invia STOP al 43111",
        "Telai leggeri, colori freschi e accessori pensati per i tuoi spostamenti: la "
        "collezione di primavera ti aspetta in negozio e su https://velocita.eu/printemps. "
        "Disiscriviti: {{ unsubscribe }}",
    ),
}


def _twin(language: str, make_workspace: Callable) -> Path:
    headline, body, sms, email = COPY_IN[language]
    channels = ("email", "sms", "web_push", "store")
    held = "".join(f"  {c}: {{reach: 0.7, affinity: 0.6, consent: opt_in}}\n" for c in channels)
    nation = "country: GB-ENG\n" if REGIONS[language] == "GB" else ""
    return make_workspace(
        {
            "mcplan.toml": f'brand = "Velocita"\nlocale = "{language}-{REGIONS[language]}"\n'
            '[email]\nsender = "Velocita <info@velocita.eu>"\n'
            'unsubscribe_url = "{{ unsubscribe }}"\n',
            "personas/p.yaml": f"market: b2c\nsize: 5000\nstage: loyalty\n{nation}"
            f"channels:\n{held}",
            "campaigns/printemps.yaml": f"personas: [p]\nchannels: [{', '.join(channels)}]\n"
            f"message:\n  kind: launch\n  headline: {headline}\n  body: {body}\n"
            "  starts: 2028-04-03\n  ends: 2028-04-30\n"
            "  url: https://velocita.eu/printemps\n"
            f"variants:\n  sms: {sms!r}\n  email:\n    body: {email!r}\n",
        }
    )


@pytest.mark.parametrize("language", sorted(COPY_IN))
def test_a_clean_twin_in_each_bundled_language_has_no_finding(
    language: str, make_workspace: Callable
) -> None:
    findings = lint(load_workspace(_twin(language, make_workspace))).findings
    assert [str(f) for f in findings] == []


@pytest.mark.parametrize("language", sorted(COPY_IN))
def test_the_same_copy_to_readers_of_another_language_is_reported(
    language: str, make_workspace: Callable
) -> None:
    """The twin's copy, read by a persona of the next language (a translation of the
    headline and body for it, the variants left as they are)."""
    languages = sorted(COPY_IN)
    other = languages[(languages.index(language) + 1) % len(languages)]
    root = _twin(language, make_workspace)
    (root / "personas" / "p.yaml").write_text(
        (root / "personas" / "p.yaml").read_text("utf-8") + f"locale: {other}-{REGIONS[other]}\n",
        "utf-8",
    )
    headline, body, _, _ = COPY_IN[other]
    campaign = root / "campaigns" / "printemps.yaml"
    campaign.write_text(
        campaign.read_text("utf-8")
        + f"locales:\n  {other}:\n    message: {{headline: {headline!r}, body: {body!r}}}\n"
        f"    variants: {{sms: {COPY_IN[language][2]!r}}}\n",
        "utf-8",
    )
    findings = lint(load_workspace(root)).findings
    assert {(f.rule, f.location.line) for f in findings if f.rule == "M107"} == {("M107", 17)}


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Black Friday: -30 % su tutto", "it"),
        ("Spring on two wheels", "en"),
        ("La primavera en bici", "es"),
        ("Reply STOP to opt out", "it"),
        ("Happy Hour in negozio", "it"),
        ("Free shipping su tutti gli ordini", "it"),
        ("Summer Sale: bis zu -50 %", "de"),
        ("Register: link in bio.", "en"),
        ("Dear Sir or Madam,", "en"),
        ("Per disiscriverti invia STOP al 43111", "it"),
    ],
)
def test_a_short_text_is_in_no_language_so_never_reported(text: str, language: str) -> None:
    assert language_of(text, expected=language) in (None, language)
    assert foreign(text, language) is None


def test_a_sentence_long_enough_is_told() -> None:
    french = "Rejoignez notre webinaire gratuit de 45 minutes pour les équipes financières."
    found = foreign(french, "en")
    assert found is not None
    assert found[1] == "fr"
    assert found[0].text == french


def test_a_sale_written_in_its_headline_is_an_offer(make_workspace: Callable) -> None:
    """A new user's sale: "-30 %" in the headline, no `offer` key, a variant that says
    "sconto" and "fino al": no missing fact."""
    root = make_workspace(
        {
            "mcplan.toml": 'brand = "Casa Verde"\nlocale = "it-IT"\n',
            "personas/clienti.yaml": "market: b2c\nsize: 20000\nstage: loyalty\nchannels:\n"
            "  sms: {reach: 0.7, affinity: 0.5, consent: opt_in}\n",
            "campaigns/saldi.yaml": "personas: [clienti]\n"
            "message: {headline: 'Saldi di primavera: fino al -30 %', starts: 2027-04-05, "
            "ends: 2027-04-18, url: 'https://casaverde.it/saldi'}\n"
            "touches:\n  - {channel: sms, at: 2027-04-06T10:00}\n"
            "variants:\n  sms: 'Casa Verde: uno sconto fino al -30 % su tutta la collezione, "
            "fino al 18 aprile. casaverde.it/saldi Per disiscriverti invia STOP al 43111'\n",
        }
    )
    assert [str(f) for f in lint(load_workspace(root)).findings] == []


HOSTILE = {
    "dots": "a." * 50_000,
    "marks": "." * 100_000,
    "addresses": "a@" * 50_000,
    "merge tags": "{{" * 50_000,
    "placeholders": "[" * 100_000,
    "hyphens": "ab-" * 33_000,
    "sentences": "Spring on two wheels. " * 5_000,
}


@pytest.mark.parametrize("text", list(HOSTILE.values()), ids=list(HOSTILE))
def test_a_hostile_text_is_read_in_linear_time(text: str, make_workspace: Callable) -> None:
    """Before, "a." * 25,000 took 80 s to read: each try of a pattern scanned to the end."""
    root = make_workspace(
        {
            "mcplan.toml": 'brand = "Casa Verde"\nlocale = "it-IT"\n',
            "personas/clienti.yaml": "market: b2c\nsize: 20000\nstage: loyalty\nchannels:\n"
            "  sms: {reach: 0.7, affinity: 0.5, consent: opt_in}\n",
            "campaigns/saldi.yaml": "personas: [clienti]\n"
            "message: {headline: Saldi, starts: 2027-04-05, ends: 2027-04-18}\n"
            "touches:\n  - {channel: sms, at: 2027-04-06T10:00}\n"
            f"variants:\n  sms: {(text + ' STOP')!r}\n",
        }
    )
    code = (
        "import sys; from mcplan import lint, load_workspace; "
        "print(len(lint(load_workspace(sys.argv[1])).findings))"
    )
    done = subprocess.run(  # a hang guard, generous: it takes about a second
        [sys.executable, "-c", code, str(root)], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
