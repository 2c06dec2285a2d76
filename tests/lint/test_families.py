"""Each rule family on its planted workspace (exact codes and lines) and its clean twin."""

from __future__ import annotations

import pytest

from conftest import WORKSPACES, planted
from mcplan import load_workspace
from mcplan.lint.engine import lint
from mcplan.workspace.settings import LintSettings

LINT = WORKSPACES / "lint"
FAMILIES = {
    "pressure": "P",
    "compliance": "C",
    "consistency": "M",
    "limits": "L",
    "templates": "T",
    "email": "E",
}


@pytest.mark.parametrize("family", sorted(FAMILIES))
def test_planted_violations_are_reported_on_their_lines(family: str) -> None:
    root = LINT / family / "planted"
    result = lint(
        load_workspace(root, discover=False), settings=LintSettings(select=[FAMILIES[family]])
    )
    reported = {(f.location.file, f.location.line, f.rule) for f in result.findings}
    assert reported == planted(root)


@pytest.mark.parametrize("family", sorted(FAMILIES))
def test_the_clean_twin_has_no_finding_at_all(family: str) -> None:
    result = lint(load_workspace(LINT / family / "clean", discover=False))
    assert result.findings == []


@pytest.mark.parametrize("family", sorted(FAMILIES))
def test_one_problem_is_one_finding(family: str) -> None:
    findings = lint(load_workspace(LINT / family / "planted", discover=False)).findings
    keys = [(f.location, f.rule, f.message) for f in findings]
    assert len(keys) == len(set(keys))
