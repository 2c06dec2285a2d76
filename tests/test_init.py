"""`mcplan init`: a new workspace in one command, valid and lint-clean in any language mcplan
writes and under any country's law, whatever the day it runs."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mcplan import lint, load_workspace
from mcplan.scaffold import new_workspace, settle

CASES = [
    ("fr-FR", ["b2c"]),
    ("nl-BE", ["b2c", "b2b"]),
    ("en-IE", ["b2b"]),
    ("de-DE", ["b2b", "b2c"]),
    ("es-ES", ["b2c"]),
    ("it-IT", ["b2b"]),
    ("en-GB", ["b2c", "b2b"]),
    ("fr-CH", ["b2c"]),
]


@pytest.mark.parametrize(("locale", "markets"), CASES, ids=[c[0] for c in CASES])
def test_a_new_workspace_is_valid_lint_clean_and_in_its_language(
    run: Callable, tmp_path: Path, locale: str, markets: list[str]
) -> None:
    folder = tmp_path / "campaigns-repo"
    options = [f"--market={m}" for m in markets]
    created = run("init", str(folder), "--locale", locale, *options, "--brand", "Velocita")
    assert created.exit_code == 0, created.stderr
    assert "created a workspace" in created.stderr
    for command in (["validate"], ["lint", "--fail-level", "info"], ["plan"]):
        result = run(*command, "-w", str(folder))
        assert result.exit_code == 0, (command, result.stdout, result.stderr)
    [campaign] = [p.stem for p in (folder / "campaigns").glob("*.yaml")]
    rendered = run("render", campaign, "-w", str(folder), "-f", "json")
    versions = json.loads(rendered.stdout)["versions"]
    assert {v["locale"] for v in versions} == {locale}
    schema = (folder / "personas").glob("*.yaml")
    assert all(p.read_text().startswith("# yaml-language-server: $schema=") for p in schema)
    assert (folder / "schemas" / "campaign.schema.json").is_file()


# The ids (and file names) a new workspace's team reads, in its language.
IDS = {
    "it-IT": ("clienti-privati", "clienti-aziendali", "prima-campagna", "benvenuto"),
    "en-GB": ("consumers", "professionals", "first-campaign", "welcome"),
    "fr-FR": ("particuliers", "professionnels", "premiere-campagne", "bienvenue"),
    "de-DE": ("privatkunden", "geschaeftskunden", "erste-kampagne", "willkommen"),
    "es-ES": ("particulares", "profesionales", "primera-campana", "bienvenida"),
    "nl-BE": ("particulieren", "zakelijke-klanten", "eerste-campagne", "welkom"),
}
# The title of the README of its channel_rules/.
README_TITLES = {
    "it-IT": "Regole dei canali", "en-GB": "Channel rules", "fr-FR": "Règles des canaux",
    "de-DE": "Kanalregeln", "es-ES": "Reglas de los canales", "nl-BE": "Kanaalregels",
}  # fmt: skip


@pytest.mark.parametrize("locale", IDS)
def test_a_new_workspace_s_ids_and_files_are_in_its_language(
    run: Callable, tmp_path: Path, locale: str
) -> None:
    """An Italian team got `consumers`, `professionals` and `first-campaign`."""
    b2c, b2b, campaign, journey = IDS[locale]
    readme = README_TITLES[locale]
    options = ["--locale", locale, "--market=b2c", "--market=b2b", "--brand", "Velocita"]
    created = run("init", str(tmp_path), *options)
    assert created.exit_code == 0, created.stderr
    files = sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*.*"))
    assert {f for f in files if not f.startswith("schemas/")} == {
        f"campaigns/{campaign}.yaml", f"journeys/{journey}.yaml", "channel_rules/README.md",
        "mcplan.toml", f"personas/{b2b}.yaml", f"personas/{b2c}.yaml",
    }  # fmt: skip
    welcome = (tmp_path / "journeys" / f"{journey}.yaml").read_text("utf-8")
    assert f"personas: [{b2c}, {b2b}]" in welcome  # entries split between them by size
    text = (tmp_path / "campaigns" / f"{campaign}.yaml").read_text("utf-8")
    assert f"personas: [{b2c}, {b2b}]" in text
    assert f"personas: [{b2c}], after: email}}" in text
    assert f"personas: [{b2b}]}}" in text
    assert (tmp_path / "channel_rules" / "README.md").read_text("utf-8").startswith(f"# {readme}\n")
    assert run("lint", "-w", str(tmp_path), "--fail-level", "info").exit_code == 0


@settings(max_examples=25, deadline=None)
@given(
    st.dates(date(2026, 1, 1), date(2150, 12, 31)),
    st.sampled_from(CASES),
)
def test_whatever_the_day_it_runs_the_touches_fall_inside_every_window(
    today: date, case: tuple[str, list[str]]
) -> None:
    """Public holidays and weekends move: the first touch is a Tuesday without a holiday."""
    import tempfile

    locale, markets = case
    plan = settle(locale, None, None, markets, "Velocita")
    with tempfile.TemporaryDirectory() as folder:
        for path, text in new_workspace(plan, today).items():
            (Path(folder) / path).parent.mkdir(parents=True, exist_ok=True)
            (Path(folder) / path).write_text(text, encoding="utf-8")
        findings = lint(load_workspace(Path(folder), discover=False)).findings
    assert [str(f) for f in findings] == []


def test_a_country_without_rules_is_said_once(run: Callable, tmp_path: Path) -> None:
    assert run("init", str(tmp_path), "--locale", "de-AT").exit_code == 0
    result = run("lint", "-w", str(tmp_path), "-f", "concise")
    assert result.exit_code == 0
    assert result.stdout.count("C105") == 1
    assert "Austria (AT)" in result.stdout


def test_a_language_and_a_country_make_the_locale(run: Callable, tmp_path: Path) -> None:
    assert run("init", str(tmp_path), "--locale", "fr", "--country", "BE").exit_code == 0
    assert 'locale = "fr-BE"' in (tmp_path / "mcplan.toml").read_text(encoding="utf-8")
    assert run("lint", "-w", str(tmp_path), "--fail-level", "info").exit_code == 0


def test_an_existing_file_is_never_replaced(run: Callable, tmp_path: Path) -> None:
    (tmp_path / "mcplan.toml").write_text('brand = "Ours"\n', encoding="utf-8")
    result = run("init", str(tmp_path), "--locale", "en-IE")
    assert result.exit_code == 2
    assert "mcplan.toml already exists: mcplan init writes only new files" in result.stderr
    assert (tmp_path / "mcplan.toml").read_text(encoding="utf-8") == 'brand = "Ours"\n'
    assert not (tmp_path / "personas").exists()


@pytest.mark.parametrize(
    ("options", "says"),
    [
        (
            ["--locale", "pl-PL"],
            "mcplan has channel templates in fr, en, nl, de, es, it, not in 'pl'",
        ),
        (["--locale", "en-EN"], "'en-EN' is not a locale mcplan knows (did you mean 'en-GB'"),
        (["--market", "b2g"], "--market b2g: a market is b2c or b2b"),
        (["--locale", "fr", "--country", "QQ"], "'QQ' is not a country code"),
        (["--timezone", "Europe"], "unknown time zone 'Europe'"),
    ],
)
def test_a_wrong_option_is_a_clear_message(
    run: Callable, tmp_path: Path, options: list[str], says: str
) -> None:
    result = run("init", str(tmp_path / "new"), *options)
    assert result.exit_code == 2
    assert says in result.stderr
    assert not (tmp_path / "new").exists()


@pytest.mark.parametrize(
    ("locale", "currency", "email_fixed_cost"),
    [("en-GB", "GBP", 250.0), ("de-CH", "CHF", 280.0), ("en-US", "USD", 310.0),
     ("it-IT", "EUR", 300.0), ("fr-CH", "CHF", 280.0)],
)  # fmt: skip
def test_the_currency_is_the_country_s_and_the_bundled_costs_are_in_it(
    run: Callable, tmp_path: Path, locale: str, currency: str, email_fixed_cost: float
) -> None:
    """Issue 27, item 11: en-GB, de-CH and en-US got EUR, then S309 until every cost was
    rewritten. The bundled costs (300 EUR to design an e-mail) are converted, to two digits."""
    assert run("init", str(tmp_path), "--locale", locale, "--brand", "Ledgerly").exit_code == 0
    settings = (tmp_path / "mcplan.toml").read_text(encoding="utf-8")
    assert settings.startswith("#:schema ./schemas/settings.schema.json\n")
    assert f'\ncurrency = "{currency}"\n' in settings
    workspace = load_workspace(tmp_path, discover=False)
    assert workspace.settings.currency == currency
    assert workspace.channels["email"].fixed_cost == email_fixed_cost
    # C105: the law of the United States is not one mcplan knows, which is said apart.
    assert [f.rule for f in lint(workspace).findings if f.rule != "C105"] == []


def test_a_uk_workspace_says_which_nation_s_holidays_apply(run: Callable, tmp_path: Path) -> None:
    assert run("init", str(tmp_path), "--locale", "en-GB", "--market", "b2b").exit_code == 0
    settings = (tmp_path / "mcplan.toml").read_text(encoding="utf-8")
    assert '\ncountry = "GB-ENG"\n' in settings
    assert "GB-NIR (Northern Ireland), GB-SCT (Scotland) or GB-WLS (Wales)" in settings
    persona = load_workspace(tmp_path, discover=False).personas["professionals"]
    assert persona.country == "GB-ENG"


def test_costs_the_workspace_writes_are_kept_and_a_currency_without_a_rate_is_said_once(
    make_workspace: Callable,
) -> None:
    persona = (
        "market: b2c\nsize: 10\nstage: loyalty\n"
        "channels:\n  email: {reach: 0.9, affinity: 0.5, consent: opt_in}\n"
        "  sms: {reach: 0.9, affinity: 0.5, consent: opt_in}\n"
    )
    files = {
        "personas/shoppers.yaml": persona,
        "channel_rules/sms.yaml": "extends: sms\ncost_per_contact: 0.04\n",
    }
    root = make_workspace({"mcplan.toml": 'locale = "en-GB"\ncurrency = "GBP"\n', **files})
    channels = load_workspace(root, discover=False).channels
    assert (channels["sms"].cost_per_contact, channels["sms"].fixed_cost) == (0.04, 41.0)
    assert (channels["email"].cost_per_contact, channels["email"].fixed_cost) == (0.0017, 250.0)
    root = make_workspace({"mcplan.toml": 'locale = "en-IN"\ncurrency = "INR"\n', **files})
    workspace = load_workspace(root, discover=False)
    assert workspace.channels["email"].fixed_cost == 300.0  # no rate: the euro figure
    found = [(f.rule, f.message) for f in lint(workspace).findings if f.rule == "S309"]
    assert found == [
        ("S309", "currency: INR, but 'email' and 'sms' use the bundled costs, which are in EUR")
    ]
