"""Lint checks each send step of a journey as a campaign's version (issue 29): limits,
mentions, templates, e-mail, and the facts of each step against the journey's core message."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from conftest import PERSONA, WORKSPACES, planted
from mcplan import lint, load_workspace
from mcplan.findings import Finding, Subject

PLANTED = WORKSPACES / "journeys" / "planted"
TEXTS = "journeys/texte.yaml"

JOURNEY = """
    brand: Maison Lumen
    personas: [marie]
    entry: {{event: signup, per_week: 100, from: 2027-01-04}}
    message:
      headline: Bienvenue chez Maison Lumen
      offer: "-10 %"
      code: BIENVENUE10
      url: https://maison-lumen.fr/bienvenue
    steps:
      - {{id: hello, send: email}}
      - {{wait: 7d}}
{steps}
"""


SETTINGS = """
    [email]
    sender = "Maison Lumen <bonjour@maison-lumen.fr>"
    unsubscribe_url = "https://maison-lumen.fr/desinscription"
"""


def _lint(
    make_workspace: Callable[..., Path], steps: str, settings: str | None = SETTINGS
) -> list[Finding]:
    files = {"personas/marie.yaml": PERSONA, "journeys/welcome.yaml": JOURNEY.format(steps=steps)}
    if settings is not None:
        files["mcplan.toml"] = settings
    return lint(load_workspace(make_workspace(files), discover=False)).findings


def _where(findings: list[Finding]) -> list[tuple[str, int, str]]:
    return [(f.location.file, f.location.line, f.rule) for f in findings]


def test_every_family_checks_the_planted_steps_at_their_lines() -> None:
    findings = [f for f in lint(load_workspace(PLANTED)).findings if f.location.file == TEXTS]
    assert set(_where(findings)) == {m for m in planted(PLANTED) if m[0] == TEXTS}
    assert {f.rule[0] for f in findings} == {"T", "M", "L", "C", "E"}
    by_rule = {f.rule: f for f in findings}
    assert by_rule["M101"].subject == Subject(journey="texte", step="anderer-code")
    assert by_rule["M101"].message == (
        "steps[2].message.code says code: RAD20, which the core message does not (code: RAD10)"
    )
    assert by_rule["L102"].subject.step == "zu-lang"
    assert by_rule["L102"].message.startswith("zu-lang (sms) text: 3 SMS segments")
    assert (by_rule["C104"].subject.journey, by_rule["C104"].subject.step) == (
        "texte",
        "ohne-abmeldung",
    )


def test_a_step_that_changes_the_code_is_m101_at_its_key(make_workspace: Callable) -> None:
    findings = _lint(make_workspace, "      - id: last\n        send: email\n"
                                     "        message: {code: BIENVENUE20}\n")  # fmt: skip
    assert _where(findings) == [("journeys/welcome.yaml", 14, "M101")]
    assert findings[0].related[0].label == "the core message"
    assert findings[0].related[0].location.line == 4


def test_a_step_that_repeats_the_core_code_is_no_finding(make_workspace: Callable) -> None:
    steps = (
        "      - {id: last, send: email, message: {code: BIENVENUE10, headline: Dernier jour}}\n"
    )
    assert _lint(make_workspace, steps) == []


def test_a_step_variant_that_contradicts_the_core_is_m101_at_it(make_workspace: Callable) -> None:
    variant = "Maison Lumen : -15 % avec BIENVENUE10 sur maison-lumen.fr/bienvenue STOP au 36111"
    steps = f"      - id: nudge\n        send: sms\n        variant: '{variant}'\n"
    findings = _lint(make_workspace, steps)
    assert _where(findings) == [("journeys/welcome.yaml", 14, "M101")]
    assert findings[0].message.startswith("nudge (sms) text says '-15 %'")
    assert findings[0].subject.step == "nudge"


def test_a_journey_that_sends_email_needs_the_email_settings(make_workspace: Callable) -> None:
    findings = _lint(make_workspace, "", settings=None)
    assert _where(findings) == [
        ("journeys/welcome.yaml", 10, "E101"),
        ("journeys/welcome.yaml", 10, "E102"),
    ]
    assert findings[0].message.startswith("journey 'welcome' sends e-mail without an unsubscribe")


def test_lint_of_a_journey_file_reports_its_steps(run: Callable) -> None:
    result = run("lint", "journeys/texte.yaml", "-f", "concise", cwd=PLANTED)
    assert result.exit_code == 1
    lines = [line for line in result.stdout.splitlines() if line]
    assert {line.split(":")[0] for line in lines} == {"journeys/texte.yaml"}
    assert len(lines) == len({m for m in planted(PLANTED) if m[0] == TEXTS})
