"""Every output of mcplan, chosen by name: one vocabulary of formats, one protocol.

An emitter is a function of a command's result that returns text (for files, pipes and CI) or
:class:`Rich` renderables (for a terminal). What a command can emit is a table of emitters
keyed by format name, in the module of that result (`plan`, `rendering`, `report`,
`attribution`, `tables`), or one module per format for findings (`output.findings`: the
formats are its modules), the output CI reads. Every command's `--format` choices come from
those tables; :data:`FORMATS` says what each name means, so a name means the same thing
everywhere, and in which order help lists them. Only this package knows about rich.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from rich.console import Console, ConsoleOptions, RenderableType
from rich.measure import Measurement
from rich.segment import Segment, Segments

from mcplan.printable import printable

# Every format name, and what it is, in the order help lists them (a findings format not
# named here, a module of `output/findings/`, comes after them).
FORMATS: dict[str, str] = {
    "text": "for people in a terminal: tables, panels, or findings with their source line",
    "concise": "one line per finding: file:line:col: level CODE message",
    "json": "for scripts",
    "yaml": "for scripts, and to read",
    "markdown": "to paste into a brief, a debrief or a pull request",
    "html": "one self-contained page to open in a browser (no script, nothing loaded)",
    "csv": "for a spreadsheet",
    "github": "GitHub Actions workflow commands: annotations on the pull request",
    "sarif": "SARIF 2.1.0, for GitHub code scanning and other SARIF viewers",
    "junit": "JUnit XML, one test suite per file, for CI test reports",
}
# Names that earlier versions used, still understood.
ALIASES = {"md": "markdown", "table": "text"}


@dataclass(frozen=True)
class Rich:
    """Renderables for a terminal; ``soft_wrap`` prints long lines whole, never folded."""

    blocks: Sequence[RenderableType]
    soft_wrap: bool = False


Emitted = str | Rich
Result = TypeVar("Result", contravariant=True)
Emitter = Callable[[Result], Emitted]


def canonical(name: str) -> str:
    """The format a name means (``md`` → ``markdown``)."""
    return ALIASES.get(name, name)


def choices(names: Iterable[str]) -> str:
    """``text, json or markdown``: names (the formats of a table), for `--help`."""
    names = list(names)
    return ", ".join(names[:-1]) + " or " + names[-1] if len(names) > 1 else names[0]


CLOSED_PIPE = 141  # the exit of a command whose output's reader went away


# The width of a console whose lines are as long as what they say (see `Terminal.unbounded`).
UNBOUNDED = 1 << 20


class Terminal(Console):
    """A rich console that shows every control character of what it prints as an escape
    (:func:`mcplan.printable.printable`): a file name, a quoted line or a value from a file
    never moves the cursor, clears the screen or retitles the window. Only the codes rich
    makes itself for colours and layout reach the terminal.

    An ``unbounded`` one (a pipe, a file, a CI log) has no width: each block is printed as
    wide as its longest line, so that nothing wraps (a figure cut in two reads as two) and
    no line ends in the blanks that pad it to a width."""

    def __init__(self, *args: Any, unbounded: bool = False, **kwargs: Any) -> None:
        if unbounded:
            kwargs["width"] = UNBOUNDED
        super().__init__(*args, **kwargs)
        self.unbounded = unbounded

    def on_broken_pipe(self) -> None:
        """The reader went away (`mcplan plan | head`): the exit a shell gives a program that
        SIGPIPE ended, 128 + 13, rather than rich's 1 (which mcplan gives findings)."""
        try:
            super().on_broken_pipe()  # what is still buffered goes nowhere
        except SystemExit:
            raise SystemExit(CLOSED_PIPE) from None

    def render(
        self, renderable: RenderableType, options: ConsoleOptions | None = None
    ) -> Iterable[Segment]:
        for segment in super().render(renderable, options):
            text, style, control = segment
            yield segment if control else Segment(printable(text), style)


def as_text(emitted: Emitted, width: int = 100) -> str:
    """What an emitter gave, as plain text (renderables printed without colour at ``width``),
    every control character escaped."""
    if isinstance(emitted, str):
        return printable(emitted)
    buffer = io.StringIO()
    console = Terminal(file=buffer, width=width, color_system=None, force_terminal=False)
    show(emitted, console)
    return buffer.getvalue()


def show(emitted: Emitted, console: Terminal) -> None:
    """Print what an emitter gave: text as it is, renderables through rich; every control
    character escaped, whatever the console."""
    if isinstance(emitted, str):
        console.file.write(printable(emitted))
        return
    for block in emitted.blocks:
        if isinstance(console, Terminal) and console.unbounded:
            console.print(_unpadded(block, console), end="", soft_wrap=True, highlight=False)
            continue
        # Never cropped: a table wider than the terminal (see `mcplan.output.grid`) wraps.
        console.print(block, soft_wrap=emitted.soft_wrap, crop=False, highlight=False)


def _unpadded(block: RenderableType, console: Console) -> Segments:
    """A block rendered exactly as wide as its longest line, each line without the blanks
    that end it."""
    width = max(Measurement.get(console, console.options, block).maximum, 1)
    lines = console.render_lines(block, console.options.update_width(width), pad=False)
    segments: list[Segment] = []
    for line in lines:
        segments += _rstripped(line)
        segments.append(Segment.line())
    return Segments(segments)


def _rstripped(line: list[Segment]) -> list[Segment]:
    """A line of segments without its trailing whitespace (a table's padding, a cell's)."""
    line = list(line)
    while line and not line[-1].control and not line[-1].text.rstrip():
        line.pop()
    if line and not line[-1].control:
        text, style, _ = line[-1]
        line[-1] = Segment(text.rstrip(), style)
    return line


__all__ = [
    "ALIASES",
    "FORMATS",
    "Emitted",
    "Emitter",
    "Rich",
    "Terminal",
    "as_text",
    "canonical",
    "show",
]
