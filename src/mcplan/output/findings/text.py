"""For people: findings grouped by file, each with its source line underlined, its related
locations and its hint."""

from __future__ import annotations

from rich.cells import cell_len
from rich.console import RenderableType
from rich.text import Text

from mcplan.findings import Finding, Level
from mcplan.lint.engine import LintResult
from mcplan.output import Rich

_STYLE = {Level.ERROR: "bold red", Level.WARNING: "yellow", Level.INFO: "cyan"}


def emit(result: LintResult) -> Rich:
    by_file: dict[str, list[Finding]] = {}
    for finding in result.findings:
        by_file.setdefault(finding.location.file, []).append(finding)
    blocks: list[RenderableType] = []
    for n, (file, group) in enumerate(by_file.items()):
        if n:
            blocks.append(Text(""))
        blocks.append(Text(file, style="bold underline"))
        lines = result.lines.lines(file)
        for finding in group:
            blocks += _finding(finding, lines)
    # Text objects, never markup strings: messages quote user text such as "[lien]".
    return Rich(blocks, soft_wrap=True)


def _finding(finding: Finding, lines: list[str] | None) -> list[Text]:
    loc = finding.location
    out = [
        Text.assemble(
            f"  {loc.line}:{loc.column} ",
            (str(finding.level), _STYLE[finding.level]),
            " ",
            (finding.rule, "bold"),
            " ",
            finding.message.replace("\n", "\n    "),
        )
    ]
    out += _snippet(finding, lines) if lines else []
    for related in finding.related:
        out.append(Text.assemble(("    = ", "dim"), f"{related.location}: {related.label}"))
    if finding.hint:
        out.append(Text.assemble(("    hint: ", "dim"), finding.hint.replace("\n", "\n    ")))
    return out


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
