"""Read the exports mcplan is given after launch (results per channel, touchpoint logs): one
reader, one rule for numbers, every problem a message that names the file and the row.

Files (`table`)
---------------

A CSV file (UTF-8, with or without a byte order mark; its delimiter is ``,``, ``;`` or a tab,
the one that splits the header row into the most cells, a comma on a tie) or, with pyarrow
installed, a Parquet file (``.parquet``). The first row is the header; rows are numbered from
it (the header is row 1), blank rows included, as a spreadsheet numbers them. Which column
holds what is found by one resolver for every reader (`columns`).

Numbers (`amounts`)
-------------------

Counts and amounts as people and spreadsheets write them, in French, English, German, Dutch,
Italian or Spanish: ``1234``; ``1 234`` (spaces, non-breaking too, between groups of three
digits); ``1234,5`` or ``1234.50``; ``1,234.50`` or ``1.234,50``; an amount may carry a
currency marker before or after it (``1 234,50 €``, ``EUR 1234.50``). Negative numbers and
percentages are refused: give counts, not rates. An empty cell is "not given".

A number with a single ``,`` or ``.`` followed by exactly three digits (``1,234``) is 1234 in
English and 1.234 in French: it is read by what the file's other numbers show
(:class:`Numbers`), as a spreadsheet's import decides from the whole file. ``12,5`` or
``1.234,50`` anywhere make ``,`` the decimal mark; ``0.25``, ``6.82`` or ``1,234.50`` make it
``.``; ``1 234`` (spaces group thousands) makes either mark a decimal one. So
ChannelAttribution's ``Data.csv`` (``3.195`` beside ``30.7346153846154``, no thousands
grouped anywhere) reads ``3.195`` as 3.195. A file that shows nothing, or both habits, is
refused at the first such cell, with how to write it, or the decimal mark to give
(``--decimal``).

Times (`times`)
---------------

ISO 8601 (``2027-07-02T15:00``, with an offset or in UTC) and seconds since 1970 are always
read; a ``--date-format`` (:func:`time_pattern`, a strftime pattern with a day, a month and a
year) reads times as a team's tools write them: ``%d/%m/%Y %H:%M`` reads ``02/07/2027 15:00``
as 2 July (:func:`seconds_of`).
"""

from mcplan.tabular.amounts import (
    DECIMAL_MARKS,
    Ambiguous,
    NumberError,
    Numbers,
    currency_markers,
    parse_number,
)
from mcplan.tabular.columns import (
    TOTALS,
    ColumnsWanted,
    HeaderRow,
    columns_found,
    folded,
    is_total,
    resolve,
)
from mcplan.tabular.table import Table, first_line, read_table
from mcplan.tabular.times import END_TIME, FIRST_TIME, export_time, seconds_of, time_pattern

__all__ = [
    "DECIMAL_MARKS",
    "END_TIME",
    "FIRST_TIME",
    "TOTALS",
    "Ambiguous",
    "ColumnsWanted",
    "HeaderRow",
    "NumberError",
    "Numbers",
    "Table",
    "columns_found",
    "currency_markers",
    "export_time",
    "first_line",
    "folded",
    "is_total",
    "parse_number",
    "read_table",
    "resolve",
    "seconds_of",
    "time_pattern",
]
