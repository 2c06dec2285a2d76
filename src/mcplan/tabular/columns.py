"""A header row read as every export reader reads it: which column holds what.

Header names are matched as :func:`folded` writes them (case, accents, surrounding spaces and
the spaces, hyphens or apostrophes between words do not count); :func:`resolve` finds each
column a reader wants, by the names it knows in each language and those the user gives
(``--column``), or says precisely what is wrong.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass

from mcplan.errors import UsageError
from mcplan.printable import excerpt
from mcplan.suggest import did_you_mean
from mcplan.tabular.amounts import SPACES


def columns_found(header: Sequence[str], limit: int = 12) -> str:
    """The names of a header row for a message: bounded and escaped, at most ``limit`` of
    them, each cut to 40 characters (a header row may be anything a file starts with)."""
    names = [f"'{excerpt(h, 40)}'" for h in header[:limit] if h]
    more = len([h for h in header[limit:] if h])
    return (", ".join(names) or "nothing") + (f" and {more} more" if more else "")


def folded(name: str) -> str:
    """A header or a word as exports are matched: ``' Coût '`` → ``cout``, ``"Chiffre
    d'affaires"`` → ``chiffre_d_affaires``, ``Journey ID`` → ``journey_id`` (case, accents,
    surrounding spaces and the spaces, hyphens or apostrophes between words do not count)."""
    text = unicodedata.normalize("NFKD", name.translate(SPACES).strip().casefold())
    text = "".join(c for c in text if not unicodedata.combining(c))
    return re.sub(r"[\s\-'’]+", "_", text).strip("_")


# What the row of totals a spreadsheet adds under a table is called, in each bundled language
# (as `folded` gives it): a row whose first cell says so is skipped.
TOTALS = frozenset(
    {
        "total", "totals", "grand_total", "sum",  # en
        "totaux", "total_general", "somme",  # fr
        "gesamt", "summe", "gesamtsumme", "insgesamt", "gesamtergebnis",  # de
        "totaal", "som", "eindtotaal",  # nl
        "totale", "totali", "totale_generale", "somma", "totale_complessivo",  # it
        "totales", "suma",  # es (and total_general)
    }
)  # fmt: skip


def is_total(cell: str) -> bool:
    """Whether a cell names a row of totals (``Totale``, ``Total general``, ``Summe``)."""
    return folded(cell) in TOTALS


@dataclass(frozen=True)
class ColumnsWanted:
    """The columns a reader looks for in a header row.

    ``names``: each column's names as :func:`folded` writes them, in six languages, the
    preferred first. ``required``: the columns a file must have, from those it has (a paths
    table needs other columns than a touch log). ``noun``: what ``--column`` calls a wanted
    column (``COLUMN=HEADER`` in ``mcplan report``, ``ROLE=NAME`` in ``mcplan attribute``).
    ``by_preference``: two headers of one column are read by preference (a touch log often has
    both ``channel`` and ``utm_source``), or refused (a results file's ``sent`` and ``envois``
    may be different counts). ``lists_names``: a missing column's message lists the names
    looked for, and how to give another (the results file's are in ``mcplan report --help``).
    """

    names: Mapping[str, tuple[str, ...]]
    required: Callable[[Collection[str]], tuple[str, ...]]
    noun: str = "column"
    by_preference: bool = False
    lists_names: bool = False


@dataclass(frozen=True)
class HeaderRow:
    """A header row as a file gives it, for messages: the file, the row it is on (None when
    an engine does not say), its names."""

    display: str
    row: int | None
    names: Sequence[str]

    @property
    def where(self) -> str:
        """``file: row N``, the start of every message about the header."""
        return self.display if self.row is None else f"{self.display}: row {self.row}"


def resolve(wanted: ColumnsWanted, header: HeaderRow, given: Mapping[str, str]) -> dict[str, int]:
    """The index of each wanted column in ``header``: those the user names in ``given``
    (``--column``: column → header) first, then by the names ``wanted`` knows; a column
    named for one is not looked for as another. Raises :class:`UsageError` with the file, the
    header's row, what it has, and a close name, for a column that is not there."""
    found = _named(wanted, header, given)
    taken = set(found.values())
    for column, index in _by_names(wanted, header, taken, skip=given).items():
        found.setdefault(column, index)
    missing = [c for c in wanted.required(found) if c not in found]
    if missing:
        raise UsageError(_missing(wanted, header, missing))
    return found


def _named(wanted: ColumnsWanted, header: HeaderRow, given: Mapping[str, str]) -> dict[str, int]:
    """The columns the user names (``--column converted=Ventes``)."""
    index: dict[str, int] = {}
    for i, name in enumerate(header.names):
        index.setdefault(folded(name), i)  # the first of two headers of the same name
    found: dict[str, int] = {}
    for column, name in given.items():
        if column not in wanted.names:
            known = list(wanted.names)
            raise UsageError(
                f"--column {column}={name}: unknown {wanted.noun} '{column}'"
                f"{did_you_mean(column, known)}; the {wanted.noun}s are: {', '.join(known)}"
            )
        if folded(name) not in index:
            close = did_you_mean(name, [excerpt(h, 40) for h in header.names if h])
            raise UsageError(
                f"{header.where}: no column '{name}' for {column}{close} (found: "
                f"{columns_found(header.names)})"
            )
        found[column] = index[folded(name)]
    return found


def _by_names(
    wanted: ColumnsWanted, header: HeaderRow, taken: Collection[int], skip: Collection[str]
) -> dict[str, int]:
    """The columns found by the names ``wanted`` knows, but those in ``skip`` (named by the
    user) and on headers ``taken`` (named for another column)."""
    column_of = {n: column for column, names in wanted.names.items() for n in names}
    by_header: dict[str, list[int]] = {}
    for index, name in enumerate(header.names):
        column = column_of.get(folded(name))
        if column is not None and column not in skip and index not in taken:
            by_header.setdefault(column, []).append(index)
    if wanted.by_preference:
        rank = {n: i for names in wanted.names.values() for i, n in enumerate(names)}
        return {
            column: min(found, key=lambda i: (rank[folded(header.names[i])], i))
            for column, found in by_header.items()
        }
    for column, found in by_header.items():
        if len(found) > 1:
            first, second = (excerpt(header.names[i]) for i in found[:2])
            raise UsageError(
                f"{header.where}: columns '{first}' and '{second}' both give '{column}'"
            )
    return {column: found[0] for column, found in by_header.items()}


def _missing(wanted: ColumnsWanted, header: HeaderRow, missing: Sequence[str]) -> str:
    """The message for required columns the header does not have."""
    plural = "s" if len(missing) > 1 else ""
    found = columns_found(header.names)
    if not wanted.lists_names:
        names = " and ".join(f"'{m}'" for m in missing)
        return f"{header.where}: missing required column{plural} {names} (found: {found})"
    looked = "; ".join(
        ", ".join(wanted.names[m][:6]) + (" …" if len(wanted.names[m]) > 6 else "") for m in missing
    )
    return (
        f"{header.where}: missing column{plural} {', '.join(missing)} (looked for {looked}); "
        f"the columns are: {found}. Name them with --column {wanted.noun.upper()}=NAME"
    )
