"""`mcplan lint` as CI runs it: exit codes, formats, GitHub integration, configuration errors."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import ROOT, WORKSPACES

PRESSURE = WORKSPACES / "lint" / "pressure" / "planted"
LIMITS = WORKSPACES / "lint" / "limits" / "planted"


@pytest.fixture(autouse=True)
def _not_on_github(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)


def test_the_example_workspace_is_lint_clean(run: Callable) -> None:
    result = run("lint", "-w", str(ROOT))
    assert (result.exit_code, result.stdout) == (0, "")
    assert result.stderr == "mcplan: no findings in 4 personas, 3 campaigns, 2 journeys\n"


def test_errors_fail_the_run_and_fail_level_moves_the_bar(run: Callable) -> None:
    assert run("lint", "-w", str(PRESSURE)).exit_code == 1
    assert run("lint", "-w", str(PRESSURE), "--fail-level", "never").exit_code == 0
    assert run("lint", "-w", str(PRESSURE), "--exit-zero").exit_code == 0
    only_warnings = ["-w", str(PRESSURE), "campaigns/c.yaml"]
    assert run("lint", *only_warnings, cwd=PRESSURE).exit_code == 0  # P104, P105: warnings
    assert run("lint", *only_warnings, "--fail-level", "warning", cwd=PRESSURE).exit_code == 1


def test_concise_and_json(run: Callable) -> None:
    concise = run("lint", "-f", "concise", cwd=LIMITS).stdout.splitlines()
    assert concise[0] == (
        "campaigns/email-subject.yaml:14:5: error L101 email subject: 70 characters (limit 60)"
    )
    rows = json.loads(run("lint", "-w", str(LIMITS), "-f", "json").stdout)
    assert set(rows[0]) >= {
        "rule", "level", "file", "line", "column", "end_line", "end_column", "message", "hint",
    }  # fmt: skip
    assert len(rows) == len(concise)


def test_github_is_the_default_on_github_with_a_step_summary(
    run: Callable, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step\n", encoding="utf-8")
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    result = run("lint", cwd=LIMITS)
    assert result.stdout.startswith(
        "::error file=campaigns/email-subject.yaml,line=14,endLine=14,col=5,"
    )
    written = summary.read_text("utf-8")
    assert written.startswith("earlier step\n")  # appended, never overwritten
    assert written.count("| L10") == len(result.stdout.splitlines())


def test_several_outputs_at_once(run: Callable, tmp_path: Path) -> None:
    sarif, junit = tmp_path / "lint.sarif", tmp_path / "lint.xml"
    result = run("lint", "-w", str(LIMITS), "-f", "concise",
                 "--output", f"sarif={sarif}", "--output", f"junit={junit}")  # fmt: skip
    assert result.exit_code == 1
    assert json.loads(sarif.read_text("utf-8"))["version"] == "2.1.0"
    assert junit.read_text("utf-8").startswith("<?xml")


@pytest.mark.parametrize("value", ["xml=out.xml", "sarif", "text=out.txt"])
def test_bad_output_options_are_usage_errors(run: Callable, value: str) -> None:
    result = run("lint", "-w", str(LIMITS), "--output", value)
    assert result.exit_code == 2
    assert "--output expects FMT=FILE" in result.stderr


def test_a_configuration_error_exits_2(run: Callable, tmp_path: Path) -> None:
    root = tmp_path / "ws"
    shutil.copytree(LIMITS, root)
    (root / "mcplan.toml").write_text('[lint]\nselect = ["Q"]\n', encoding="utf-8")
    result = run("lint", "-w", str(root))
    assert result.exit_code == 2
    assert "mcplan.toml:2:1: error S301 lint.select[0]: unknown rule 'Q'" in result.stderr
    assert result.stderr.endswith("mcplan: error: the lint configuration has errors\n")


def test_a_quoted_pattern_of_the_configuration_is_found_on_its_line(
    run: Callable, tmp_path: Path
) -> None:
    root = tmp_path / "ws"
    shutil.copytree(LIMITS, root)
    (root / "mcplan.toml").write_text(
        '[lint.per_path_ignores]\n"campaigns/**" = ["PX01"]\n', encoding="utf-8"
    )
    result = run("lint", "-w", str(root))
    assert result.exit_code == 2
    assert "mcplan.toml:2:1: error S203 lint.per_path_ignores.campaigns/**[0]" in result.stderr


@pytest.mark.parametrize(
    ("settings", "line"),
    [('brnad = "Lumen"\n', "mcplan.toml:1:1: error S201 brnad: unknown key 'brnad'"),
     ('[pressure]\nmax_per_week = "two"\n', "mcplan.toml:2:1: error S203 pressure.max_per_week")],
)  # fmt: skip
def test_a_settings_error_outside_lint_is_a_finding_like_any_other(
    run: Callable, tmp_path: Path, settings: str, line: str
) -> None:
    # It does not change what lint reports: the SARIF file for code scanning is written.
    root = tmp_path / "ws"
    shutil.copytree(LIMITS, root)
    (root / "mcplan.toml").write_text(settings, encoding="utf-8")
    sarif = tmp_path / "mcplan.sarif"
    result = run("lint", "-w", str(root), "-f", "concise", "--output", f"sarif={sarif}")
    assert result.exit_code == 1
    assert line in result.stdout
    assert "mcplan.toml" in sarif.read_text("utf-8")


def test_an_unreadable_file_exits_2_after_reporting_everything(
    run: Callable, tmp_path: Path
) -> None:
    root = tmp_path / "ws"
    shutil.copytree(LIMITS, root)
    (root / "personas/broken.yaml").write_text("a: [\n", encoding="utf-8")
    result = run("lint", "-w", str(root), "-f", "concise")
    assert result.exit_code == 2
    assert "personas/broken.yaml:2:1: error S101" in result.stdout
    assert "L101" in result.stdout  # the rest was still checked


def test_a_path_outside_the_workspace_has_nothing_to_report(run: Callable, tmp_path: Path) -> None:
    # pre-commit passes every changed file its pattern matches, docs/personas/x.yaml too:
    # the files of the workspace are still checked.
    elsewhere = tmp_path / "docs" / "personas" / "x.yaml"
    elsewhere.parent.mkdir(parents=True)
    elsewhere.write_text("market: b2c\n", encoding="utf-8")
    alone = run("lint", "-w", str(LIMITS), str(elsewhere), "-f", "json")
    assert (alone.exit_code, json.loads(alone.stdout)) == (0, [])
    assert alone.stderr.startswith(f"mcplan: {elsewhere}: not in the workspace, nothing to check")
    both = run("lint", "-w", str(LIMITS), str(elsewhere), str(LIMITS / "campaigns"), "-f", "json")
    assert both.exit_code == 1
    assert json.loads(both.stdout)


def test_a_folder_that_is_not_a_workspace_is_a_usage_error(run: Callable, tmp_path: Path) -> None:
    result = run("lint", "-w", str(tmp_path))
    assert result.exit_code == 2
    assert f"{tmp_path} is not an mcplan workspace" in result.stderr


def test_a_path_that_does_not_exist_is_a_usage_error(run: Callable) -> None:
    result = run("lint", "campaigns/noel.yaml", cwd=ROOT)  # a typo must not pass as green
    assert result.exit_code == 2
    assert result.stderr == "mcplan: error: campaigns/noel.yaml: no such file or folder\n"


def test_a_workspace_in_a_subfolder_names_files_from_where_lint_runs(
    run: Callable, tmp_path: Path
) -> None:
    # A repository with its campaigns in marketing/: CI runs from the repository's root, and
    # annotations, SARIF and every other output must name files that exist from there.
    repository = tmp_path / "repo"
    shutil.copytree(PRESSURE, repository / "marketing")
    concise = run("lint", "-w", "marketing", "-f", "concise", cwd=repository).stdout
    assert concise.startswith("marketing/campaigns/a.yaml:")
    assert all(line.startswith("marketing/") for line in concise.splitlines())
    github = run("lint", "-w", "marketing", "-f", "github", cwd=repository).stdout
    assert github.startswith("::warning file=marketing/campaigns/a.yaml,")
    sarif = json.loads(run("lint", "-w", "marketing", "-f", "sarif", cwd=repository).stdout)
    uris = {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        for r in sarif["runs"][0]["results"]
    }
    assert uris
    assert all(uri.startswith("marketing/") for uri in uris)
    text = run("lint", "-w", "marketing", cwd=repository).stdout
    assert "    = marketing/campaigns/" in text  # related locations too
    assert "│   - {channel:" in text  # the source lines are found
    # Paths are given as the user sees them, and a finding a file causes elsewhere comes too.
    one = run(
        "lint", "-w", "marketing", "marketing/personas/marie.yaml", "-f", "json", cwd=repository
    )
    assert one.exit_code == 1
    assert {f["file"] for f in json.loads(one.stdout)} <= {
        "marketing/campaigns/c.yaml",
        "marketing/personas/marie.yaml",
        "marketing/campaigns/a.yaml",
        "marketing/campaigns/b.yaml",
        "marketing/campaigns/d.yaml",
    }


def test_from_inside_the_workspace_files_are_named_from_there(
    run: Callable, tmp_path: Path
) -> None:
    # Run from campaigns/, "campaigns/a.yaml" named a file that is not there.
    root = tmp_path / "ws"
    shutil.copytree(PRESSURE, root)
    result = run(
        "lint", "-f", "concise", "a.yaml", "../personas/marie.yaml", cwd=root / "campaigns"
    )
    lines = result.stdout.splitlines()
    assert lines
    assert all(line.startswith(("../campaigns/", "../personas/")) for line in lines)
    for line in lines:
        assert (root / "campaigns" / line.split(":")[0]).is_file()
    again = run("lint", "-f", "concise", "-w", "..", cwd=root / "campaigns")
    assert again.stdout.startswith("../campaigns/a.yaml:")


def test_a_baseline_holds_from_wherever_lint_runs(run: Callable, tmp_path: Path) -> None:
    repository = tmp_path / "repo"
    shutil.copytree(PRESSURE, repository / "marketing")
    baseline = repository / "lint-baseline.json"
    assert (
        run("lint", "-w", "marketing", "--baseline", str(baseline), cwd=repository).exit_code == 0
    )
    entries = json.loads(baseline.read_text("utf-8"))["findings"]
    assert all(not e["file"].startswith("marketing/") for e in entries)  # the workspace's names
    again = run("lint", "--baseline", str(baseline), cwd=repository / "marketing")
    assert again.exit_code == 0, again.stdout
