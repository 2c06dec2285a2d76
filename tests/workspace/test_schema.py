"""The published JSON Schemas: generated from the models, described, and accepting the examples."""

from __future__ import annotations

import json
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from conftest import ROOT
from mcplan.workspace.reading import read_text
from mcplan.workspace.schema import KINDS, json_schema, reference_markdown, schema_text
from mcplan.workspace.yamlsource import parse

SCHEMAS = ROOT / "schemas"
EXAMPLES = {
    "persona": sorted((ROOT / "personas").glob("*.yaml")),
    "campaign": sorted((ROOT / "campaigns").glob("*.yaml")),
    "channel": sorted((ROOT / "channel_rules").glob("*.yaml")),
}


@pytest.mark.parametrize("kind", list(KINDS))
def test_committed_schemas_match_the_models(kind: str) -> None:
    committed = (SCHEMAS / f"{kind}.schema.json").read_text("utf-8")
    assert committed == schema_text(kind), (
        "the models changed: run `mcplan schema --write schemas` and commit the result"
    )


def _properties(schema: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    for definition_name, definition in [("", schema), *schema.get("$defs", {}).items()]:
        for name, prop in definition.get("properties", {}).items():
            yield f"{definition_name or schema['title']}.{name}", prop


@pytest.mark.parametrize("kind", list(KINDS))
def test_every_key_has_a_description(kind: str) -> None:
    schema = json_schema(kind)
    jsonschema.Draft202012Validator.check_schema(schema)
    undocumented = [name for name, prop in _properties(schema) if not prop.get("description")]
    assert undocumented == []


@pytest.mark.parametrize(
    ("kind", "path"),
    [(kind, path) for kind, paths in EXAMPLES.items() for path in paths],
    ids=lambda v: v if isinstance(v, str) else v.name,
)
def test_example_files_satisfy_their_schema(kind: str, path: Path) -> None:
    first_line = path.read_text("utf-8").splitlines()[0]
    assert first_line == f"# yaml-language-server: $schema=../schemas/{kind}.schema.json"
    data = json.loads(json.dumps(parse(read_text(path, path.name, path.parent), path.name).data))
    jsonschema.validate(data, json_schema(kind))


def test_id_is_optional_and_a_partial_channel_needs_extends() -> None:
    jsonschema.validate({"market": "b2c", "size": 1, "stage": "loyalty"}, json_schema("persona"))
    channel = json_schema("channel")
    jsonschema.validate({"extends": "sms", "cost_per_contact": 0.04}, channel)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"cost_per_contact": 0.04}, channel)


def test_example_settings_satisfy_their_schema() -> None:
    text = (ROOT / "mcplan.toml").read_text("utf-8")
    assert text.startswith("#:schema ./schemas/settings.schema.json\n")
    jsonschema.validate(tomllib.loads(text), json_schema("settings"))


def test_hours_accept_one_range_or_several_in_the_schema() -> None:
    schema = json_schema("channel")
    for hours in (["08:00", "20:00"], [["10:00", "13:00"], ["14:00", "20:00"]]):
        jsonschema.validate(
            {
                "id": "c",
                "direction": "outbound",
                "cost_per_contact": 0,
                "rates": {"open": 1, "click": 0, "conversion": 0},
                "window": {"hours": hours},
            },
            schema,
        )


def test_format_reference_is_generated_from_the_models(update_goldens: bool) -> None:
    reference = ROOT / "docs" / "format.md"
    if update_goldens:
        reference.write_text(reference_markdown(), encoding="utf-8")
    assert reference.read_text("utf-8") == reference_markdown(), (
        "the models changed: run `python -m pytest --update-goldens` and commit docs/format.md"
    )
