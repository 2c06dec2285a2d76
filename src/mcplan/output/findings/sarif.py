"""SARIF 2.1.0, for GitHub code scanning: every rule with its documentation, every finding
with its related locations and a fingerprint that survives lines moving."""

from __future__ import annotations

from collections import Counter
from typing import Any
from urllib.parse import quote

from mcplan import __version__
from mcplan.findings import Level, Location, Rule
from mcplan.json_text import json_text
from mcplan.lint.engine import LintResult
from mcplan.lint.registry import RULES, family, help_uri
from mcplan.output.findings._common import with_hint
from mcplan.workspace import BUNDLED_PREFIX

_LEVEL = {Level.ERROR: "error", Level.WARNING: "warning", Level.INFO: "note"}


def emit(result: LintResult) -> str:
    codes = sorted(RULES)
    index = {code: n for n, code in enumerate(codes)}
    seen: Counter[str] = Counter()
    results = []
    for finding in result.findings:
        entry: dict[str, Any] = {"ruleId": finding.rule}
        if finding.rule in index:
            entry["ruleIndex"] = index[finding.rule]
        entry["level"] = _LEVEL[finding.level]
        entry["message"] = {"text": with_hint(finding)}
        entry["locations"] = [_location(finding.location)]
        if finding.related:
            entry["relatedLocations"] = [
                {"id": n, **_location(r.location), "message": {"text": r.label}}
                for n, r in enumerate(finding.related, start=1)
            ]
        key = finding.identity(result.lines).fingerprint
        seen[key] += 1  # the same rule, subject and line twice: tell the two apart
        entry["partialFingerprints"] = {"mcplan/v2": f"{key}:{seen[key]}"}
        results.append(entry)
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "mcplan",
                "version": __version__,
                "informationUri": "https://github.com/mcplan/mcplan",
                "rules": [_rule(RULES[code]) for code in codes],
            }
        },
        "columnKind": "unicodeCodePoints",
        "results": results,
    }
    log = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [run],
    }
    return json_text(log)


def _rule(rule: Rule) -> dict[str, Any]:
    text = "\n\n".join(
        part for part in (rule.summary, rule.details, rule.hint and f"Fix: {rule.hint}") if part
    )
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": rule.details or rule.summary},
        "helpUri": help_uri(rule.code),
        "help": {"text": text},
        "defaultConfiguration": {"level": _LEVEL[rule.level]},
        "properties": {"tags": [family(rule.code).name]},
    }


def _location(where: Location) -> dict[str, Any]:
    start_line, start_column = max(where.line, 1), max(where.column, 1)
    end_line = max(where.end_line or start_line, start_line)
    region = {"startLine": start_line, "startColumn": start_column, "endLine": end_line}
    # A finding without an end is a position, not an empty span: leaving endColumn out makes
    # the region run to the end of the line, which is what viewers should highlight.
    if where.end_column is not None:
        floor = start_column if end_line == start_line else 1
        region["endColumn"] = max(where.end_column, floor)
    return {"physicalLocation": {"artifactLocation": _artifact(where.file), "region": region}}


def _artifact(file: str) -> dict[str, str]:
    # Bundled channel files are not in the user's repository, so they must not resolve against
    # %SRCROOT%: GitHub would link them to a path that does not exist. They keep a location
    # (code scanning wants one) under a base id of their own that nothing declares.
    if file.startswith(BUNDLED_PREFIX):
        name = file.removeprefix(BUNDLED_PREFIX)
        return {"uri": quote(f"mcplan-bundled/{name}"), "uriBaseId": "MCPLAN_BUNDLED"}
    return {"uri": quote(file.replace("\\", "/")), "uriBaseId": "%SRCROOT%"}
