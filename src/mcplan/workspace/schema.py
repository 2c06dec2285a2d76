"""JSON Schemas of the workspace file kinds, generated from the models (for editors and CI)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from mcplan.errors import UsageError
from mcplan.json_text import json_text
from mcplan.workspace.campaign import Campaign
from mcplan.workspace.channel import Channel
from mcplan.workspace.fields import LOCALE_PATTERN
from mcplan.workspace.ids import ID_PATTERN
from mcplan.workspace.journey import Journey
from mcplan.workspace.journey_steps import DURATION_PATTERN
from mcplan.workspace.markets import COUNTRY_PATTERN
from mcplan.workspace.persona import Persona
from mcplan.workspace.problems import number_text
from mcplan.workspace.settings import Settings
from mcplan.workspace.times import CLOCK_PATTERN, DATETIME_PATTERN
from mcplan.writing import open_folder

KINDS: dict[str, type[BaseModel]] = {
    "persona": Persona,
    "campaign": Campaign,
    "journey": Journey,
    "channel": Channel,
    "settings": Settings,
}
DRAFT = "https://json-schema.org/draft/2020-12/schema"


def json_schema(kind: str) -> dict[str, Any]:
    """The JSON Schema of one file kind (``persona``, ``campaign``, ``channel``, ``settings``)."""
    if kind not in KINDS:
        raise UsageError(f"unknown kind '{kind}': choose one of {', '.join(KINDS)}")
    schema = {"$schema": DRAFT, **KINDS[kind].model_json_schema()}
    required = schema.get("required", [])
    if "id" in required:
        required.remove("id")  # defaults to the file name
    if kind == "channel":
        # A file that `extends` another channel only writes the keys it changes.
        schema["anyOf"] = [{"required": ["extends"]}, {"required": required}]
        del schema["required"]
    return schema


def schema_text(kind: str) -> str:
    """The schema as the stable JSON text written to ``<kind>.schema.json``."""
    return json_text(json_schema(kind))


def write_schemas(folder: Path) -> list[Path]:
    """Write every kind's schema into ``folder`` as ``<kind>.schema.json``; return the paths.

    Raises OSError when they cannot be written (see :func:`mcplan.writing.open_folder`)."""
    written = []
    with open_folder(folder, create=True) as into:
        for kind in KINDS:
            into.write(f"{kind}.schema.json", schema_text(kind))
            written.append(folder / f"{kind}.schema.json")
    return written


_PATTERN_NAMES = {
    ID_PATTERN: "id",
    CLOCK_PATTERN: "HH:MM",
    LOCALE_PATTERN: "locale, like `fr-FR`",
    COUNTRY_PATTERN: "country code, like `FR`, or region, like `FR-57`",
    "^[A-Z]{3}$": "currency code, like `EUR`",
    DATETIME_PATTERN: "date-time, like `2027-01-13T09:00`",
    DURATION_PATTERN: "duration, like `36h`, `3d` or `2w`",
}


def reference_markdown() -> str:
    """Every key of every file kind as Markdown tables (``docs/format.md`` is this text)."""
    out = [
        "# File format reference",
        "",
        "Generated from the models by `mcplan.workspace.schema.reference_markdown()`; a test",
        "fails when it drifts. Each table lists the keys of one mapping; *required* keys have no",
        "default.",
        "",
    ]
    titles = {"persona": "Persona", "campaign": "Campaign", "journey": "Journey"}
    titles["channel"] = "Channel rules"
    titles["settings"] = "Settings (mcplan.toml, or [tool.mcplan] in pyproject.toml)"
    for kind in KINDS:
        schema = json_schema(kind)
        out += [f"## {titles[kind]}", "", schema.get("description", ""), ""]
        out += _key_table(schema, schema)
        for name, definition in schema.get("$defs", {}).items():
            if "properties" in definition:
                out += [f"### {kind}: `{name}`", "", definition.get("description", ""), ""]
                out += _key_table(definition, schema)
    return "\n".join(out).rstrip() + "\n"


def _key_table(definition: dict[str, Any], schema: dict[str, Any]) -> list[str]:
    rows = ["| key | type | default | description |", "| --- | --- | --- | --- |"]
    required = set(definition.get("required", []))
    for alternative in definition.get("anyOf", []):  # channel: required unless `extends`
        required |= set(alternative.get("required", [])) - {"extends"}
    for key, prop in definition.get("properties", {}).items():
        if key in required and key != "id":
            default = "*required*"
        elif prop.get("default") is not None:
            default = f"`{json.dumps(prop['default'], ensure_ascii=False)}`"
        else:
            default = ""
        description = prop.get("description", "").replace("|", "\\|")
        rows.append(f"| `{key}` | {_type(prop, schema)} | {default} | {description} |")
    return [*rows, ""]


def _type(prop: Any, schema: dict[str, Any]) -> str:
    """How the reference names a value's type: `id`, `list of text`, `number 0–1`…"""
    if not isinstance(prop, dict) or not prop:
        return "any"
    if "enum" in prop:
        return _choices(prop["enum"])
    if "$ref" in prop:
        return _named_type(prop["$ref"], schema)
    if "const" in prop:
        return f"`{prop['const']}`"
    if "anyOf" in prop or "oneOf" in prop:
        alternatives = prop.get("anyOf") or prop["oneOf"]
        kinds = [_type(p, schema) for p in alternatives if p.get("type") != "null"]
        return " or ".join(kinds)
    kind = prop.get("type")
    if kind == "array":
        return _list_type(prop, schema)
    if kind == "object":
        return _mapping_type(prop, schema)
    if kind in ("number", "integer"):
        return _number_type(prop, kind)
    if kind == "string":
        return _text_type(prop)
    return {"boolean": "true/false"}.get(kind or "", kind or "any")


def _choices(values: list[Any]) -> str:
    return " \\| ".join(f"`{v}`" for v in values)


def _named_type(ref: str, schema: dict[str, Any]) -> str:
    """A definition's name, or its words when it is an enumeration."""
    name = ref.rsplit("/", 1)[-1]
    target = schema["$defs"][name]
    return _choices(target["enum"]) if "enum" in target else f"`{name}`"


def _list_type(prop: dict[str, Any], schema: dict[str, Any]) -> str:
    if "prefixItems" in prop:
        return "[start, end] times"
    return f"list of {_type(prop.get('items', {}), schema)}"


def _mapping_type(prop: dict[str, Any], schema: dict[str, Any]) -> str:
    values: Any = prop.get("additionalProperties") or next(
        iter(prop.get("patternProperties", {}).values()), {}
    )
    return f"mapping to {_type(values, schema)}" if values else "mapping"


def _number_type(prop: dict[str, Any], kind: str) -> str:
    """``number 0–1``, ``whole number ≥ 1``: its bounds as the schema writes them."""
    low, high = prop.get("minimum"), prop.get("maximum")
    word = "number" if kind == "number" else "whole number"
    if low is not None and high is not None:
        return f"{word} {number_text(low)}–{number_text(high)}"
    return f"{word} ≥ {number_text(low)}" if low is not None else word


def _text_type(prop: dict[str, Any]) -> str:
    """A date, a URL, what its pattern means (an id, a locale…), or text."""
    if prop.get("format") in ("date", "uri"):
        return {"date": "date", "uri": "URL"}[prop["format"]]
    if "pattern" in prop:
        return _PATTERN_NAMES.get(prop["pattern"], "text")
    return "text"
