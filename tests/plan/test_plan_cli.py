"""`mcplan plan` from the command line: formats, golden outputs, --write, --diff, --ics."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from conftest import CAMPAIGN, PERSONA, ROOT, Golden, cells
from mcplan import load_workspace
from mcplan.lint.engine import lint

GOLDEN = Path(__file__).parent / "golden"


@pytest.mark.parametrize(("fmt", "name"), [("text", "plan.txt"), ("json", "plan.json"),
                                           ("markdown", "plan.md")])  # fmt: skip
def test_the_example_plan_is_stable(run: Callable, fmt: str, name: str, golden: Golden) -> None:
    result = run("plan", "-w", str(ROOT), "--format", fmt, "--explain")
    assert result.exit_code == 0, result.stderr
    golden(GOLDEN / name, result.stdout, normalize=cells if fmt == "text" else None)


def test_yaml_and_json_say_the_same(run: Callable) -> None:
    as_json = json.loads(run("plan", "-w", str(ROOT), "-f", "json").stdout)
    written = run("plan", "-w", str(ROOT), "-f", "yaml").stdout
    as_yaml = yaml.safe_load(written)
    assert as_json == as_yaml
    # A channel's objectives, the same in each of its candidates, are written out each time.
    assert "&id" not in written
    assert "*id" not in written
    soldes = next(p for p in as_json["campaigns"] if p["campaign"] == "soldes-hiver-2027")
    assert soldes["chosen"] == ["sms", "email", "instagram"]
    assert soldes["touches_proposed"] is False


@pytest.fixture
def unplanned(tmp_path: Path) -> Path:
    """The example workspace with a campaign stripped of its channels and touches."""
    root = tmp_path / "ws"
    shutil.copytree(ROOT / "personas", root / "personas")
    shutil.copytree(ROOT / "channel_rules", root / "channel_rules")
    shutil.copy(ROOT / "mcplan.toml", root / "mcplan.toml")
    (root / "campaigns").mkdir()
    text = (ROOT / "campaigns/soldes-hiver-2027.yaml").read_text("utf-8")
    kept = text.split("channels: [email, sms, instagram]")[0]
    (root / "campaigns/soldes-hiver-2027.yaml").write_text(kept, encoding="utf-8")
    return root


def test_nothing_is_written_without_write_and_diff_shows_it(run: Callable, unplanned: Path) -> None:
    campaign = unplanned / "campaigns/soldes-hiver-2027.yaml"
    before = campaign.read_text("utf-8")
    assert run("plan", "-w", str(unplanned)).exit_code == 0
    result = run("plan", "-w", str(unplanned), "--diff")
    assert campaign.read_text("utf-8") == before
    assert result.stdout.startswith("--- a/campaigns/soldes-hiver-2027.yaml\n")
    assert "\n+channels: [" in result.stdout
    assert "\n+touches:\n" in result.stdout


def test_write_keeps_comments_and_gives_a_lint_clean_campaign(
    run: Callable, unplanned: Path
) -> None:
    campaign = unplanned / "campaigns/soldes-hiver-2027.yaml"
    before = campaign.read_text("utf-8")
    result = run("plan", "-w", str(unplanned), "--write")
    assert result.stderr == "mcplan: updated campaigns/soldes-hiver-2027.yaml\n"
    after = campaign.read_text("utf-8")
    for line in before.splitlines():
        if "#" in line:
            assert line in after  # every comment is kept
    workspace = load_workspace(unplanned, discover=False)
    planned = workspace.campaigns["soldes-hiver-2027"]
    [chosen] = json.loads(run("plan", "-w", str(unplanned), "-f", "json").stdout)
    assert planned.channels == chosen["chosen"]
    assert {t.channel for t in planned.touches} == set(chosen["chosen"])
    findings = lint(workspace).findings
    assert [f for f in findings if f.rule[0] in "SPC"] == []
    # Planning again proposes nothing new: the file stays as it is.
    run("plan", "-w", str(unplanned), "--write")
    assert campaign.read_text("utf-8") == after


def test_ics(run: Callable, unplanned: Path, tmp_path: Path) -> None:
    ics = tmp_path / "plan.ics"
    assert run("plan", "-w", str(unplanned), "--ics", str(ics)).exit_code == 0
    assert ics.read_bytes().startswith(b"BEGIN:VCALENDAR")
    result = run("plan", "-w", str(unplanned), "--ics", str(ics))
    assert result.exit_code == 2
    assert "already exists; add --force" in result.stderr


def test_a_campaign_that_cannot_be_planned_exits_1(run: Callable, unplanned: Path) -> None:
    campaign = unplanned / "campaigns/soldes-hiver-2027.yaml"
    campaign.write_text(
        campaign.read_text("utf-8").replace("budget: 6000", "budget: 10"), encoding="utf-8"
    )
    result = run("plan", "-w", str(unplanned), "--write")
    assert result.exit_code == 1
    assert "N101" in result.stdout
    assert "cannot be planned" in result.stdout
    assert "\nchannels:" not in campaign.read_text("utf-8")  # nothing written


def test_a_channel_whose_file_has_errors_is_named_as_the_reason(
    make_workspace: Callable, run: Callable
) -> None:
    # The plan said "its personas use no channel", and drew an empty table.
    root = make_workspace(
        {
            "personas/marie.yaml": PERSONA,
            "campaigns/soldes.yaml": CAMPAIGN,
            "channel_rules/email.yaml": "extends: email\ncost: {per_contact: 0.01}\n",
            "channel_rules/sms.yaml": "extends: sms\ncost: {per_contact: 0.01}\n",
        }
    )
    result = run("plan", "-w", str(root))
    assert result.exit_code == 1
    assert result.stdout.startswith("soldes : 0 canal, 0 conversion pour 0,00\u00a0€\n  ✗ email")
    assert "✗ sms: son fichier a des erreurs" in result.stdout  # the workspace is French
    [finding] = json.loads(run("plan", "-w", str(root), "-f", "json").stdout)[0]["findings"]
    assert finding["message"].endswith("(email: its file has errors; sms: its file has errors)")


def test_unknown_campaign_is_a_usage_error(run: Callable) -> None:
    result = run("plan", "soldes", "-w", str(ROOT))
    assert result.exit_code == 2
    assert "unknown campaign 'soldes' (did you mean 'soldes-hiver-2027'?)" in result.stderr


def test_a_touch_the_plan_cannot_send_is_reported_and_nothing_is_written(
    make_workspace: Callable, run: Callable
) -> None:
    # --write used to drop sms from `channels` and keep the SMS touch: a campaign validate
    # then refused (S306). The touch is a finding at its line, and the file is left alone.
    persona = PERSONA.replace(
        "sms: {reach: 0.7, affinity: 0.8, consent: opt_in}",
        "sms: {reach: 0.7, affinity: 0.8, consent: opt_out}",
    )
    campaign = CAMPAIGN + (
        "    channels: [email, sms]\n"
        "    touches:\n"
        "      - {channel: email, at: 2027-01-14T10:00}\n"
        "      - {channel: sms, at: 2027-01-16T10:00}\n"
    )
    root = make_workspace({"personas/marie.yaml": persona, "campaigns/soldes.yaml": campaign})
    before = (root / "campaigns/soldes.yaml").read_bytes()
    result = run("plan", "-w", str(root), "--write", "-f", "json")
    assert result.exit_code == 1
    [finding] = [f for f in json.loads(result.stdout)[0]["findings"] if f["rule"] == "N103"]
    assert (finding["file"], finding["line"]) == ("campaigns/soldes.yaml", 10)
    assert "consent: b2c needs opt_in, the persona has opt_out" in finding["message"]
    assert (root / "campaigns/soldes.yaml").read_bytes() == before
    assert run("validate", "-w", str(root)).exit_code == 0


def test_only_what_is_sent_is_forecast(make_workspace: Callable, run: Callable) -> None:
    # A chosen channel that no touch uses was counted in the header with no conversions.
    campaign = CAMPAIGN + (
        "    channels: [email, sms]\n    touches:\n      - {channel: email, at: 2027-01-14T10:00}\n"
    )
    root = make_workspace({"personas/marie.yaml": PERSONA, "campaigns/soldes.yaml": campaign})
    result = run("plan", "-w", str(root), "-f", "json")
    [plan] = json.loads(result.stdout)
    assert [c["channel"] for c in plan["channels"]] == ["email"]
    assert [(f["rule"], f["line"]) for f in plan["findings"]] == [("N104", 7)]
    assert result.exit_code == 0  # a warning
    shown = run("plan", "-w", str(root)).stdout
    assert shown.startswith("soldes : 1 canal, ")
    assert "\n  choisi, sans prévision : sms (aucun envoi ne l'utilise)\n" in shown


def test_a_follow_up_without_a_slot_is_one_error_and_nothing_is_written(
    make_workspace: Callable, run: Callable
) -> None:
    # Two days of campaign: the email following up the SMS would go on the third. It used to
    # be an N102 "between 2027-03-10 and 2027-03-09", an N104 as well, and --write said nothing.
    persona = PERSONA.replace(
        "stage: loyalty", "stage: loyalty\n    pressure: {min_gap_hours: 100}"
    )
    campaign = """
        personas: [marie]
        max_channels: 2
        message: {headline: Soldes, starts: 2027-03-08, ends: 2027-03-09}
    """
    root = make_workspace({"personas/marie.yaml": persona, "campaigns/c.yaml": campaign})
    before = (root / "campaigns/c.yaml").read_bytes()
    result = run("plan", "-w", str(root), "--write", "-f", "json")
    assert result.exit_code == 1
    [plan] = json.loads(result.stdout)
    assert plan["chosen"] == ["sms", "email"]
    assert [f["message"] for f in plan["findings"]] == [
        "campaign 'c': no slot for email to 'marie': following up the sms touch, it would go "
        "on 2027-03-10, after the campaign's last day (2027-03-09)"
    ]
    assert (root / "campaigns/c.yaml").read_bytes() == before
    assert "left campaigns/c.yaml as it was: campaign 'c' could not be planned" in result.stderr


def test_diff_of_a_planned_campaign_proposes_nothing(run: Callable) -> None:
    # The example's campaigns are planned: the same channels in another order is no change.
    result = run("plan", "-w", str(ROOT), "--diff")
    assert (result.exit_code, result.stdout) == (0, "")


@pytest.mark.parametrize(
    ("locale", "zone", "money", "day", "headline"),
    [
        ("en-IE", "Europe/Dublin", r"€\d,\d{3}\.\d{2}", "Wed 13 Jan 2027 09:00",
         "conversions for {m} of {m}$"),
        ("de-DE", "Europe/Berlin", r"\d\.\d{3},\d{2} €", "Mi. 13 Jan. 2027 09:00",
         "Conversions für {m} von {m} Budget$"),
        ("fr-FR", "Europe/Paris", r"\d \d{3},\d{2} €", "mer. 13 janv. 2027 09:00",
         "conversions pour {m} sur un budget de {m}$"),
    ],
)  # fmt: skip
def test_money_and_times_in_the_plan_follow_the_workspace_locale(
    run: Callable, tmp_path: Path, locale: str, zone: str, money: str, day: str, headline: str
) -> None:
    """The plan speaks the workspace's language, and its figures and days are the
    workspace's (JSON keeps plain numbers). German law also changes the plan: no e-mail on
    opt-out."""
    root = tmp_path / "ws"
    shutil.copytree(ROOT, root, ignore=shutil.ignore_patterns("tests", "src", ".*", "examples"))
    settings = root / "mcplan.toml"
    text = settings.read_text("utf-8").replace('locale = "fr-FR"', f'locale = "{locale}"')
    settings.write_text(text.replace('"Europe/Paris"', f'"{zone}"'), encoding="utf-8")
    result = run("plan", "soldes-hiver-2027", "-w", str(root), "-f", "markdown")
    first = result.stdout.splitlines()[0].replace("\u202f", " ").replace("\u00a0", " ")
    assert re.search(headline.replace("{m}", money), first), first
    assert day in result.stdout
    as_json = json.loads(run("plan", "soldes-hiver-2027", "-w", str(root), "-f", "json").stdout)
    assert isinstance(as_json[0]["total"]["cost"], float)
