"""Tables for the terminal whose numbers and ids are never cut, however narrow it is.

A rich table narrower than its content shrinks every column and cuts what does not fit
(``154…``, ``instagr…``). A :class:`Grid` says what each column holds: a **number** or an
**id** column is exactly as wide as its widest cell (its header wraps between words), and
only **text** columns wrap, folding a word longer than the column. When the whole columns
alone are wider than the terminal, the table is wider than the terminal: `show` prints it
uncropped, and the terminal wraps its lines.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from enum import Enum

from rich import box
from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, RenderableType, RenderResult
from rich.measure import Measurement
from rich.style import StyleType
from rich.table import Table
from rich.text import Text


class Kind(Enum):
    """What a column holds."""

    ID = "id"  # left-aligned, never cut
    NUMBER = "number"  # right-aligned, never cut
    TEXT = "text"  # left-aligned, wraps
    BAR = "bar"  # a :class:`Bar` of a chart: the first to shrink, drawn to the column's width


ID, NUMBER, TEXT, BAR = Kind.ID, Kind.NUMBER, Kind.TEXT, Kind.BAR


class Grid(Table):
    """A table of columns of a :class:`Kind` each (see the module docstring)."""

    def __init__(
        self,
        title: str | None,
        columns: Sequence[tuple[str, Kind]],
        *,
        bold_first: bool = False,
        header: bool = True,
    ) -> None:
        # Two spaces between columns: a pad on the right, and the box's blank rule if any.
        super().__init__(
            box=box.SIMPLE_HEAD if header else None,
            show_header=header,
            padding=(0, 1, 0, 0) if header else (0, 2, 0, 0),
        )
        self.heading = title  # over the table, as wide as the terminal (a title is as the table)
        self._kinds: list[Kind] = []
        for index, (name, kind) in enumerate(columns):
            whole = kind in (ID, NUMBER)
            self.add_column(
                Text(name, no_wrap=False),  # a header wraps between words, even when whole
                justify="right" if kind is NUMBER else "left",
                no_wrap=whole,
                overflow="fold",
                style="bold" if bold_first and index == 0 else "",
                min_width=_longest_word(name) if header else 1,
                max_width=_longest_word(name) if header and whole else None,
            )
            self._kinds.append(kind)

    def add_row(
        self,
        *cells: RenderableType | None,
        style: StyleType | None = None,
        end_section: bool = False,
    ) -> None:
        """A row; a whole column widens to its widest cell, a text column to its longest word
        (up to `LONGEST_WORD`: a text column folds a longer one)."""
        super().add_row(*cells, style=style, end_section=end_section)
        for column, kind, cell in zip(self.columns, self._kinds, cells, strict=False):
            text = _plain(cell)
            if kind is BAR:
                continue
            if kind is TEXT:
                column.min_width = max(
                    column.min_width or 1, min(_longest_word(text), LONGEST_WORD)
                )
            else:
                column.min_width = column.max_width = max(column.min_width or 1, cell_len(text))

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        """The table's measure, as wide as its heading too: a pipe prints a table as wide as
        it measures, and its heading on one line."""
        table = super().__rich_measure__(console, options)
        heading = min(cell_len(self.heading or ""), options.max_width)
        return Measurement(table.minimum, max(table.maximum, heading))

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        # Rich shrinks every column of a table wider than the terminal, down to nothing: render
        # one wider than the terminal instead, each column at its least.
        least = self._extra_width + sum(
            (column.min_width or 1) + self._get_padding_width(index)
            for index, column in enumerate(self.columns)
        )
        if self.heading:
            # Wrapped here, at spaces only: rich would also break inside "20 000,00 €", whose
            # group separator is a no-break space.
            lines = textwrap.wrap(self.heading, max(options.max_width, 20)) or [""]
            yield Text("\n".join(lines), style="table.title")
        if least > options.max_width:
            options = options.update_width(least)
        yield from super().__rich_console__(console, options)


LONGEST_WORD = 16  # the widest a text column needs to be to keep its words whole


class Bar:
    """A share (0 to 1) as a bar of a chart, in eighths of a character: ``share`` × the width
    of its column, so that the bars of a column compare however narrow the terminal is."""

    WIDTH = 24  # the width of a share of 1 when there is room

    def __init__(self, share: float, style: str = "cyan") -> None:
        self.share = min(max(share, 0.0), 1.0)
        self.style = style

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement(1, min(self.WIDTH, options.max_width))

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        full = self.share * min(self.WIDTH, options.max_width)
        eighths = int((full % 1) * 8)
        yield Text("█" * int(full) + (" ▏▎▍▌▋▊▉"[eighths] if eighths else ""), style=self.style)


def _longest_word(text: str) -> int:
    return max((cell_len(word) for word in text.split()), default=1)


def _plain(cell: RenderableType | None) -> str:
    if isinstance(cell, Text):
        return cell.plain
    return cell if isinstance(cell, str) else ""


__all__ = ["BAR", "ID", "NUMBER", "TEXT", "Bar", "Grid", "Kind"]
