"""Configuration, inline suppressions, baselines and path filters of `mcplan lint`."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import CAMPAIGN, PERSONA, WORKSPACES
from mcplan import Level, load_workspace
from mcplan.lint.config import fail_level
from mcplan.lint.config import selected as selected_rules
from mcplan.lint.engine import lint
from mcplan.workspace.settings import LintSettings

PRESSURE = WORKSPACES / "lint" / "pressure" / "planted"


def copy(tmp_path: Path, source: Path = PRESSURE) -> Path:
    import shutil

    root = tmp_path / "ws"
    shutil.copytree(source, root)
    return root


def codes(root: Path, **settings: object) -> list[tuple[str, int, str]]:
    config = LintSettings(**settings) if settings else None  # type: ignore[arg-type]
    result = lint(load_workspace(root, discover=False), settings=config)
    return [(f.location.file, f.location.line, f.rule) for f in result.findings]


def test_select_and_ignore_by_code_or_prefix() -> None:
    # Subsets, so that a new rule of the family adds to them without changing this test.
    chosen = selected_rules(LintSettings(select=["P1"], ignore=["P104", "P105"]))
    assert {"P101", "P102", "P103"} <= chosen
    assert all(code.startswith("P1") for code in chosen)
    assert not chosen & {"P104", "P105"}
    assert "S101" in selected_rules(LintSettings())
    found = {rule for _, _, rule in codes(PRESSURE, select=["P"], ignore=["P105"])}
    assert {"P101", "P102", "P103", "P104"} <= found
    assert "P105" not in found


def test_levels_can_be_changed_or_turned_off() -> None:
    config = LintSettings(select=["P"], levels={"P104": "error", "P105": "off"})
    result = lint(load_workspace(PRESSURE, discover=False), settings=config)
    levels = {f.rule: f.level for f in result.findings}
    assert levels["P104"] is Level.ERROR
    assert "P105" not in levels


def test_per_path_ignores() -> None:
    found = codes(PRESSURE, select=["P"], per_path_ignores={"campaigns/d.yaml": ["P"]})
    assert not [f for f in found if f[0] == "campaigns/d.yaml"]
    assert [f for f in found if f[0] == "campaigns/a.yaml"]


def test_configuration_is_read_from_the_workspace(tmp_path: Path) -> None:
    root = copy(tmp_path)
    (root / "mcplan.toml").write_text(
        'brand = "Maison Lumen"\n[lint]\nselect = ["P10"]\nignore = ["P101", "P102"]\n',
        encoding="utf-8",
    )
    found = {rule for _, _, rule in codes(root)}
    assert {"P103", "P104", "P105"} <= found
    assert all(rule.startswith("P10") and rule not in ("P101", "P102") for rule in found)


def test_an_unknown_rule_in_the_configuration_is_an_error(tmp_path: Path) -> None:
    root = copy(tmp_path)
    (root / "mcplan.toml").write_text('[lint]\nignore = ["P9"]\n', encoding="utf-8")
    result = lint(load_workspace(root, discover=False))
    [error] = result.config_errors
    assert error.location.line == 2
    assert "unknown rule 'P9'" in error.message


def test_inline_suppressions_on_a_line_and_for_a_file(tmp_path: Path) -> None:
    root = copy(tmp_path)
    a = root / "campaigns/a.yaml"
    text = a.read_text("utf-8").replace("# expect: P101", "# mcplan: disable=P101")
    a.write_text(text, encoding="utf-8")
    d = root / "campaigns/d.yaml"
    d.write_text("# mcplan: disable-file=P102\n" + d.read_text("utf-8"), encoding="utf-8")
    found = codes(root, select=["P", "X"])
    assert ("campaigns/a.yaml", 12, "P101") not in found
    assert ("campaigns/d.yaml", 14, "P102") not in found
    assert ("campaigns/d.yaml", 12, "P105") in found  # only P102 is silenced
    assert not [f for f in found if f[2] == "X101"]


def test_unused_and_unknown_suppressions_are_reported(tmp_path: Path) -> None:
    root = copy(tmp_path)
    a = root / "campaigns/a.yaml"
    lines = a.read_text("utf-8").splitlines()
    lines[8] += "  # mcplan: disable=P102"  # nothing to silence on that line
    lines[9] += "  # mcplan: disable=Q999"
    a.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = lint(load_workspace(root, discover=False), settings=LintSettings(select=["P", "X"]))
    unused = [f for f in result.findings if f.rule == "X101"]
    assert [(f.location.line, f.message) for f in unused] == [
        (9, "suppression of P102 silences nothing"),
        (10, "suppression names no rule: Q999"),
    ]


def test_baseline_reports_only_new_findings_matched_by_content(
    tmp_path: Path, run: Callable
) -> None:
    root = copy(tmp_path)
    base = tmp_path / "baseline.json"
    first = run("lint", "-w", str(root), "--baseline", str(base), "-f", "concise")
    assert first.exit_code == 0
    assert first.stderr.startswith("mcplan: recorded ")
    recorded = json.loads(base.read_text("utf-8"))
    assert recorded["version"] == 1
    # Lines added above the findings do not bring them back…
    a = root / "campaigns/a.yaml"
    a.write_text("# a comment\n\n" + a.read_text("utf-8"), encoding="utf-8")
    again = run("lint", "-w", str(root), "--baseline", str(base), "-f", "concise")
    assert (again.exit_code, again.stdout) == (0, "")
    assert "in the baseline" in again.stderr
    # …but a new finding is reported.
    c = root / "campaigns/c.yaml"
    c.write_text(
        c.read_text("utf-8") + "  - {channel: sms, at: 2027-03-07T10:00}\n", encoding="utf-8"
    )
    new = run("lint", "-w", str(root), "--baseline", str(base), "-f", "concise")
    assert new.exit_code == 1
    assert new.stdout.startswith("campaigns/c.yaml:12:5: ")


def test_paths_limit_what_is_reported_not_what_is_checked(run: Callable) -> None:
    result = run("lint", "campaigns/b.yaml", "-f", "json", cwd=PRESSURE)
    findings = json.loads(result.stdout)
    # Every finding reported involves the file: it is on a touch there, or counts one.
    assert all(
        f["file"] == "campaigns/b.yaml" or "campaigns/b.yaml" in {r["file"] for r in f["related"]}
        for f in findings
    )
    everything = lint(load_workspace(PRESSURE, discover=False)).findings
    involved = [f for f in everything if "campaigns/b.yaml" in f.files]
    assert len(findings) == len(involved) < len(everything)
    # Its P101 counts touches of campaigns/a.yaml, and is reported all the same.
    assert {f["file"] for f in findings} >= {"campaigns/b.yaml"}


def test_a_finding_caused_by_a_persona_file_is_reported_for_it(run: Callable) -> None:
    # pre-commit passes only the changed files: lowering a cap in a persona file must bring up
    # the pressure findings it causes in the campaign files.
    result = run("lint", "personas/marie.yaml", "-f", "json", cwd=PRESSURE)
    rules = {(f["file"], f["rule"]) for f in json.loads(result.stdout)}
    assert ("campaigns/a.yaml", "P101") in rules
    assert result.exit_code == 1


@pytest.mark.parametrize(
    ("level", "expected"), [("error", True), ("warning", True), ("info", True), ("never", False)]
)
def test_fail_levels(level: str, expected: bool) -> None:
    result = lint(load_workspace(PRESSURE, discover=False))
    assert (result.exit_code(fail_level(level)) == 1) is expected


@pytest.mark.parametrize(
    ("changed", "content", "rule"),
    [
        ("mcplan.toml", "[pressure]\nmax_per_week = 2\n", "P101"),
        ("channel_rules/sms.yaml", "extends: sms\npressure: {max_per_week: 1}\n", "P102"),
    ],
)
def test_a_finding_caused_by_the_settings_or_a_channel_rule_is_reported_for_it(
    tmp_path: Path, run: Callable, changed: str, content: str, rule: str
) -> None:
    root = copy(tmp_path)
    (root / changed).parent.mkdir(exist_ok=True)
    (root / changed).write_text(content, encoding="utf-8")
    result = run("lint", changed, "-f", "json", cwd=root)
    found = json.loads(result.stdout)
    assert rule in {f["rule"] for f in found}
    assert all(changed in {f["file"], *(r["file"] for r in f["related"])} for f in found)


def test_every_pressure_finding_belongs_to_the_persona_file(
    make_workspace: Callable, run: Callable
) -> None:
    # The persona's time zone says when each touch lands, and so which day and how far
    # apart: a commit that changes only the persona file must show what it causes.
    root = make_workspace(
        {
            "personas/marie.yaml": PERSONA + "    timezone: America/New_York\n",
            "campaigns/c.yaml": CAMPAIGN
            + "    touches:\n"
            + "      - {channel: sms, at: 2027-01-14T09:00}\n"
            + "      - {channel: sms, at: 2027-01-14T19:00}\n",
        }
    )
    everything = json.loads(run("lint", "-f", "json", cwd=root).stdout)
    assert {"P103", "P104"} <= {f["rule"] for f in everything}
    result = run("lint", "personas/marie.yaml", "-f", "json", cwd=root)
    assert result.exit_code == 1
    assert json.loads(result.stdout) == everything
    related = {(r["file"], r["line"]) for f in everything for r in f["related"]}
    assert ("personas/marie.yaml", 7) in related  # its time zone
