"""Campaigns in several languages: each persona reads its own, and nothing is left untranslated.

The example `examples/velocita/` is a bilingual Belgian bike shop (fr-BE, nl-BE) that also
sells in Ireland (en-IE) and Germany (de-DE); its planted twin, `tests/workspaces/languages/
planted/`, adds Poland (pl-PL), a language no bundled channel speaks.
"""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest

from conftest import ROOT, WORKSPACES, planted
from mcplan import lint, load_workspace, render_campaign
from mcplan.workspace.library import bundled_documents

LANGUAGES = WORKSPACES / "languages"
VELOCITA = ROOT / "examples" / "velocita"  # the planted workspace's clean twin
BUNDLED_LANGUAGES = ("fr", "en", "nl", "de", "es", "it")
# Words that give a text away as another language's (from the bundled templates' own copy).
GIVEAWAYS = {
    "fr": ("jusqu'au", "Votre code", "Désinscrivez", "Bonjour"),
    "nl": ("tot en met", "Uw code", "afmelden", "Hallo"),
    "en": ("until", "Your code", "Unsubscribe", "Hello"),
    "de": ("bis ", "Ihr Code", "abmelden", "Guten Tag"),
}


def test_planted_problems_are_reported_on_their_lines() -> None:
    root = LANGUAGES / "planted"
    findings = lint(load_workspace(root, discover=False)).findings
    assert {(f.location.file, f.location.line, f.rule) for f in findings} == planted(root)


def test_the_clean_twin_has_no_finding(run: Callable) -> None:
    result = run("lint", "-w", str(VELOCITA))
    assert result.exit_code == 0, result.stdout
    assert "no findings" in result.stderr


def test_each_version_is_in_its_persona_language(run: Callable) -> None:
    result = run("render", "printemps-2028", "-w", str(VELOCITA), "-f", "json")
    assert result.exit_code == 0, result.stderr
    versions = json.loads(result.stdout)["versions"]
    locales = {(v["channel"], v["persona"]): v["locale"] for v in versions}
    assert locales == {
        ("email", "bruxelles"): "fr-BE",
        ("email", "gent"): "nl-BE",
        ("email", "dublin"): "en-IE",
        ("email", "muenchen"): "de-DE",
        ("sms", "bruxelles"): "fr-BE",
        ("sms", "gent"): "nl-BE",
        ("linkedin", None): "de-DE",
    }
    for version in versions:
        text = "\n".join(p["text"] for p in version["parts"])
        language = version["locale"].split("-")[0]
        for other, words in GIVEAWAYS.items():
            if other != language:
                assert not [w for w in words if w in text], (version["channel"], other, text)


def test_a_translation_link_and_dates_follow_its_language() -> None:
    workspace = load_workspace(VELOCITA, discover=False)
    versions = render_campaign(workspace, "printemps-2028", channels=["email"]).versions
    body = {v.persona: v.text("body") for v in versions}
    assert "valable jusqu'au 16 avril 2028" in body["bruxelles"]
    assert "geldig tot en met 16 april 2028" in body["gent"]
    assert "valid until 16 April 2028" in body["dublin"]
    assert "gültig bis 16. April 2028" in body["muenchen"]
    assert "https://velocita.be/nl/lente?utm_source=email" in body["gent"]


def test_the_exact_locale_comes_before_its_language(make_workspace: Callable) -> None:
    root = make_workspace(
        {
            "mcplan.toml": 'locale = "fr-BE"\n',
            "personas/gent.yaml": _persona("nl-BE"),
            "personas/utrecht.yaml": _persona("nl-NL"),
            "campaigns/c.yaml": "personas: [gent, utrecht]\nchannels: [sms]\n"
            "message: {headline: Le printemps}\nlocales:\n"
            "  nl: {message: {headline: De lente}}\n"
            "  nl-BE: {message: {headline: De Vlaamse lente}}\n",
        }
    )
    texts = {v.persona: v.text("text") for v in render_campaign(load_workspace(root), "c").versions}
    assert "De Vlaamse lente" in texts["gent"]
    assert "De lente" in texts["utrecht"]
    assert "Vlaamse" not in texts["utrecht"]


def test_a_workspace_channel_that_writes_its_template_is_in_the_workspace_language(
    make_workspace: Callable,
) -> None:
    """`extends: sms` with an English template in an English workspace: the English persona
    reads the workspace's template, not the bundled English one."""
    root = make_workspace(
        {
            "mcplan.toml": 'locale = "en-IE"\ntimezone = "Europe/Dublin"\n',
            "personas/dublin.yaml": _persona("en-IE"),
            "channel_rules/sms.yaml": "extends: sms\ntemplate: '{{ m.headline }}. Reply STOP'\n",
            "campaigns/c.yaml": "personas: [dublin]\nchannels: [sms]\n"
            "message: {headline: Spring sale}\n",
        }
    )
    workspace = load_workspace(root)
    assert workspace.channels["sms"].locale == "en"
    [version] = render_campaign(workspace, "c").versions
    assert version.text("text") == "Spring sale. Reply STOP"


@pytest.mark.parametrize("language", BUNDLED_LANGUAGES)
def test_every_bundled_template_is_lint_clean_in_its_language(
    language: str, make_workspace: Callable
) -> None:
    """Every bundled channel, in each bundled language, for a full message and for a bare
    one: no template, mention, consistency or address finding."""
    region = {"en": "IE", "nl": "BE", "de": "DE", "es": "ES", "it": "IT", "fr": "FR"}[language]
    channels = sorted(bundled_documents())
    persona = _persona(f"{language}-{region}", channels)
    full = (
        "{headline: Spring, offer: '-20 %', code: VELO20, starts: 2028-04-03, "
        "ends: 2028-04-16, url: 'https://velocita.eu/spring', cta: Go, body: Bikes.}"
    )
    files = {"personas/p.yaml": persona}
    for name, message in (("full", full), ("bare", "{headline: Spring}")):
        files[f"campaigns/{name}.yaml"] = (
            f"brand: Velocita\nlocale: {language}\npersonas: [p]\n"
            f"channels: [{', '.join(channels)}]\nmessage: {message}\n"
        )
    result = lint(load_workspace(make_workspace(files)))
    wrong = [f for f in result.findings if f.rule[0] in "TCM"]
    assert [str(f) for f in wrong] == []


def _persona(locale: str, channels: list[str] | tuple[str, ...] = ("sms",)) -> str:
    lines = "".join(f"  {c}: {{reach: 0.5, affinity: 0.5, consent: opt_in}}\n" for c in channels)
    return f"market: b2c\nsize: 1000\nstage: loyalty\nlocale: {locale}\nchannels:\n{lines}"


def test_bundled_channels_speak_the_bundled_languages() -> None:
    for channel_id, document in bundled_documents().items():
        data = document.data
        assert data["locale"] == "fr", channel_id
        assert sorted(data["locales"]) == sorted(set(BUNDLED_LANGUAGES) - {"fr"}), channel_id
        for language, entry in data["locales"].items():
            parts = data["template"] if isinstance(data["template"], dict) else {"text": 0}
            given = entry["template"] if isinstance(entry["template"], dict) else {"text": 0}
            assert sorted(given) == sorted(parts), (channel_id, language)
            assert bool(entry.get("must_contain")) == bool(data["must_contain"]), channel_id


def test_a_workspace_adds_a_language_to_a_bundled_channel(make_workspace: Callable) -> None:
    """`extends: sms` with a Polish entry: the Polish persona reads it, lint-clean."""
    root = make_workspace(
        {
            "personas/krakow.yaml": _persona("pl-PL"),
            "channel_rules/sms.yaml": "extends: sms\nlocales:\n  pl:\n"
            "    template: '{{ brand }}: {{ m.headline }}. Wypisz: STOP na 80111'\n"
            "    must_contain:\n"
            "      - {pattern: '\\bSTOP\\b', part: text, why: ePrivacy art. 13}\n",
            "campaigns/c.yaml": "brand: Velocita\nlocale: pl\npersonas: [krakow]\nchannels: [sms]\n"
            "message: {headline: Wiosna na rowerze}\n"
            "touches:\n  - {channel: sms, at: 2028-04-04T10:00}\n",
        }
    )
    workspace = load_workspace(root)
    [version] = render_campaign(workspace, "c").versions
    assert version.text("text") == "Velocita: Wiosna na rowerze. Wypisz: STOP na 80111"
    findings = lint(workspace).findings
    assert [f.rule for f in findings] == ["C105"]  # Poland's law: not shipped


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("nl", "Klik hier om u uit te schrijven."),
        ("nl", "Schrijf u hier uit."),
        ("nl", "Wilt u zich afmelden?"),
        ("en", "Unsubscribe in one click."),
        ("de", "Hier können Sie sich abmelden."),
        ("es", "Date de baja aquí."),
        ("it", "Puoi disiscriverti qui."),
        ("fr", "Désinscrivez-vous ici."),
    ],
)
def test_each_language_unsubscribe_wording_is_the_mandatory_mention(
    language: str, text: str
) -> None:
    from mcplan import patterns

    email = bundled_documents()["email"].data
    entry = email["locales"][language] if language != "fr" else email
    [mention] = entry["must_contain"]
    assert patterns.search(mention["pattern"], text, mention["ignore_case"])
    assert not patterns.search(mention["pattern"], "Subscribe now", mention["ignore_case"])


def test_a_campaign_locale_left_empty_is_the_workspace_one(make_workspace: Callable) -> None:
    root = make_workspace(
        {
            "personas/paris.yaml": _persona("fr-FR"),
            "campaigns/c.yaml": "locale: ~\npersonas: [paris]\nchannels: [sms]\n"
            "message: {headline: Les soldes}\n",
        }
    )
    rendering = render_campaign(load_workspace(root), "c")
    assert [v.locale for v in rendering.versions] == ["fr-FR"]
    assert rendering.findings == []


def test_a_persona_changed_after_a_lint_is_read_again() -> None:
    # Each persona's locale is read once for the workspace; a persona replaced since is read
    # again, not taken from the last run.
    workspace = load_workspace(VELOCITA, discover=False)
    assert not [f for f in lint(workspace).findings if f.rule == "T105"]
    gent = workspace.personas["gent"]
    workspace.personas["gent"] = gent.model_copy(update={"locale": "it-IT"})
    messages = [f.message for f in lint(workspace).findings if f.rule == "T105"]
    assert messages
    assert all("persona 'gent' reads Italian (it-IT)" in m for m in messages)
