"""`mcplan render JOURNEY` and `mcplan preview JOURNEY`: each send step as a version."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from conftest import CAMPAIGN, PERSONA, ROOT


def test_text_heads_each_version_with_its_step(run: Callable) -> None:
    result = run("render", "bienvenue", "-w", str(ROOT))
    assert result.exit_code == 0, result.stderr
    assert "bonjour · E-mail · Marie, citadine connectée" in result.stdout
    assert "rappel-sms · SMS · Marie, citadine connectée" in result.stdout
    assert "dernier-jour · E-mail" in result.stdout
    assert "Votre code BIENVENUE10 expire demain" in result.stdout


def test_json_names_the_journey_and_each_version_its_step(run: Callable) -> None:
    result = run("render", "bienvenue", "-w", str(ROOT), "-f", "json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["journey"] == "bienvenue"
    assert [(v["step"], v["channel"], v["journey"]) for v in data["versions"]] == [
        ("bonjour", "email", "bienvenue"),
        ("rappel-sms", "sms", "bienvenue"),
        ("dernier-jour", "email", "bienvenue"),
    ]
    assert data["findings"] == []
    campaign = json.loads(run("render", "soldes-hiver-2027", "-w", str(ROOT), "-f", "json").stdout)
    assert "step" not in campaign["versions"][0]


def test_markdown_heads_each_version_with_its_step(run: Callable) -> None:
    result = run("render", "navigation-abandonnee", "-w", str(ROOT), "-f", "markdown")
    assert result.exit_code == 0, result.stderr
    headings = [line for line in result.stdout.splitlines() if line.startswith("#")]
    assert headings == [
        "# Navigation abandonnée (Maison Lumen)",
        "## rappel · E-mail: Marie, citadine connectée",
        "## notification · Notification push mobile: Marie, citadine connectée",
    ]


def test_out_names_each_file_after_its_step(run: Callable, tmp_path: Path) -> None:
    out = tmp_path / "rendu"
    result = run("render", "bienvenue", "-w", str(ROOT), "-c", "sms", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in out.iterdir()) == ["rappel-sms--sms.txt"]
    result = run("render", "bienvenue", "-w", str(ROOT), "-c", "email", "-o", str(out / "md"),
                 "-f", "markdown")  # fmt: skip
    assert sorted(p.name for p in (out / "md").iterdir()) == [
        "bonjour--email.md",
        "dernier-jour--email.md",
    ]
    assert "## dernier-jour · E-mail" in (out / "md" / "dernier-jour--email.md").read_text("utf-8")


def test_an_unknown_id_suggests_a_journey(run: Callable) -> None:
    result = run("render", "bienvenu", "-w", str(ROOT))
    assert result.exit_code == 2
    assert result.stderr == (
        "mcplan: error: unknown campaign or journey 'bienvenu' (did you mean 'bienvenue'?)\n"
    )


def test_a_campaign_and_a_journey_of_one_id_are_refused(
    make_workspace: Callable, run: Callable
) -> None:
    journey = """
        personas: [marie]
        entry: {event: signup, per_week: 10, from: 2027-01-04}
        message: {headline: Bienvenue}
        steps:
          - {id: hello, send: email}
    """
    root = make_workspace(
        {
            "personas/marie.yaml": PERSONA,
            "campaigns/soldes.yaml": CAMPAIGN + "    channels: [email]\n",
            "journeys/soldes.yaml": journey,
        }
    )
    result = run("render", "soldes", "-w", str(root))
    assert result.exit_code == 2
    assert "'soldes' is both a campaign and a journey: give one of them another id" in (
        result.stderr
    )


def test_preview_shows_a_card_per_step(run: Callable, tmp_path: Path) -> None:
    page = tmp_path / "bienvenue.html"
    result = run("preview", "bienvenue", "-w", str(ROOT), "--out", str(page))
    assert result.exit_code == 0, result.stderr
    assert result.stderr == f"mcplan: wrote {page} (3 versions)\n"
    html = page.read_text("utf-8")
    assert html.count('<section class="card"') == 3
    assert "Votre code BIENVENUE10 expire demain" in html
    assert '<section class="card" id="v-rappel-sms--sms"' in html
    assert "<h2>rappel-sms · SMS</h2>" in html


def test_preview_shows_a_step_its_own_lint_findings(run: Callable, tmp_path: Path) -> None:
    planted = Path(__file__).parents[1] / "workspaces" / "journeys" / "planted"
    page = tmp_path / "texte.html"
    result = run("preview", "texte", "-w", str(planted), "--out", str(page))
    assert result.exit_code == 1  # a template of the journey fails (T102)
    html = page.read_text("utf-8")
    cards = {c.split('"')[0]: c for c in html.split('<section class="card" id="v-')[1:]}
    assert "L102" in cards["zu-lang--sms"]
    assert "C104" in cards["ohne-abmeldung--sms"]
    assert "L102" not in cards["ohne-abmeldung--sms"]
    assert "M101" not in cards["hallo--email"]
