"""`mcplan timing` as one self-contained HTML page: each persona and channel's heat map (a
table of weekdays × hours, each cell shaded by its rate, the best slot and the one used now
marked with a sign as well as a frame), its legend and its figures, after a summary table.

The page follows the preview's safety rules: our own template with autoescaping on (every
persona and channel id, every text, escaped; nothing marked safe), no script, nothing loaded
(no link, no font, no image), a Content-Security-Policy that allows inline styles only. Its
words are the catalogue's (:mod:`mcplan.words`), in the workspace's language; its numbers are
written by :mod:`mcplan.numbers`, in its locale.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from mcplan import numbers
from mcplan.output.timing import figures
from mcplan.output.timing.figures import SHADES, UNSENT, Mark, Square
from mcplan.packaged import template
from mcplan.timing import Cell, SendTime, Slot, TimingResult
from mcplan.words import Reader, reader

SIGNS = {Mark.BEST: "★", Mark.CURRENT: "○"}  # a mark reads without colour, and without a frame


@dataclass(frozen=True)
class Shown:
    """A cell of the page's map: its shade's class, its mark's class and sign, and what
    hovering it says."""

    shade: str  # "s0" … "s3", or "unsent"
    mark: str  # "best", "current" or ""
    sign: str
    title: str


def render_html(result: TimingResult, *, brand: str | None = None) -> str:
    """The page: a summary of every persona and channel, then each one's map and figures."""
    t = reader()
    return template("mcplan.output.timing", "page.html.j2").render(
        lang=t.language,
        t=t.words,
        brand=brand or "",
        columns=[(t.say(key), number) for key, number in figures.SUMMARY],
        summary=[figures.summary(s, t) for s in result.send_times],
        maps=[_map(s, t) for s in result.send_times],
        hours=list(range(24)),
        weekdays=figures.weekdays(t),
        signs={mark.value: sign for mark, sign in SIGNS.items()},
        unsent=UNSENT,
        footer=figures.footer(result.rows, t),
    )


def _map(send_time: SendTime, t: Reader) -> dict[str, Any]:
    scale = figures.scale(send_time)
    legend = [(f"s{SHADES.index(s)}", span) for s, span in scale.legend()] if scale else []
    return {
        "heading": figures.heading(send_time, t),
        "rows": [[_shown(square, t) for square in row] for row in figures.squares(send_time)],
        "legend": legend,
        "lines": figures.lines(send_time, t),
    }


def _shown(square: Square, t: Reader) -> Shown:
    shade = "unsent" if square.shade is None else f"s{square.shade}"
    mark = square.mark
    title = _title(Slot(square.weekday, square.hour), square.cell, t)
    return Shown(shade, mark.value if mark else "", SIGNS[mark] if mark else "", title)


def _title(slot: Slot, cell: Cell | None, t: Reader) -> str:
    """``Tuesday 19:00: 23.1% (21.2% to 25.1%) · 120 sends``, or the slot and ``no sends``."""
    where = figures.slot(slot, t)
    if cell is None:
        return t.say("timing_slot_rate", slot=where, rate=t.say("timing_legend_none"))
    rate = f"{figures.rate(cell.rate)} ({figures.interval(cell.interval, t)})"
    said = t.say("timing_slot_rate", slot=where, rate=rate)
    return f"{said} · {t.count('sends', cell.sent, numbers.count(cell.sent))}"
