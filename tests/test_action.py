"""The GitHub Action, and the workflow the README gives to copy, against the published schemas
of action metadata and workflows (check-jsonschema ships them)."""

from __future__ import annotations

import json
import re
from importlib import resources
from typing import Any

import jsonschema
from ruamel.yaml import YAML

from conftest import ROOT


def _schema(name: str) -> Any:
    vendor = resources.files("check_jsonschema") / "builtin_schemas" / "vendor"
    return json.loads((vendor / f"{name}.json").read_text("utf-8"))


def _load(text: str) -> Any:
    """YAML as GitHub reads it (YAML 1.2: `on:` is a key, not true)."""
    return YAML(typ="safe", pure=True).load(text)


def _errors(document: Any, schema: Any) -> list[str]:
    validator = jsonschema.Draft7Validator(schema)
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(document)]


def test_the_action_is_valid_action_metadata() -> None:
    action = _load((ROOT / "action.yml").read_text("utf-8"))
    assert _errors(action, _schema("github-actions")) == []
    assert action["runs"]["using"] == "composite"
    assert set(action["inputs"]) >= {"workspace", "fail-level", "version"}


def test_inputs_reach_the_scripts_through_the_environment_only() -> None:
    """An input written into a script (`run: mcplan lint ${{ inputs.workspace }}`) would let a
    value run as shell code; the steps read them from their environment."""
    action = _load((ROOT / "action.yml").read_text("utf-8"))
    for step in action["runs"]["steps"]:
        assert "${{" not in step.get("run", ""), step.get("name")


def test_the_readme_workflow_is_a_valid_workflow() -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    [workflow] = re.findall(r"```yaml\n(# \.github/workflows/[^\n]*\n.*?)```", readme, re.S)
    document = _load(workflow)
    assert _errors(document, _schema("github-workflows")) == []
    steps = [s.get("uses", "") for job in document["jobs"].values() for s in job["steps"]]
    assert any(s.startswith("mcplan/mcplan@") for s in steps)
