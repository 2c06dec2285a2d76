"""What a change does to one campaign or one journey, laid out the same way for both: its
title, a table of what it was before and is after, then each change to it at its line, in the
terminal and in Markdown. What follows the block (a journey's findings) is the caller's."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import RenderableType
from rich.text import Text

from mcplan.findings import Location
from mcplan.output.diff.escape import code_span, inert, one_line
from mcplan.output.grid import NUMBER, TEXT, Grid
from mcplan.words import Reader

Row = tuple[str, str, str]  # what, before, after
Located = tuple[str, Location]  # a change to it, said, and where it is


def text_block(
    title: str, rows: Sequence[Row], located: Sequence[Located], reader: Reader
) -> list[RenderableType]:
    """The table titled ``title``, then each located change on a line of its own."""
    grid = Grid(
        one_line(title),
        [("", TEXT), (reader.say("diff_before"), NUMBER), (reader.say("diff_after"), NUMBER)],
    )
    for row in rows:
        grid.add_row(*(Text(one_line(cell)) for cell in row))  # a Text: no rich markup
    return [
        grid,
        *(Text(one_line(f"  {said}  ({where.file}:{where.line})")) for said, where in located),
    ]


def markdown_block(
    title: str, rows: Sequence[Row], located: Sequence[Located], reader: Reader
) -> list[str]:
    """A sub-section titled ``title`` (already inert), its table, and each located change as
    an item (no blank line after them: what follows is the caller's)."""
    before, after = reader.say("diff_before"), reader.say("diff_after")
    lines = [f"### {title}", "", f"| | {before} | {after} |", "| --- | ---: | ---: |"]
    lines += ["| " + " | ".join(map(inert, row)) + " |" for row in rows]
    lines.append("")
    return lines + [
        f"- {inert(said)} ({code_span(f'{where.file}:{where.line}')})" for said, where in located
    ]
