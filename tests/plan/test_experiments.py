"""Message tests and holdouts, planned, rendered and linted, on a German workspace of its own
(tests/workspaces/experiments): every planted defect at its line, nothing in the clean twin."""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from pathlib import Path

import pytest
import statsmodels.stats.power as sm_power
import statsmodels.stats.proportion as sm_proportion

from conftest import ROOT, WORKSPACES, planted
from mcplan import load_workspace
from mcplan.lint.engine import lint
from mcplan.output.preview import findings_by_version, preview_html
from mcplan.plan import plan
from mcplan.render import render_campaign
from mcplan.workspace import Workspace

EXPERIMENTS = WORKSPACES / "experiments"


def _everything(root: Path) -> set[tuple[str, int, str]]:
    """(file, line, code) of every finding of lint and plan."""
    workspace = load_workspace(root, discover=False)
    findings = [*lint(workspace).findings, *(f for p in plan(workspace) for f in p.findings)]
    return {(f.location.file, f.location.line, f.rule) for f in findings}


def test_every_planted_defect_is_found_on_its_line() -> None:
    root = EXPERIMENTS / "planted"
    assert _everything(root) == planted(root)


def test_the_clean_twin_has_no_finding() -> None:
    assert _everything(EXPERIMENTS / "clean") == set()


@pytest.fixture(scope="module")
def clean() -> Workspace:
    return load_workspace(EXPERIMENTS / "clean", discover=False)


def test_a_test_splits_the_channel_s_contacts_after_the_holdout(clean: Workspace) -> None:
    [result] = plan(clean)
    subject, sms = result.tests
    # Anna (60,000 × 0.9) and Jonas (8,000 × 0.8) on e-mail, 5 % held out, split 40/30/30.
    people = (60_000 * 0.9 + 8_000 * 0.8) * 0.95
    assert [a.contacts for a in subject.arms] == pytest.approx(
        [people * s for s in (0.4, 0.3, 0.3)]
    )
    assert [a.reached for a in subject.arms] == pytest.approx(
        [people * s * 0.98 for s in (0.4, 0.3, 0.3)]
    )
    assert subject.baseline_rate == 0.25  # the bundled e-mail open rate
    # Only Anna gets the SMS touch.
    assert [a.contacts for a in sms.arms] == pytest.approx([60_000 * 0.6 * 0.95 / 2] * 2)
    assert subject.powered
    assert sms.powered


def test_the_detectable_lift_is_statsmodels_normal_ind_power(clean: Workspace) -> None:
    [result] = plan(clean)
    subject = result.tests[0]
    control = subject.arms[0]
    power = sm_power.NormalIndPower()
    for arm in subject.arms[1:]:
        ratio = arm.reached / control.reached
        assert arm.min_detectable_lift is not None
        rate = 0.25 * (1 + arm.min_detectable_lift)
        h = sm_proportion.proportion_effectsize(rate, 0.25)
        assert power.power(h, control.reached, 0.05, ratio) == pytest.approx(0.8, abs=1e-9)
    assert subject.min_detectable_lift == max(a.min_detectable_lift or 0 for a in subject.arms)


def test_the_holdout_lowers_the_forecast_and_has_its_own_detectable_lift(
    clean: Workspace, make_workspace: Callable[[dict[str, str | bytes]], Path]
) -> None:
    [held] = plan(clean)
    files = {
        path.relative_to(EXPERIMENTS / "clean").as_posix(): path.read_text("utf-8")
        for path in (EXPERIMENTS / "clean").rglob("*.*")
    }
    files["campaigns/fruehling.yaml"] = files["campaigns/fruehling.yaml"].replace(
        "holdout: 0.05\n", ""
    )
    [whole] = plan(load_workspace(make_workspace(files), discover=False))
    assert held.total.conversions == pytest.approx(whole.total.conversions * 0.95)
    assert held.total.sends == pytest.approx(whole.total.sends * 0.95)
    assert whole.holdout is None
    holdout = held.holdout
    assert holdout is not None
    assert (holdout.contacts, holdout.treated) == pytest.approx((68_000 * 0.05, 68_000 * 0.95))
    assert holdout.baseline_rate == pytest.approx(held.total.conversions / holdout.treated)
    h = sm_proportion.proportion_effectsize(
        holdout.baseline_rate * (1 + holdout.min_detectable_lift), holdout.baseline_rate
    )
    ratio = holdout.treated / holdout.contacts
    assert sm_power.NormalIndPower().power(h, holdout.contacts, 0.05, ratio) == pytest.approx(0.8)


def test_an_underpowered_test_says_why_and_what_would_fix_it() -> None:
    [result] = plan(load_workspace(ROOT, discover=False), ["fete-des-meres-2027"])
    [finding] = [f for f in result.findings if f.rule == "N105"]
    assert finding.location.line == 36  # - id: sms-texte
    assert finding.message.startswith("test 'sms-texte' on sms: with 15,120 contacts in its ")
    assert "not the +10% it looks for" in finding.message
    assert "it would need 343,166 contacts in all" in finding.message
    assert "more frequent metric" in finding.hint
    assert result.planned  # a warning: the plan holds


def test_plan_json_gives_each_test_and_the_holdout(run: Callable[..., object]) -> None:
    result = run("plan", "fete-des-meres-2027", "-w", str(ROOT), "-f", "json")
    [campaign] = json.loads(result.stdout)  # type: ignore[attr-defined]
    subject, sms = campaign["tests"]
    assert {k: subject[k] for k in ("id", "channel", "part", "metric", "powered")} == {
        "id": "objet", "channel": "email", "part": "subject", "metric": "open", "powered": True,
    }  # fmt: skip
    assert [a["arm"] for a in subject["arms"]] == ["a", "b"]
    assert subject["arms"][0]["contacts"] == pytest.approx(48_000 * 0.92 * 0.9 / 2, abs=0.1)
    assert subject["baseline_rate"] == 0.25
    assert 0.04 < subject["min_detectable_lift"] < 0.06
    assert (sms["powered"], sms["contacts_needed"]) == (False, 343_166)
    assert campaign["holdout"]["share"] == 0.1
    assert campaign["holdout"]["contacts"] == 4800.0
    assert result.exit_code == 0  # type: ignore[attr-defined]


def test_the_brief_and_explain_say_what_the_tests_can_detect(run: Callable[..., object]) -> None:
    brief = run("plan", "fete-des-meres-2027", "-w", str(ROOT), "-f", "markdown", "--explain")
    text = brief.stdout.replace("\u202f", " ").replace("\xa0", " ")  # type: ignore[attr-defined]
    # The example is French: so is its brief.
    assert (
        "- test objet (email objet, ouverture) : contacts a 19 872, b 19 872 ; détecte une "
        "hausse de +5 %" in text
    )
    assert "pas +10 % ✗" in text
    assert "- groupe témoin 10 % : 4 800 personnes tenues à l'écart de tout envoi" in text
    assert "test bilatéral de deux proportions au seuil alpha 0,05 et à la puissance 0,8" in text


def test_every_arm_is_a_version_of_its_own(clean: Workspace) -> None:
    rendering = render_campaign(clean, "fruehling")
    keys = [v.key for v in rendering.versions]
    assert keys == ["email@a", "email@b", "email@c", "sms@kurz", "sms@lang"]
    first = rendering.versions[0]
    assert first.label == "email (arm a)"
    assert first.text("subject") == "Der Frühling beginnt bei Grünwerk: 20 %"
    part = next(p for p in first.parts if p.name == "subject")
    assert (part.origin, part.where.line) == ("arm", 24)
    # The other parts are the channel's German template, the same in every arm.
    assert {v.text("body") for v in rendering.versions[:3]} == {first.text("body")}


def test_render_files_are_named_with_the_arm(run: Callable[..., object], tmp_path: Path) -> None:
    out = tmp_path / "out"
    run("render", "fruehling", "-w", str(EXPERIMENTS / "clean"), "--out", str(out), "-f", "json")
    names = sorted(p.name for p in out.iterdir())
    assert names == [
        "email@a.json",
        "email@b.json",
        "email@c.json",
        "sms@kurz.json",
        "sms@lang.json",
    ]
    assert json.loads((out / "sms@kurz.json").read_text("utf-8"))["arm"] == "kurz"


def test_the_preview_shows_the_arms_side_by_side(clean: Workspace) -> None:
    rendering = render_campaign(clean, "fruehling")
    html = preview_html(clean, rendering)
    assert html.count('<div class="arms">') == 2
    assert "Test „betreff“: Betreff, 3 Varianten nebeneinander" in html  # not "subject"
    assert "Variante a · Kontrolle" in html
    assert "Variante kurz · Kontrolle" in html


def test_a_finding_about_one_arm_is_shown_on_that_arm_only() -> None:
    workspace = load_workspace(EXPERIMENTS / "planted", discover=False)
    rendering = render_campaign(workspace, "fruehling")
    by_key = findings_by_version(lint(workspace).findings, rendering)
    assert [f.rule for f in by_key.get("email@b", [])] == ["M101"]
    assert "email@a" not in by_key


def test_arms_add_no_touch(clean: Workspace) -> None:
    """Contact pressure counts touches: the arms of a test are the same touches."""
    [result] = plan(clean)
    assert len(result.touches) == 2
    assert not [f for f in lint(clean).findings if f.rule.startswith("P")]
    assert all(not math.isinf(t.min_detectable_lift) for t in result.tests)


def test_a_persona_s_arms_come_together(clean: Workspace) -> None:
    rendering = render_campaign(clean, "fruehling", channels=["email"], personas=["anna", "jonas"])
    assert [v.key for v in rendering.versions] == [
        "email--anna@a", "email--anna@b", "email--anna@c",
        "email--jonas@a", "email--jonas@b", "email--jonas@c",
    ]  # fmt: skip
    assert rendering.versions[3].label == "email (jonas, arm a)"
    assert preview_html(clean, rendering).count('<div class="arms">') == 2
