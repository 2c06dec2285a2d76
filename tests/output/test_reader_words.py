"""Every word mcplan writes itself is in the workspace's language (mcplan.words): the plan's
text and Markdown, the planner's reasons, the preview's parts of a message.

The Italian retailer (tests/workspaces/readers/it-retailer) reads Italian, the UK firm
(tests/workspaces/readers/uk-firm) English; JSON and findings stay English.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import Result

from conftest import WORKSPACES

IT = WORKSPACES / "readers" / "it-retailer"
UK = WORKSPACES / "readers" / "uk-firm"

# The plan's English interface words, as the plan wrote them to an Italian retailer.
ENGLISH = re.compile(
    r"\b(channels?|conversions|for|of|objective|forecast|target|schedule|every persona|"
    r"holdout|detects|enough|contacts|people|treated|not chosen|reached|cost|per conversion|"
    r"score|affinity|efficiency|value|fixed costs)\b"
)


def test_the_italian_plan_speaks_italian(run: Callable[..., Result]) -> None:
    result = run("plan", "-w", str(IT), "-f", "markdown")
    assert result.exit_code == 0, result.stdout
    brief = result.stdout.replace("\u202f", " ").replace("\xa0", " ")
    lines = brief.splitlines()
    assert re.fullmatch(
        r"## Saldi estivi 2027: 2 canali, [\d.]+ conversioni per [\d.,]+ € "
        r"su un budget di 8\.000,00 €",
        lines[0],
    ), lines[0]
    assert lines[2] == "| canale | personas | raggiunti | conversioni | costo | per conversione |"
    assert any(line.startswith("| **totale** |") for line in lines)
    assert any(line.startswith("- obiettivo vendite: previsione ") for line in lines)
    assert any(
        line.startswith("- test oggetto (email oggetto, apertura): contatti a ") for line in lines
    )
    held = r"- gruppo di controllo 10\s?%: 5\.200 persone escluse"
    assert any(re.match(held, line) for line in lines)
    assert "- non scelto: **store**: non è tra i canali della campagna" in lines
    assert "Calendario:" in lines
    assert any(
        re.fullmatch(r"1\. gio 1 lug 2027 09:00  email a tutte le personas", x) for x in lines
    )
    assert "1. gio 15 lug 2027 18:00  sms a clienti-fedeli, dopo email" in lines
    # What is left in English is ids (channels, personas, tests), not words.
    words = re.sub(r"\b(email|sms|store|clienti-fedeli|nuovi-iscritti|oggetto)\b", "", brief)
    assert ENGLISH.findall(words) == []


def test_the_italian_plan_text_and_its_explanation_speak_italian(
    run: Callable[..., Result],
) -> None:
    result = run("plan", "-w", str(IT), "--explain")
    shown = result.stdout
    assert result.exit_code == 0, shown
    assert shown.startswith("Saldi estivi 2027: 2 canali, ")
    for words in (
        "canale, persona", "punteggio", "costi fissi inclusi: ", "  ✗ store: non è tra i canali",
        "calendario:", "punteggio = affinità × adeguatezza agli obiettivi", "copertura",
        "test: ogni variante contro il controllo", "(1×vendite ",
    ):  # fmt: skip
        assert words in shown, words
    for english in ("channel, persona", "fixed costs", "schedule", "objective fit", "1×sales"):
        assert english not in shown, english


def test_json_and_findings_stay_english_for_an_italian_retailer(
    run: Callable[..., Result],
) -> None:
    [plan] = json.loads(run("plan", "-w", str(IT), "-f", "json").stdout)
    assert plan["rejected"] == [
        {"channel": "store", "persona": None, "reason": "not in the campaign's channels"}
    ]


def test_the_english_plan_reads_as_before(run: Callable[..., Result]) -> None:
    brief = run("plan", "-w", str(UK), "-f", "markdown").stdout
    lines = brief.splitlines()
    assert lines[0] == (
        "## Making Tax Digital webinar: 3 channels, 33 conversions for £6,317.00 of £15,000.00"
    )
    assert lines[2] == "| channel | personas | reached | conversions | cost | per conversion |"
    assert "- objective sales: £9,849.90 forecast, 55% of the target £18,000.00" in lines
    assert "Schedule:" in lines
    assert "1. Thu 4 Mar 2027 11:00  phone to finance-director" in lines


def test_the_planner_s_reasons_speak_the_reader_s_language(
    make_workspace: Callable[[dict[str, str | bytes]], Path], run: Callable[..., Result]
) -> None:
    """Consent, send window and budget, each said in Italian in the plan, in English in JSON
    and in the finding."""
    root = make_workspace(
        {
            "mcplan.toml": 'brand = "Casa Rondine"\nlocale = "it-IT"\ntimezone = "Europe/Rome"\n'
            '[email]\nsender = "Casa Rondine <novita@casarondine.example>"\n'
            'unsubscribe_url = "{{ unsubscribe }}"\n',
            "personas/clienti.yaml": "market: b2c\nsize: 1000\nstage: loyalty\nchannels:\n"
            "  sms: {reach: 0.7, affinity: 0.7, consent: opt_out}\n"
            "  mail: {reach: 0.9, affinity: 0.6}\n",
            "campaigns/saldi.yaml": "personas: [clienti]\nbudget: 100\nmessage:\n"
            "  headline: Saldi\n  body: I saldi sono iniziati.\n"
            "  url: https://casarondine.example/\n  starts: 2027-07-05\n  ends: 2027-07-09\n",
        }
    )
    shown = run("plan", "-w", str(root)).stdout
    assert "✗ sms: clienti: consenso: b2c richiede opt_in, la persona ha opt_out" in shown
    assert "✗ mail: costa " in shown
    assert ", oltre il budget di 100" in shown
    [plan] = json.loads(run("plan", "-w", str(root), "-f", "json").stdout)
    reasons = {r["channel"]: r["reason"] for r in plan["rejected"]}
    assert reasons["sms"] == "consent: b2c needs opt_in, the persona has opt_out"
    assert reasons["mail"].startswith("costs ")


def test_the_italian_preview_names_the_parts_of_a_message_in_italian(
    run: Callable[..., Result], tmp_path: Path
) -> None:
    page = tmp_path / "preview.html"
    result = run("preview", "saldi-estivi", "-w", str(IT), "--out", str(page))
    assert result.exit_code == 0, result.stdout
    html = page.read_text("utf-8")
    assert "Test «oggetto»: oggetto, 2 varianti affiancate" in html
    assert "di subject" not in html
    assert "<td>oggetto" in html  # the measures of the subject


def test_the_italian_render_names_parts_and_measures_in_italian(
    run: Callable[..., Result],
) -> None:
    brief = run("render", "saldi-estivi", "-w", str(IT), "-f", "markdown").stdout
    lines = brief.splitlines()
    assert "## E-mail, variante a: Clienti fedeli, Nuovi iscritti" in lines
    assert "**oggetto** (variante a del test): 36 caratteri, 8 parole" in lines
    assert "| limite | parte | valore | massimo | |" in lines
    assert "| caratteri dell'oggetto | oggetto | 36 | 60 | ok |" in lines
    assert any(
        re.fullmatch(r"\*\*testo\*\*: \d+ caratteri, \d+ parole, GSM-7, .*", x) for x in lines
    )
    shown = run("render", "saldi-estivi", "-w", str(IT)).stdout
    assert "oggetto (variante a del test)" in shown
    assert "E-mail · variante a · Clienti fedeli, Nuovi iscritti" in shown
    for english in ("arm a", "characters", "words", "subject", "(hand-written)"):
        assert english not in shown, english
        assert english not in brief, english


def test_the_english_render_keeps_its_words(run: Callable[..., Result]) -> None:
    brief = run("render", "mtd-webinar", "-w", str(UK), "-f", "markdown").stdout
    assert "| limit | part | value | allowed | |" in brief
    assert re.search(r"^\*\*subject\*\*: \d+ characters, \d+ words$", brief, re.M)


def test_the_channels_and_personas_tables_speak_italian(run: Callable[..., Result]) -> None:
    shown = run("channels", "-w", str(IT)).stdout
    lines = [line.split() for line in shown.splitlines()]
    assert "Canali: costi e tassi" in shown
    email = next(line for line in lines if line[:1] == ["email"])  # its figures: the locale's
    assert (email[1], email[-1]) == ("uscente", "incluso")
    assert ["sms", "IT", "lun–sab", "08:00–20:00", "sì", "opt_in", "opt_in"] in lines
    assert ["mail", "IT", "lun–sab", "tutto", "il", "giorno", "no", "none", "none"] in lines
    for english in ("cost and rates", "outbound", "bundled", "every day", "all day", "yes"):
        assert english not in shown, english
    personas = run("personas", "-w", str(IT)).stdout
    assert "mercato, fase" in personas
    assert "market" not in personas


def test_the_english_channels_table_is_english(run: Callable[..., Result]) -> None:
    shown = run("channels", "-w", str(UK)).stdout
    lines = [line.split() for line in shown.splitlines()]
    assert "Channels: cost and rates" in shown
    desk = next(line for line in lines if line[:1] == ["events-desk"])
    assert (desk[1], desk[-1]) == ("inbound", "workspace")
    phone = next(line for line in lines if line[:1] == ["phone"])
    assert (phone[1], phone[-2:]) == ("outbound", ["extends", "phone"])


RESULTS = IT / "results" / "saldi-estivi.csv"


def test_the_italian_report_speaks_italian(run: Callable[..., Result]) -> None:
    result = run("report", "saldi-estivi", "-r", str(RESULTS), "-w", str(IT), "-f", "markdown")
    assert result.exit_code == 0, result.stdout
    lines = result.stdout.replace("\u202f", " ").replace("\xa0", " ").splitlines()
    assert re.fullmatch(
        r"## Saldi estivi 2027: 338 conversioni per [\d.,]+ € \(280 previste per [\d.,]+ €\)",
        lines[0],
    ), lines[0]
    assert lines[2].startswith("| obiettivo | traguardo | previsione | effettivo |")
    assert any(
        line.startswith("| canale | conv. previste | convertiti | scarto |") for line in lines
    )
    assert any(line.startswith("| store (non nel piano) |") for line in lines)
    assert any(line.endswith("| **ampliare** |") for line in lines)
    assert any(line.startswith("Costo per conversione della campagna: ") for line in lines)
    assert any(
        line.startswith(
            "### test oggetto (email oggetto, apertura per contatto consegnato): vince b"
        )
        for line in lines
    )
    assert "### Gruppo di controllo" in lines
    assert any(line.startswith("- gruppo di controllo: trattati ") for line in lines)
    table = run("report", "saldi-estivi", "-r", str(RESULTS), "-w", str(IT)).stdout
    english = r"\b(objectives|forecast|converted|widen|keep|try|not in the plan|total|against)\b"
    assert re.findall(english, table) == []
    assert "rispetto alla previsione (251 conversioni su 239 previste)" in table
    data = json.loads(
        run("report", "saldi-estivi", "-r", str(RESULTS), "-w", str(IT), "-f", "json").stdout
    )
    assert data["tests"][0]["verdict"].startswith("b wins: ")  # JSON stays English
    assert {c["channel"]: c["recommendation"] for c in data["channels"]}["email"] == "widen"


@pytest.mark.parametrize("locale", ["fr-FR", "en-GB", "de-DE", "it-IT", "es-ES", "nl-BE"])
def test_the_tables_fit_80_columns_in_every_language(
    run: Callable[..., Result], monkeypatch: pytest.MonkeyPatch, tmp_path: Path, locale: str
) -> None:
    """Words are longer in some languages: the tables still fit, and cut nothing."""
    assert (
        run("init", str(tmp_path), "--locale", locale, "--market=b2c", "--market=b2b").exit_code
        == 0
    )
    monkeypatch.setenv("COLUMNS", "80")
    for command in ("channels", "personas", "plan"):
        shown = run(command, "-w", str(tmp_path)).stdout
        assert "…" not in shown, command
        assert max(len(line) for line in shown.splitlines()) <= 80, command


def test_the_italian_attribution_speaks_italian(run: Callable[..., Result], tmp_path: Path) -> None:
    export = tmp_path / "percorsi.csv"
    export.write_text(
        "journey_id,timestamp,channel,event,value\n"
        "p1,2027-07-01T09:00,email,touch,\np1,2027-07-15T18:00,sms,touch,\n"
        "p1,2027-07-16T10:00,,conversion,45\np2,2027-07-03T11:00,,conversion,25\n",
        encoding="utf-8",
    )
    shown = run("attribute", str(export), "-w", str(IT)).stdout
    assert "Conversioni attribuite, per modello" in shown
    assert "last: 2 conversioni" in shown
    assert "(nessun contatto)" in shown
    assert re.findall(r"\b(channel|share|value|no touch|Attributed)\b", shown) == []
