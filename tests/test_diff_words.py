"""`mcplan diff` speaks the workspace's language (mcplan.words): an Italian retailer's change
reads Italian in the terminal and in the pull request, a UK firm's reads English as before;
JSON and the findings' messages stay English."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import Result

from conftest import WORKSPACES, git

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
SALDI = "negozio/campaigns/saldi-estivi.yaml"
WEBINAR = "marketing/campaigns/mtd-webinar.yaml"

# The English words `diff` wrote around an Italian change; what else is English is ids
# (channels, personas, campaigns) and the findings' messages, which are taken out first.
ENGLISH = re.compile(
    r"\b(findings?|added|fixed|errors?|campaigns? changed|personas? over|cap|moved|removed|"
    r"changed|before|after|channels|contacts reached|conversions|cost|revenue|objective|"
    r"sales|to|every persona|contact pressure|across|busiest|days|working tree|"
    r"the change does nothing|new workspace)\b",
    re.IGNORECASE,
)
IDS = re.compile(r"\b(email|sms|clienti-fedeli|nuovi-iscritti|saldi-estivi|saldi-autunno)\b")


def _repository(tmp_path: Path, workspace: Path, folder: str) -> Path:
    repo = tmp_path / "repo"
    shutil.copytree(workspace, repo / folder)
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "the campaign")
    return repo


def _edit(path: Path, *pairs: tuple[str, str]) -> None:
    text = path.read_text("utf-8")
    for old, new in pairs:
        assert old in text, old
        text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")


def _emails(persona: str, *days: str) -> str:
    """Touches of a campaign's YAML: an e-mail to ``persona`` at 9:00 on each day."""
    return "".join(
        f"  - {{channel: email, at: {day}T09:00, personas: [{persona}]}}\n" for day in days
    )


@pytest.fixture
def italian(tmp_path: Path) -> Path:
    """The Italian retailer (it-IT, EUR) in `negozio/`: a first commit with a reminder
    e-mail to the new subscribers, then a change: the reminder dropped, the SMS a day
    earlier, three e-mails more for the loyal customers (over their cap of 3 in 7 days), a
    bigger budget, and an autumn campaign."""
    repo = _repository(tmp_path, WORKSPACES / "readers" / "it-retailer", "negozio")
    sms = "  - {channel: sms, at: 2027-07-15T18:00, personas: [clienti-fedeli], after: email}\n"
    reminder = "  - {channel: email, at: 2027-07-08T09:00, personas: [nuovi-iscritti]}\n"
    _edit(repo / SALDI, (sms, sms + reminder))
    git(repo, "commit", "-qam", "a reminder")
    more = _emails("clienti-fedeli", "2027-07-13", "2027-07-15", "2027-07-16")
    _edit(
        repo / SALDI,
        (reminder, ""),
        (sms, sms.replace("07-15", "07-14") + more),
        ("budget: 8000", "budget: 9000"),
    )
    autumn = (repo / SALDI).read_text("utf-8").replace("Saldi estivi", "Saldi d'autunno")
    autumn = re.sub(r"2027-07-(\d\d)", r"2027-10-\1", autumn)
    (repo / SALDI).with_name("saldi-autunno.yaml").write_text(autumn, encoding="utf-8")
    return repo


def _interface(output: str) -> str:
    """The words `diff` wrote itself: without the findings' lines (their messages are
    English, as lint writes them) and the ids."""
    lines = [x for x in output.splitlines() if not re.search(r"\b(warning|error) [A-Z]\d{3}\b", x)]
    return IDS.sub("", "\n".join(lines))


def test_the_italian_pull_request_comment_speaks_italian(
    italian: Path, run: Callable[..., Result]
) -> None:
    result = run("diff", "HEAD", "-w", str(italian / "negozio"), "-f", "markdown")
    assert result.exit_code == 1, result.stderr  # the change adds errors (P101)
    shown = result.stdout.replace("\u202f", " ").replace("\xa0", " ")
    lines = shown.splitlines()
    assert lines[0] == "## mcplan diff: `HEAD` → la copia di lavoro"
    assert lines[2] == (
        "**4 rilievi aggiunti (2 errori), 0 risolti, 2 campagne modificate, "
        "1 persona oltre un limite**"
    )
    assert "### saldi-autunno (aggiunta)" in lines
    assert "### saldi-estivi (modificata)" in lines
    assert "| | prima | dopo |" in lines
    assert "| budget | 8.000,00 € | 9.000,00 € |" in lines
    for label in ("canali", "contatti raggiunti", "conversioni", "costo", "fatturato"):
        assert any(line.startswith(f"| {label} | ") for line in lines), label
    assert any(re.fullmatch(r"\| obiettivo vendite \| \d+\s?% \| \d+\s?% \|", x) for x in lines)
    assert any(
        x.startswith("- spostato: sms a clienti-fedeli, gio 15 lug 2027 18:00 → mer 14 lug 2027")
        for x in lines
    )
    assert any(
        x.startswith("- aggiunto: email a clienti-fedeli, mar 13 lug 2027 09:00") for x in lines
    )
    assert any(
        x.startswith("- rimosso: email a nuovi-iscritti, gio 8 lug 2027 09:00") for x in lines
    )
    assert any(x.startswith("- aggiunto: email a tutte le personas, ") for x in lines)
    assert "### Pressione di contatto, su tutte le campagne" in lines
    assert "| persona | 7 giorni più carichi | limite | 30 giorni più carichi | limite |" in lines
    assert "### Rilievi aggiunti" in lines
    assert any(" P101** " in x and "touches in 7 days" in x for x in lines)  # stays English
    assert ENGLISH.findall(_interface(shown)) == []


def test_the_italian_terminal_speaks_italian(italian: Path, run: Callable[..., Result]) -> None:
    result = run("diff", "HEAD", "-w", str(italian / "negozio"))
    assert result.exit_code == 1, result.stderr
    shown = result.stdout.replace("\u202f", " ").replace("\xa0", " ")
    assert shown.startswith("HEAD → la copia di lavoro: ")
    for words in (
        "saldi-estivi (modificata)", "prima", "dopo", "contatti raggiunti", "8.000,00 €",
        "  spostato: sms a clienti-fedeli, ", "  rimosso: email a nuovi-iscritti, ",
        "pressione di contatto, su tutte le campagne", "carichi", "limite", "rilievi aggiunti:",
    ):  # fmt: skip
        assert words in shown, words
    assert ENGLISH.findall(_interface(shown)) == []


def test_what_an_italian_change_fixes_or_leaves_reads_italian(
    italian: Path, run: Callable[..., Result]
) -> None:
    git(italian, "add", "-A")
    git(italian, "commit", "-qm", "more for the loyal customers")
    back = run("diff", "HEAD", "--head", "HEAD~1", "-w", str(italian / "negozio"), "-f", "markdown")
    assert back.exit_code == 0, back.stderr
    assert "### Rilievi risolti" in back.stdout.splitlines()
    assert "### saldi-autunno (rimossa)" in back.stdout.splitlines()
    same = run("diff", "HEAD", "--head", "HEAD", "-w", str(italian / "negozio"), "-f", "markdown")
    assert same.stdout.splitlines()[2:5] == [
        "**0 rilievi aggiunti, 0 risolti, 0 campagne modificate**",
        "",
        "La modifica non cambia nulla nelle campagne, nei loro contatti o nei loro rilievi.",
    ]
    other = italian / "altro"
    shutil.copytree(WORKSPACES / "readers" / "it-retailer", other)
    new = run("diff", "-w", str(other)).stdout
    assert new.startswith(
        "HEAD → la copia di lavoro: un nuovo spazio di lavoro, tutto è aggiunto: "
    )
    assert "1 campagna modificata" in new
    assert ENGLISH.findall(_interface(back.stdout + same.stdout + new)) == []


def test_json_stays_english_for_an_italian_retailer(
    italian: Path, run: Callable[..., Result]
) -> None:
    data = json.loads(run("diff", "HEAD", "-w", str(italian / "negozio"), "-f", "json").stdout)
    assert data["head"] == "the working tree"
    assert {c["campaign"]: c["status"] for c in data["campaigns"]} == {
        "saldi-autunno": "added",
        "saldi-estivi": "changed",
    }
    assert {t["change"] for t in data["campaigns"][1]["touches"]} == {"moved", "added", "removed"}


@pytest.fixture
def english(tmp_path: Path) -> Path:
    """The UK firm (en-GB, GBP) in `marketing/`: the phone call a day later, two e-mails more
    for the finance director (over the cap of 3 in 7 days), a bigger budget."""
    repo = _repository(tmp_path, WORKSPACES / "readers" / "uk-firm", "marketing")
    phone = "  - {channel: phone, at: 2027-03-04T11:00, personas: [finance-director]}\n"
    more = _emails("finance-director", "2027-03-03", "2027-03-04")
    _edit(
        repo / WEBINAR,
        (phone, phone.replace("03-04", "03-05") + more),
        ("budget: 15000", "budget: 16000"),
    )
    return repo


def test_the_english_pull_request_comment_reads_as_before(
    english: Path, run: Callable[..., Result]
) -> None:
    result = run("diff", "HEAD", "-w", str(english / "marketing"), "-f", "markdown")
    assert result.exit_code == 1, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "## mcplan diff: `HEAD` → the working tree"
    assert re.fullmatch(
        r"\*\*\d+ findings? added \(1 error\), 0 fixed, 1 campaign changed, "
        r"1 persona over a cap\*\*",
        lines[2],
    ), lines[2]
    assert "### mtd-webinar (changed)" in lines
    assert "| | before | after |" in lines
    assert "| budget | £15,000.00 | £16,000.00 |" in lines
    for label in ("channels", "contacts reached", "conversions", "cost", "revenue"):
        assert any(line.startswith(f"| {label} | ") for line in lines), label
    assert any(re.fullmatch(r"\| sales objective \| \d+% \| \d+% \|", x) for x in lines)
    assert any(
        x.startswith("- moved: phone to finance-director, Thu 4 Mar 2027 11:00 → Fri 5 Mar 2027")
        for x in lines
    )
    assert any(
        x.startswith("- added: email to finance-director, Wed 3 Mar 2027 09:00") for x in lines
    )
    assert "### Contact pressure, across every campaign" in lines
    assert "| persona | busiest 7 days | cap | busiest 30 days | cap |" in lines
    assert "| **finance-director** | 2 → 4 ✗ | 3 | 2 → 4 | – |" in lines
    assert "### Findings added" in lines
    text = run("diff", "HEAD", "-w", str(english / "marketing")).stdout
    assert text.startswith("HEAD → the working tree: ")
    assert "findings added:" in text
    assert "contact pressure, across every campaign" in text
    assert "  moved: phone to finance-director, Thu 4 Mar 2027 11:00 → Fri 5 Mar 2027 11:00" in text
