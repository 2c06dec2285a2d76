"""GitHub Actions workflow commands (`::error file=…,line=…::message`): annotations on the
pull request. The default format when `GITHUB_ACTIONS` is set."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from mcplan.findings import Level, summary
from mcplan.lint.engine import LintResult
from mcplan.output.findings._common import with_hint, with_related

_COMMAND = {Level.ERROR: "error", Level.WARNING: "warning", Level.INFO: "notice"}


def emit(result: LintResult) -> str:
    out = []
    for finding in result.findings:
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
        message = _escape_data(with_related(finding))
        out.append(f"::{_COMMAND[finding.level]} {joined}::{message}\n")
    return "".join(out)


def _escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(value: str) -> str:
    return _escape_data(value).replace(":", "%3A").replace(",", "%2C")


def in_actions(environ: Mapping[str, str]) -> bool:
    """Whether mcplan runs in a GitHub Actions job."""
    return environ.get("GITHUB_ACTIONS") == "true"


def step_summary_file(environ: Mapping[str, str]) -> Path | None:
    """The job's step summary file, where GitHub shows Markdown beside the run."""
    name = environ.get("GITHUB_STEP_SUMMARY")
    return Path(name) if name else None


def step_summary(result: LintResult) -> str:
    """Every finding as a Markdown table: GitHub shows only ten annotations per step."""
    findings = result.findings
    if not findings:
        return "## mcplan lint\n\nNo findings.\n"
    rows = [
        f"| {finding.level} | {finding.rule} | {_cell(str(finding.location))} "
        f"| {_cell(with_hint(finding))} |"
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


def _cell(text: str) -> str:
    # GitHub renders cells as Markdown with inline HTML: "<bundled>" would vanish as a tag.
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text.replace("|", "\\|").replace("\r\n", "<br>").replace("\n", "<br>")
