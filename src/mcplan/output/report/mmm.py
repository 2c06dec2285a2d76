"""`mcplan report --mmm`'s table as CSV, as Meridian's `CsvDataLoader` and R's `read.csv`
(Robyn) read it: a header, ``,`` between cells, plain numbers (``1234.5``) whatever the
workspace's locale, to four decimals (a channel's figures shared among geos and touches are
seldom whole)."""

from __future__ import annotations

import csv
import io

from mcplan.report.mmm import MediaMix
from mcplan.report.mmm.weekly import Cell

DECIMALS = 4


def as_csv(mix: MediaMix) -> str:
    """The table, its columns in the order the tool's layout gives them."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(mix.header)
    for row in mix.rows:
        writer.writerow([_cell(value) for value in row])
    return buffer.getvalue()


def _cell(value: Cell) -> str:
    if isinstance(value, str):
        return value
    text = f"{value:.{DECIMALS}f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text
