"""For people: findings grouped by file, each with its source line underlined (cut around the
finding when it is long), its related locations and its hint; whatever comes from a file is
shown through `printable`."""

from __future__ import annotations

from rich.cells import cell_len
from rich.console import RenderableType
from rich.text import Text

from mcplan.findings import Finding, Level
from mcplan.lint.engine import LintResult
from mcplan.output import Rich
from mcplan.printable import printable

_STYLE = {Level.ERROR: "bold red", Level.WARNING: "yellow", Level.INFO: "cyan"}


def emit(result: LintResult) -> Rich:
    by_file: dict[str, list[Finding]] = {}
    for finding in result.findings:
        by_file.setdefault(finding.location.file, []).append(finding)
    blocks: list[RenderableType] = []
    for n, (file, group) in enumerate(by_file.items()):
        if n:
            blocks.append(Text(""))
        blocks.append(Text(printable(file), style="bold underline"))
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
            printable(finding.message).replace("\n", "\n    "),
        )
    ]
    out += _snippet(finding, lines) if lines else []
    for related in finding.related:
        where = printable(f"{related.location}: {related.label}")
        out.append(Text.assemble(("    = ", "dim"), where))
    if finding.hint:
        hint = printable(finding.hint).replace("\n", "\n    ")
        out.append(Text.assemble(("    hint: ", "dim"), hint))
    return out


# A source line is shown whole up to WINDOW characters; a longer one (a list of 20,000 ids
# on one line) is cut to WINDOW characters around the finding, BEFORE of them before it.
WINDOW = 120
BEFORE = 40


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
    first, last = _window(len(source), start)
    lead = "…" if first > 0 else ""
    before = printable(source[first:start])
    span = printable(source[start : min(end, last)])
    after = printable(source[min(end, last) : last]) + ("…" if last < len(source) else "")
    # Cell widths, not code points, so the carets stay under wide characters (emoji, CJK)
    # and under a control character written as its escape (\x1b).
    pad = cell_len(lead + before)
    width = max(cell_len(span), 1)
    gutter = f"{loc.line:>5} │ "
    return [
        Text.assemble((gutter, "dim"), lead + before + span + after),
        Text.assemble((" " * 6 + "│ ", "dim"), " " * pad, ("^" * width, _STYLE[finding.level])),
    ]


def _window(length: int, start: int) -> tuple[int, int]:
    """The part of a line of ``length`` characters shown for a finding at ``start``."""
    if length <= WINDOW:
        return 0, length
    first = max(0, start - BEFORE)
    if first + WINDOW > length:
        first = length - WINDOW
    return first, first + WINDOW
