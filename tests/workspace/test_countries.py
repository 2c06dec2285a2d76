"""Each persona gets its own country's law: consent, windows, caps and mentions.

`tests/workspaces/countries/` is a Belgian bike shop with personas in France, Belgium,
Germany, Ireland, Spain and Portugal (a country mcplan has no rules for).
"""

from __future__ import annotations

import json
from collections.abc import Callable

from conftest import ROOT, WORKSPACES, planted
from mcplan import lint, load_workspace
from mcplan.lint.rules.compliance import NO_COUNTRY_RULES
from mcplan.workspace.countries import bundled_countries
from mcplan.workspace.library import bundled_documents

COUNTRIES = WORKSPACES / "countries"
SHIPPED = {p.stem.upper() for p in (ROOT / "src" / "mcplan" / "country_rules").glob("*.yaml")}


def test_planted_problems_are_reported_on_their_lines() -> None:
    root = COUNTRIES / "planted"
    findings = lint(load_workspace(root, discover=False)).findings
    assert {(f.location.file, f.location.line, f.rule) for f in findings} == planted(root)


def test_the_clean_twin_has_no_finding() -> None:
    assert lint(load_workspace(COUNTRIES / "clean", discover=False)).findings == []


def test_a_consent_finding_quotes_the_law_of_the_persona_country() -> None:
    findings = lint(load_workspace(COUNTRIES / "planted", discover=False)).findings
    [consent] = [f for f in findings if f.rule == "C103" and "muenchen" in f.message]
    assert "'muenchen' (b2b in Germany) has opt_out, needs opt_in" in consent.message
    assert consent.hint.startswith("UWG § 7 Abs. 2")
    assert consent.hint.endswith("; record the consent in the persona file, or do not use this "
                                 "channel for these personas")  # fmt: skip
    assert any(r.location.file.endswith("country_rules/de.yaml") for r in consent.related)


def test_french_law_applies_to_french_personas_only() -> None:
    """The same touches: the French persona is outside the French window and on a French
    holiday; the Belgian one, under Belgian rules, is not."""
    findings = lint(load_workspace(COUNTRIES / "planted", discover=False)).findings
    about = {(f.rule, f.subject.persona) for f in findings if f.rule in ("C101", "C102")}
    assert about == {("C101", "paris"), ("C102", "paris"), ("C101", "madrid")}


def test_the_plan_leaves_out_a_channel_the_country_forbids(run: Callable) -> None:
    result = run("plan", "-w", str(COUNTRIES / "planted"), "-f", "json")
    [campaign] = [c for c in json.loads(result.stdout) if c["campaign"] == "fruehling-2028"]
    reasons = [r["reason"] for r in campaign["rejected"] if r["channel"] == "email"]
    assert reasons == ["consent: b2b needs opt_in, the persona has opt_out"]


def test_every_shipped_country_is_valid_and_names_bundled_channels() -> None:
    countries = bundled_countries()
    assert set(countries) == SHIPPED
    channels = set(bundled_documents())
    docs = (ROOT / "docs" / "countries.md").read_text("utf-8")
    for code, country in countries.items():
        assert set(country.law.channels) <= channels, code
        assert f"## {country.law.name}" in docs, code
        for channel_id, entry in country.law.channels.items():
            if entry.consent is not None:
                assert entry.consent.why, (code, channel_id)
            if entry.window is not None:
                assert entry.window.why, (code, channel_id)


def test_the_countries_with_a_law_are_named_where_users_read_them() -> None:
    readme = " ".join((ROOT / "README.md").read_text("utf-8").split())
    for country in bundled_countries().values():
        name = country.law.name
        details = " ".join(NO_COUNTRY_RULES.details.split())
        assert name in details, name  # `mcplan rules C105`
        assert name in readme, name


def test_the_example_workspace_keeps_french_law() -> None:
    """The example is French: its SMS keep the French senders' practice (no holidays), its
    calls the French window (its plan's goldens show the schedule)."""
    workspace = load_workspace(ROOT, discover=False)
    persona = workspace.personas["marie-citadine"]
    sms, phone = (workspace.law(c, persona) for c in ("sms", "phone"))
    assert sms.country is not None
    assert sms.country.law.name == "France"
    assert sms.channel.window.holidays is False
    assert phone.channel.window.hours == [("10:00", "13:00"), ("14:00", "20:00")]
