"""The output formats of `mcplan lint`: for people (text), for scripts and for CI systems.

Every format but ``text`` is a pure function of the findings, so that CI artefacts are
byte-for-byte reproducible: no timestamps, no durations, no absolute paths unless asked for.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import quote

from rich.cells import cell_len
from rich.console import Console
from rich.text import Text

from mcplan import __version__
from mcplan.findings import Finding, Level
from mcplan.output.findings.lines import as_json as _json_list
from mcplan.output.findings.lines import summary
from mcplan.rules import RULES
from mcplan.workspace import BUNDLED_PREFIX
from mcplan.workspace.yamlsource import MAX_FILE_BYTES

FORMATS = ("text", "concise", "json", "github", "sarif", "junit")

_STYLE = {Level.ERROR: "bold red", Level.WARNING: "yellow", Level.INFO: "cyan"}
_GITHUB_COMMAND = {Level.ERROR: "error", Level.WARNING: "warning", Level.INFO: "notice"}
_SARIF_LEVEL = {Level.ERROR: "error", Level.WARNING: "warning", Level.INFO: "note"}
_FAMILY = {
    "S": "structure",
    "T": "templates",
    "P": "pressure",
    "C": "compliance",
    "M": "consistency",
    "L": "channel-limits",
    "X": "linter",
}
# The line breaks PyYAML counts, so that finding line numbers point at the right source line.
_LINE_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")
# Characters XML 1.0 cannot hold even escaped: a message quoting a control character would
# otherwise make the whole report unparsable.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _with_hint(finding: Finding) -> str:
    return f"{finding.message} — {finding.hint}" if finding.hint else finding.message


# -- text ------------------------------------------------------------------------------------


def _source_lines(root: Path, file: str) -> list[str] | None:
    if file.startswith(BUNDLED_PREFIX):
        return None
    path = root / file
    try:
        if path.stat().st_size > MAX_FILE_BYTES:  # S103 already says it is too big to read
            return None
        # "replace" so that an S102 (bad encoding) finding still shows the line around the byte.
        text = path.read_bytes().decode("utf-8-sig", errors="replace")
    except OSError:
        return None
    return _LINE_BREAK.split(text)


def _snippet(finding: Finding, lines: list[str]) -> list[Text]:
    loc = finding.location
    if not 1 <= loc.line <= len(lines):
        return []
    # Tabs would make the caret line drift, and the column counts a tab as one character.
    source = lines[loc.line - 1].replace("\t", " ")
    start = min(max(loc.column, 1), len(source) + 1) - 1
    if loc.end_line is not None and loc.end_line > loc.line:
        end = len(source)  # a span over several lines: underline the rest of the first one
    elif loc.end_column is not None:
        end = loc.end_column - 1
    else:
        end = start
    # At least one caret, even for an empty span or one past the end of the line.
    end = min(max(end, start + 1), max(len(source), start + 1))
    # Cell widths, not code points, so the carets stay under wide characters (emoji, CJK).
    pad = cell_len(source[:start])
    width = max(cell_len(source[start:end]), 1)
    gutter = f"{loc.line:>5} │ "
    return [
        Text.assemble((gutter, "dim"), source),
        Text.assemble((" " * 6 + "│ ", "dim"), " " * pad, ("^" * width, _STYLE[finding.level])),
    ]


def write_text(findings: Sequence[Finding], console: Console, root: Path) -> None:
    by_file: dict[str, list[Finding]] = {}
    for finding in findings:
        by_file.setdefault(finding.location.file, []).append(finding)
    for n, (file, group) in enumerate(by_file.items()):
        if n:
            console.print()
        console.print(Text(file, style="bold underline"), soft_wrap=True)
        lines = _source_lines(root, file)
        for finding in group:
            loc = finding.location
            head = Text.assemble(
                f"  {loc.line}:{loc.column} ",
                (str(finding.level), _STYLE[finding.level]),
                " ",
                (finding.rule, "bold"),
                " ",
                finding.message.replace("\n", "\n    "),
            )
            # Text objects, never markup strings: messages quote user text such as "[lien]".
            console.print(head, soft_wrap=True, highlight=False)
            for line in _snippet(finding, lines) if lines else []:
                console.print(line, soft_wrap=True, highlight=False)
            if finding.hint:
                hint = Text.assemble(("    hint: ", "dim"), finding.hint.replace("\n", "\n    "))
                console.print(hint, soft_wrap=True, highlight=False)


# -- one line or one object per finding --------------------------------------------------------


def concise(findings: Sequence[Finding]) -> str:
    return "".join(f"{finding}\n" for finding in findings)


def as_json(findings: Sequence[Finding]) -> str:
    return _json_list(findings) + "\n"


def _escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(value: str) -> str:
    return _escape_data(value).replace(":", "%3A").replace(",", "%2C")


def github(findings: Sequence[Finding]) -> str:
    out = []
    for finding in findings:
        data = finding.to_dict()
        props = {
            "file": data["file"],
            "line": data["line"],
            "endLine": data["end_line"],
            "col": data["column"],
            "endColumn": data["end_column"],
            "title": f"mcplan ({finding.rule})",
        }
        joined = ",".join(f"{key}={_escape_property(str(value))}" for key, value in props.items())
        command = _GITHUB_COMMAND[finding.level]
        out.append(f"::{command} {joined}::{_escape_data(_with_hint(finding))}\n")
    return "".join(out)


# -- SARIF -------------------------------------------------------------------------------------


def _sarif_rule(code: str) -> dict[str, Any]:
    rule = RULES[code]
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": rule.summary},
        "defaultConfiguration": {"level": _SARIF_LEVEL[rule.level]},
        "properties": {"tags": [_FAMILY.get(code[0], code[0])]},
    }


def _artifact(file: str) -> dict[str, str]:
    # Bundled channel files are not in the user's repository, so they must not resolve against
    # %SRCROOT%: GitHub would link them to a path that does not exist. They keep a location
    # (code scanning wants one) under a base id of their own that nothing declares.
    if file.startswith(BUNDLED_PREFIX):
        name = file.removeprefix(BUNDLED_PREFIX)
        return {"uri": quote(f"mcplan-bundled/{name}"), "uriBaseId": "MCPLAN_BUNDLED"}
    return {"uri": quote(file.replace("\\", "/")), "uriBaseId": "%SRCROOT%"}


def _fingerprint(finding: Finding) -> str:
    # No line number: the alert must survive lines being added above it.
    key = "\0".join((finding.rule, finding.location.file, finding.message))
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]


def sarif(findings: Sequence[Finding], *, root: Path | None = None) -> str:
    codes = sorted(RULES)
    index = {code: n for n, code in enumerate(codes)}
    results = []
    for finding in findings:
        data = finding.to_dict()
        result: dict[str, Any] = {"ruleId": finding.rule}
        if finding.rule in index:
            result["ruleIndex"] = index[finding.rule]
        start_line = max(data["line"], 1)
        start_column = max(data["column"], 1)
        end_line = max(data["end_line"], start_line)
        region = {"startLine": start_line, "startColumn": start_column, "endLine": end_line}
        # A finding without an end is a position, not an empty span: leaving endColumn out
        # makes the region run to the end of the line, which is what viewers should highlight.
        if finding.location.end_column is not None:
            floor = start_column if end_line == start_line else 1
            region["endColumn"] = max(finding.location.end_column, floor)
        result |= {
            "level": _SARIF_LEVEL[finding.level],
            "message": {"text": _with_hint(finding)},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": _artifact(data["file"]),
                        "region": region,
                    }
                }
            ],
            "partialFingerprints": {"mcplan/v1": _fingerprint(finding)},
        }
        results.append(result)
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "mcplan",
                "version": __version__,
                "informationUri": "https://github.com/mcplan/mcplan",
                "rules": [_sarif_rule(code) for code in codes],
            }
        }
    }
    if root is not None:
        # An absolute path is only right on the machine that ran the lint, hence opt-in.
        run["originalUriBaseIds"] = {"%SRCROOT%": {"uri": root.resolve().as_uri() + "/"}}
    run |= {"columnKind": "unicodeCodePoints", "results": results}
    log = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [run],
    }
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"


# -- JUnit -------------------------------------------------------------------------------------


def _xml(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


def _counted(element: ET.Element, tests: int, failures: int) -> None:
    element.set("tests", str(tests))
    element.set("failures", str(failures))
    element.set("errors", "0")
    element.set("skipped", "0")


def junit(findings: Sequence[Finding], files: Sequence[str]) -> str:
    by_file: dict[str, list[Finding]] = {file: [] for file in files}
    for finding in findings:
        by_file.setdefault(finding.location.file, []).append(finding)
    suites = ET.Element("testsuites", name="mcplan lint")
    total_tests = total_failures = 0
    for file in sorted(by_file):
        suite = ET.SubElement(suites, "testsuite", name=_xml(file))
        group = by_file[file]
        failures = sum(1 for f in group if f.level >= Level.WARNING)
        _counted(suite, max(len(group), 1), failures)
        total_tests += max(len(group), 1)
        total_failures += failures
        if not group:
            ET.SubElement(suite, "testcase", classname=_xml(file), name="mcplan lint")
        for finding in group:
            case = ET.SubElement(
                suite,
                "testcase",
                classname=_xml(file),
                name=f"{finding.rule} line {finding.location.line}",
            )
            details = str(finding) + (f"\nhint: {finding.hint}" if finding.hint else "")
            if finding.level >= Level.WARNING:
                failure = ET.SubElement(
                    case, "failure", type=str(finding.level), message=_xml(finding.message)
                )
                failure.text = _xml(details)
            else:
                ET.SubElement(case, "system-out").text = _xml(details)
    _counted(suites, total_tests, total_failures)
    ET.indent(suites)
    document: bytes = ET.tostring(suites, encoding="utf-8", xml_declaration=True)
    return document.decode("utf-8") + "\n"


# -- GitHub step summary -----------------------------------------------------------------------


def _cell(text: str) -> str:
    # GitHub renders cells as Markdown with inline HTML: "<bundled>" would vanish as a tag.
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text.replace("|", "\\|").replace("\r\n", "<br>").replace("\n", "<br>")


def step_summary(findings: Sequence[Finding]) -> str:
    if not findings:
        return "## mcplan lint\n\nNo findings.\n"
    rows = [
        f"| {finding.level} | {finding.rule} | {_cell(str(finding.location))} "
        f"| {_cell(_with_hint(finding))} |"
        for finding in findings
    ]
    return "\n".join(
        [
            f"## mcplan lint: {summary(findings)}",
            "",
            "| level | rule | location | message |",
            "| --- | --- | --- | --- |",
            *rows,
            "",
        ]
    )


# -- dispatch ----------------------------------------------------------------------------------


def _plain_text(findings: Sequence[Finding], root: Path) -> str:
    buffer = io.StringIO()
    console = Console(file=buffer, width=100, color_system=None, force_terminal=False)
    write_text(findings, console, root)
    return buffer.getvalue()


_RENDERERS: dict[str, Callable[[Sequence[Finding], Path, Sequence[str]], str]] = {
    "text": lambda findings, root, files: _plain_text(findings, root),
    "concise": lambda findings, root, files: concise(findings),
    "json": lambda findings, root, files: as_json(findings),
    "github": lambda findings, root, files: github(findings),
    "sarif": lambda findings, root, files: sarif(findings),  # no machine path: same bytes anywhere
    "junit": lambda findings, root, files: junit(findings, files),
}


def render(fmt: str, findings: Sequence[Finding], *, root: Path, files: Sequence[str]) -> str:
    try:
        renderer = _RENDERERS[fmt]
    except KeyError:
        raise ValueError(f"unknown format {fmt!r}: use one of {', '.join(FORMATS)}") from None
    return renderer(findings, root, files)
