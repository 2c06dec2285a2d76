"""`mcplan timing` in a terminal: per persona and channel, a weekday × hour heat map of the
rate in shades of block characters (colour only helps: the shades, the marks and the legend
read without it), then its figures. 80 columns: 2 of margin, the weekday, 24 hours of 3."""

from __future__ import annotations

import textwrap

from rich.console import Group, RenderableType
from rich.text import Text

from mcplan.output import Rich
from mcplan.output.timing import figures
from mcplan.output.timing.figures import SHADES, UNSENT, Mark, Scale, Square
from mcplan.timing import SendTime, TimingResult
from mcplan.words import Reader, reader

WIDTH = 80  # every line fits, whatever the terminal: the text wraps here, not there
CELL = 3  # an hour's width
MARGIN = "  "
COLOURS = ("grey58", "yellow3", "dark_orange", "red3")  # a help only, by shade
BRACKETS = {Mark.BEST: ("[", "]"), Mark.CURRENT: ("(", ")")}


def render_text(result: TimingResult) -> Rich:
    """Each persona and channel's heat map and figures, then how many rows were read."""
    t = reader()
    blocks: list[RenderableType] = [heat_map(s, t) for s in result.send_times]
    if not result.send_times:
        blocks.append(Text(t.say("timing_no_sends")))
    blocks.append(Text(figures.footer(result.rows, t), style="dim"))
    return Rich(blocks)


def heat_map(send_time: SendTime, t: Reader) -> Group:
    """The heading, the map with its legend, and the figures under it."""
    lines = [Text(line, style="bold") for line in _wrap(figures.heading(send_time, t))]
    lines += map_lines(send_time, t)
    lines += _figures(send_time, t)
    return Group(*lines, Text(""))


def map_lines(send_time: SendTime, t: Reader) -> list[Text]:
    """The map (a weekday a line, an hour every 3 columns under its number), then its
    legend: what Markdown shows in a block of code too."""
    names = figures.weekdays(t)
    width = max(4, *(len(n) + 1 for n in names))
    hours = "".join(f"{h:<{CELL}}" for h in range(24))
    lines = [Text(f"{MARGIN}{'':<{width}}{hours}".rstrip(), style="dim")]
    for name, row in zip(names, figures.squares(send_time), strict=True):
        line = Text(f"{MARGIN}{name:<{width}}")
        for square in row:
            line.append_text(_cell(square))
        line.rstrip()
        lines.append(line)
    return lines + _legend(figures.scale(send_time), t)


def _cell(square: Square) -> Text:
    """An hour of a weekday: three of its shade, or ``·`` if nothing was sent; the best slot
    between brackets, the slot used now between parentheses."""
    if square.shade is None:
        glyph, style = UNSENT, "dim"
    else:
        glyph, style = SHADES[square.shade], COLOURS[square.shade]
    if square.mark is None:
        return Text(glyph * CELL if square.shade is not None else f" {glyph} ", style=style)
    opening, closing = BRACKETS[square.mark]
    return Text.assemble((opening, "bold"), (glyph, style), (closing, "bold"))


def _legend(scale: Scale | None, t: Reader) -> list[Text]:
    """The shades' rates, then the marks; as many lines as they take."""
    pieces = []
    if scale is not None:
        pieces += [
            Text.assemble((shade * 2, COLOURS[SHADES.index(shade)]), f" {span}")
            for shade, span in scale.legend()
        ]
    lines = _fitted(pieces)
    marks = [
        f"{UNSENT} {t.say('timing_legend_none')}",
        f"[{SHADES[-1]}] {t.say('timing_legend_best')}",
        f"({SHADES[-1]}) {t.say('timing_legend_current')}",
    ]
    lines += _fitted([Text(mark, style="dim") for mark in marks])
    return lines


def _fitted(pieces: list[Text]) -> list[Text]:
    """Pieces of a legend two blanks apart, on lines of at most :data:`WIDTH` columns."""
    lines: list[Text] = []
    for piece in pieces:
        if lines and len(lines[-1]) + 2 + len(piece) <= WIDTH:
            lines[-1].append_text(Text("  ") + piece)
        else:
            lines.append(Text(MARGIN) + piece)
    return lines


def _figures(send_time: SendTime, t: Reader) -> list[Text]:
    """The lines under the map, a label and its text, which wraps under itself."""
    said = figures.lines(send_time, t)
    width = max(len(label) for label, _ in said) + 2
    out = []
    for label, text in said:
        first, *rest = _wrap(text, MARGIN + " " * width)
        out.append(Text.assemble((f"{MARGIN}{label}", "bold"), first[len(label) + len(MARGIN) :]))
        out += [Text(line) for line in rest]
    return out


def _wrap(text: str, indent: str = "") -> list[str]:
    """``text`` in lines of at most :data:`WIDTH` columns, the first and the others after
    ``indent`` (which the caller replaces by a label on the first)."""
    return textwrap.wrap(
        text,
        WIDTH,
        initial_indent=indent,
        subsequent_indent=indent,
        break_long_words=False,
        break_on_hyphens=False,
    ) or [indent]
