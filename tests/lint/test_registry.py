"""The rule registry: one declaration per rule, documented, and every example right."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import ROOT, Golden, generated_part
from mcplan import load_workspace
from mcplan.findings import Level
from mcplan.lint.engine import lint
from mcplan.lint.registry import FAMILIES, RULES, matching
from mcplan.output.rules import docs_markdown, readme_table
from mcplan.plan import plan
from mcplan.rule_examples import BASE, files

# Rules whose example cannot be a few lines of text.
NO_EXAMPLE = {
    "S102": "a file that is not UTF-8",
    "S103": "a file over 1 MB",
    "S105": "a file of 100,000 values",
    "S108": "a link out of the workspace, a FIFO",
}


def test_every_code_is_declared_once_in_one_family() -> None:
    codes = [rule.code for family in FAMILIES for rule in family.rules]
    assert len(codes) == len(set(codes)) == len(RULES)
    for family in FAMILIES:
        assert {rule.code[0] for rule in family.rules} == {family.letter}, family.name
        assert family.doc.strip(), family.name
        assert family.summary, family.name
        assert "\n" not in family.summary, family.name
    assert len({family.letter for family in FAMILIES}) == len(FAMILIES)


def test_every_family_but_planning_and_the_linter_has_something_for_lint_to_run() -> None:
    # Planning's findings come from `mcplan plan`, the linter's own from the suppressions.
    idle = {f.letter for f in FAMILIES if f.check is None and f.check_campaign is None}
    assert idle == {"N", "X"}
    assert all(f.check_campaign is not None for f in FAMILIES if f.merge is not None)


def test_every_rule_is_documented() -> None:
    for rule in RULES.values():
        assert re.fullmatch("[a-z0-9-]+", rule.name), rule.code
        assert rule.summary.endswith("."), rule.code
        assert isinstance(rule.level, Level)
        assert rule.code in NO_EXAMPLE or rule.fails, f"{rule.code} has no failing example"


def test_selectors_name_codes_families_and_prefixes() -> None:
    assert matching("ALL") == list(RULES)
    assert matching("P10")[:5] == ["P101", "P102", "P103", "P104", "P105"]
    assert all(code.startswith("P10") for code in matching("P10"))
    assert matching("Q") == []


def _workspace(tmp_path: Path, example: str) -> Path:
    written = files(example)
    assert written, "an example names its files: # campaigns/noel.yaml"
    for name, text in {**BASE, **written}.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    for folder in ("personas", "campaigns", "channel_rules"):
        (tmp_path / folder).mkdir(exist_ok=True)
    return tmp_path


def _found(root: Path) -> dict[str, Level]:
    """Every rule found in the workspace by lint and plan, at its highest level."""
    workspace = load_workspace(root, discover=False)
    findings = [*lint(workspace).findings, *(f for p in plan(workspace) for f in p.findings)]
    found: dict[str, Level] = {}
    for finding in findings:
        found[finding.rule] = max(finding.level, found.get(finding.rule, Level.INFO))
    return found


EXAMPLES = [
    (rule.code, kind, example)
    for rule in RULES.values()
    for kind, example in (("fails", rule.fails), ("passes", rule.passes))
    if example
]


@pytest.mark.parametrize(
    ("code", "kind", "example"), EXAMPLES, ids=[f"{c}-{k}" for c, k, _ in EXAMPLES]
)
def test_every_documented_example_does_what_it_says(
    code: str, kind: str, example: str, tmp_path: Path
) -> None:
    found = _found(_workspace(tmp_path, example))
    if kind == "fails":
        assert code in found
    else:  # a passing example is one to copy: it has no error at all
        assert code not in found
        assert [rule for rule, level in found.items() if level is Level.ERROR] == []


def test_docs_rules_md_is_generated_from_the_registry(golden: Golden) -> None:
    golden(ROOT / "docs" / "rules.md", docs_markdown(FAMILIES))


def test_the_readme_rule_table_is_generated_from_the_registry(update_goldens: bool) -> None:
    generated_part(
        ROOT / "README.md",
        "<!-- rules: generated from the registry; `python -m pytest --update-goldens` -->",
        "<!-- end of the rules -->",
        readme_table(FAMILIES),
        update_goldens,
    )
