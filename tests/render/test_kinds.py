"""The bundled templates write what the message announces: an offer, an event, a launch or
news, in every bundled language; never "offer" or "until" for a message without an offer.

A UK B2B software firm's webinar (en-GB) and an Italian retailer's launch (it-IT) reproduce
issue 27: both rendered "Offer valid until…" and "Don't miss this offer".
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from mcplan import lint, load_workspace, render_campaign
from mcplan.workspace.campaign import Message, MessageKind
from mcplan.workspace.library import bundled_documents

LANGUAGES = ("fr", "en", "nl", "de", "es", "it")
REGIONS = {"fr": "FR", "en": "GB", "nl": "BE", "de": "DE", "es": "ES", "it": "IT"}
# What an offer's copy says in each language: the offer, and how long it lasts.
OFFER_WORDS = {
    "fr": r"offre|jusqu'au|valable",
    "en": r"offer|until|valid\b|deal",
    "nl": r"aanbod|aanbieding|tot en met|t/m|geldig",
    "de": r"angebot|\bbis \d|nur bis|gültig",
    "es": r"oferta|hasta el|válid",
    "it": r"offerta|fino a|valid|entro",
}
LEDGERLY = {
    "mcplan.toml": 'brand = "Ledgerly"\nlocale = "en-GB"\ntimezone = "Europe/London"\n'
    'currency = "GBP"\n',
    "personas/finance-director.yaml": "market: b2b\nsize: 4000\nstage: acquisition\n"
    "country: GB-ENG\nchannels:\n"
    "  email: {reach: 0.9, affinity: 0.6, consent: opt_in}\n"
    "  linkedin: {reach: 0.6, affinity: 0.5}\n"
    "  sms: {reach: 0.5, affinity: 0.3, consent: opt_in}\n"
    "  phone: {reach: 0.4, affinity: 0.3, consent: opt_in}\n",
}


def _webinar(dates: str) -> str:
    return (
        "name: Making Tax Digital webinar\nobjectives: [{kind: awareness}]\n"
        "personas: [finance-director]\nchannels: [email, linkedin, sms, phone]\n"
        "message:\n  headline: Get ready for Making Tax Digital\n"
        "  body: A free 45-minute webinar for finance teams.\n"
        f"  {dates}\n  url: https://ledgerly.co.uk/webinars/mtd\n"
    )


def _texts(root: object, campaign: str) -> dict[str, str]:
    rendering = render_campaign(load_workspace(root), campaign)  # type: ignore[arg-type]
    assert rendering.findings == []
    return {f"{v.channel}.{p.name}": p.text for v in rendering.versions for p in v.parts}


@pytest.mark.parametrize(
    "dates", ["ends: 2027-03-18", "starts: 2027-03-18", "{starts: 2027-03-18, ends: 2027-03-18}"]
)
def test_a_webinar_is_an_event_on_its_day_with_no_offer(
    dates: str, make_workspace: Callable
) -> None:
    """The issue's webinar rendered "Get ready for Making Tax Digital until 18 March 2027"."""
    line = dates if not dates.startswith("{") else "starts: 2027-03-18\n  ends: 2027-03-18"
    root = make_workspace({**LEDGERLY, "campaigns/mtd-webinar.yaml": _webinar(line)})
    texts = _texts(root, "mtd-webinar")
    for part, text in texts.items():
        assert not re.search(OFFER_WORDS["en"], text, re.I), (part, text)
    assert "Get ready for Making Tax Digital on 18 March 2027. Register:" in texts["sms.text"]
    assert "Join us on 18 March 2027." in texts["email.body"]
    assert texts["email.preheader"] == "Ledgerly invites you on 18 March 2027."
    assert (
        "invite you to ‘Get ready for Making Tax Digital’ on 18 March 2027"
        in (texts["phone.script"])
    )
    result = lint(load_workspace(root))
    assert [f for f in result.findings if f.rule[0] in "TCM"] == []


def test_an_italian_launch_says_new_and_from_its_first_day(make_workspace: Callable) -> None:
    root = make_workspace(
        {
            "mcplan.toml": 'brand = "Casa Verde"\nlocale = "it-IT"\ntimezone = "Europe/Rome"\n',
            "personas/clienti.yaml": "market: b2c\nsize: 20000\nstage: loyalty\nchannels:\n"
            + "".join(
                f"  {c}: {{reach: 0.7, affinity: 0.6, consent: opt_in}}\n"
                for c in ("email", "sms", "instagram", "web_push", "store")
            ),
            "campaigns/collezione.yaml": "name: Nuova collezione primavera\n"
            "personas: [clienti]\nchannels: [email, sms, instagram, web_push, store]\n"
            "message:\n  kind: launch\n  headline: La collezione primavera è arrivata\n"
            "  body: Lini e cotoni per la casa, in edizione limitata.\n"
            "  starts: 2027-03-08\n  ends: 2027-03-31\n"
            "  url: https://casaverde.it/primavera\n",
        }
    )
    texts = _texts(root, "collezione")
    for part, text in texts.items():
        assert not re.search(OFFER_WORDS["it"], text, re.I), (part, text)
    assert texts["email.preheader"] == "Novità da Casa Verde, disponibile dall'8 marzo 2027."
    assert "Disponibile dall'8 marzo 2027." in texts["email.body"]
    assert texts["store.poster"].splitlines()[1] == "Dall'8 marzo 2027"


MESSAGES = {
    MessageKind.EVENT: "{headline: Spring, starts: 2028-04-08, ends: 2028-04-08, url: "
    "'https://velocita.eu/spring'}",
    MessageKind.LAUNCH: "{kind: launch, headline: Spring, starts: 2028-04-03, ends: 2028-04-16, "
    "url: 'https://velocita.eu/spring', cta: Go}",
    MessageKind.NEWS: "{kind: news, headline: Spring, body: Bikes., url: "
    "'https://velocita.eu/spring'}",
}


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_bundled_template_offers_anything_for_a_message_without_an_offer(
    language: str, make_workspace: Callable
) -> None:
    channels = sorted(bundled_documents())
    held = "".join(f"  {c}: {{reach: 0.5, affinity: 0.5, consent: opt_in}}\n" for c in channels)
    files = {
        "personas/p.yaml": f"market: b2c\nsize: 1000\nstage: loyalty\n"
        f"locale: {language}-{REGIONS[language]}\nchannels:\n{held}"
    }
    for kind, message in MESSAGES.items():
        files[f"campaigns/{kind}.yaml"] = (
            f"brand: Velocita\nlocale: {language}\npersonas: [p]\n"
            f"channels: [{', '.join(channels)}]\nmessage: {message}\n"
        )
    root = make_workspace(files)
    for kind in MESSAGES:
        texts = _texts(root, kind)
        assert sorted({part.split(".")[0] for part in texts}) == channels
        for part, text in texts.items():
            assert not re.search(OFFER_WORDS[language], text, re.I), (kind, part, text)
    result = lint(load_workspace(root))
    assert [str(f) for f in result.findings if f.rule[0] in "TCM"] == []


@pytest.mark.parametrize(
    ("message", "kind"),
    [
        ({"headline": "h", "offer": "-20 %"}, MessageKind.OFFER),
        ({"headline": "h", "code": "SPRING20", "starts": "2027-03-01"}, MessageKind.OFFER),
        ({"headline": "h", "price": "£29"}, MessageKind.OFFER),
        ({"headline": "Saldi: fino al -30 %", "starts": "2027-04-05"}, MessageKind.OFFER),
        ({"headline": "Save 30 % of your closing time", "starts": "2027-04-05"}, MessageKind.EVENT),
        ({"headline": "h", "starts": "2027-03-18"}, MessageKind.EVENT),
        ({"headline": "h", "ends": "2027-03-18"}, MessageKind.EVENT),
        ({"headline": "h", "starts": "2027-03-18", "ends": "2027-03-18"}, MessageKind.EVENT),
        ({"headline": "h", "starts": "2027-03-01", "ends": "2027-03-18"}, MessageKind.NEWS),
        ({"headline": "h"}, MessageKind.NEWS),
        ({"headline": "h", "offer": "-20 %", "kind": "event"}, MessageKind.EVENT),
    ],
)
def test_a_message_without_a_kind_is_what_its_facts_say(
    message: dict[str, str], kind: MessageKind
) -> None:
    assert Message.model_validate(message).nature == kind


@pytest.mark.parametrize("locale", ["en-GB", "it-IT", "de-DE", "es-ES", "nl-BE", "fr-FR"])
def test_the_campaign_init_writes_offers_nothing(
    run: Callable, tmp_path: Path, locale: str
) -> None:
    """`init`'s campaign rendered "Don't miss this offer" and "Offer valid until…" though it
    announces a new collection, with no offer."""
    folder = tmp_path / "w"
    created = run("init", str(folder), "--locale", locale, "--market=b2c", "--market=b2b")
    assert created.exit_code == 0, created.stderr
    [campaign] = [p.stem for p in (folder / "campaigns").glob("*.yaml")]  # in its language
    rendered = run("render", campaign, "-w", str(folder), "-f", "json")
    assert rendered.exit_code == 0, rendered.stderr
    language = locale.split("-")[0]
    for version in json.loads(rendered.stdout)["versions"]:
        for part in version["parts"]:
            text = part["text"]
            assert not re.search(OFFER_WORDS[language], text, re.I), (version["channel"], text)
