"""Read a campaign's results per channel (a CSV export), for `mcplan report`.

See `mcplan.report` for how they are compared with the plan.

The results file
----------------

A CSV file with a header row and one row per channel. Columns (header names are read
regardless of case, accents and surrounding spaces; other columns are ignored):

========== ============================================ =====================================
column     also read as                                 what
========== ============================================ =====================================
channel    canal, kanal, kanaal, canale                 channel id, channel name, or the
                                                        ``utm_source`` of its links (the id)
sent       sends, envoyés, envois, gesendet,            messages sent (or impressions)
           versendet, verzonden, verstuurd, inviati,
           invii, enviados, envíos
delivered  délivrés, livrés, zugestellt, afgeleverd,    messages delivered (contacts reached)
           bezorgd, consegnati, recapitati, entregados
opened     opens, ouverts, ouvertures, geöffnet,        opened, read or seen
           geopend, aperti, aperture, abiertos,
           aperturas
clicked    clicks, cliqués, clics, geklickt, klicks,    clicks (calls back, visits)
           geklikt, kliks, cliccati, click
converted  conversions, convertis, konversionen,        conversions (orders); required
           conversies, orders, bestellungen,
           convertiti, conversioni, ordini,
           convertidos, conversiones, pedidos
revenue    revenu, chiffre d'affaires, ca, umsatz,      revenue, in the workspace currency
           omzet, turnover, ricavi, fatturato,
           ingresos, facturación
cost       coût, coûts, kosten, spend, costo, costi,    what the channel cost
           spesa, coste, costes, gasto
arm        variant, variante, version, versione         the arm of the channel's message test
                                                        (a row per arm), or ``treated`` /
                                                        ``holdout`` (``traités``, ``témoin``,
                                                        ``trattati``, ``gruppo di controllo``,
                                                        ``tratados``, ``grupo de control``…)
                                                        for the holdout's two groups
contacts   people, personnes, kontakte, personen,       the people of a holdout's group
           persone, contatti, personas, contactos
date       day, jour, datum, tag, dag, data, giorno,    the day of the row, for a file with a
           fecha, día                                   row per channel and day (ISO 8601, or
                                                        as ``date_format`` writes it)
========== ============================================ =====================================

Other names are given with ``columns`` (``mcplan report --column converted=Ventes``), and
channel names the workspace does not know with ``aliases`` (``--alias "Newsletter=email"``).

``channel`` and ``converted`` are required, with a value on every row (a holdout's rows need
``contacts`` and ``converted``, and no channel); a channel's arms add up to its row; in the
other columns an empty cell means "not known". The file is read as :mod:`mcplan.tabular` reads
every export (CSV or Parquet, UTF-8, ``,`` ``;`` or tab), may not be over 50 MB, and its
numbers follow the same rule: counts or amounts, never rates, ``1 234,50``, ``1,234.50`` or
``1.234,50``, money cells with the workspace currency or not, ``1,234`` read by what the
file's other numbers show (:class:`mcplan.tabular.Numbers`), or as ``decimal`` says. A row
of totals (``total``, ``totaux``, ``gesamt``, ``summe``, ``totaal``, ``totale``,
``totales``…: :data:`mcplan.tabular.TOTALS`) is skipped, as spreadsheets add one, whether
its label is in the channel column or in the first one. With a ``date`` column, a
channel (or an arm, or a holdout's group) may have a row per day, and its days are added up;
the same channel twice on one day is an error (the day of a channel's only row is not
read)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from mcplan.errors import UsageError
from mcplan.printable import excerpt, printable
from mcplan.report.counts import FIGURES, MONEY, Counts
from mcplan.report.days import added_up, check_days, days_added
from mcplan.report.headers import GROUPS, WANTED
from mcplan.suggest import did_you_mean
from mcplan.tabular import (
    HeaderRow,
    NumberError,
    Numbers,
    Table,
    currency_markers,
    folded,
    is_total,
    read_table,
    resolve,
    time_pattern,
)
from mcplan.workspace import Workspace

MAX_BYTES = 50 * 1024 * 1024


@dataclass(frozen=True)
class ChannelResult(Counts):
    """One row of the results file: what one channel (or one arm of its test) did (its
    `Counts`, by name: ``ChannelResult("sms", converted=12)``)."""

    channel: str  # the workspace channel id (the group, for a holdout's rows)
    arm: str | None = None  # the arm of the channel's test; treated or holdout for a group
    contacts: float | None = None  # people, for a holdout's groups


@dataclass(frozen=True)
class Results:
    """What a results file says: per channel (its arms added up), per arm of a test, and the
    groups of a holdout (by group: treated, holdout)."""

    channels: list[ChannelResult]
    arms: list[ChannelResult]
    groups: dict[str, ChannelResult]
    # Every channel's (or arm's) row as read, with its ``date`` cell ("" without the column):
    # the media-mix export puts each on its week (`mcplan.report.mmm`).
    dated: list[tuple[str, ChannelResult]] = field(default_factory=list)
    date_header: str | None = None  # the ``date`` column's header, if the file has one


def read_results(
    path: Path,
    workspace: Workspace,
    *,
    columns: Mapping[str, str] | None = None,
    aliases: Mapping[str, str] | None = None,
    decimal: str | None = None,
    date_format: str | None = None,
) -> list[ChannelResult]:
    """The rows of a results file per channel, channel names resolved to the workspace's ids
    (see :func:`read_export`)."""
    return read_export(
        path, workspace, columns=columns, aliases=aliases, decimal=decimal, date_format=date_format
    ).channels


def read_export(
    path: Path,
    workspace: Workspace,
    *,
    columns: Mapping[str, str] | None = None,
    aliases: Mapping[str, str] | None = None,
    decimal: str | None = None,
    date_format: str | None = None,
) -> Results:
    """Every row of a results file: per channel, per arm, per holdout group.

    ``columns`` names the header of a column (column → header, such as ``{"converted":
    "Ventes"}``) and ``aliases`` maps channel names of the file to channel ids (``{"Newsletter":
    "email"}``), for what the module docstring's table does not read; ``decimal`` is the
    file's decimal mark, for a number such as ``1,234`` that its other numbers do not settle;
    ``date_format`` the strftime pattern of a ``date`` column's days (``%d/%m/%Y``), for a
    file with a row per channel and day (ISO 8601 is always read).

    Raises :class:`UsageError`, naming the file and the row (the header is row 1), for anything
    that is not a results file: see the module docstring for what one is.
    """
    ids = _channel_ids(workspace, aliases or {})
    settings = workspace.settings
    how = _How(ids, currency_markers(settings.currency, settings.locale), Numbers(decimal))
    pattern = time_pattern(date_format)
    with read_table(path, max_bytes=MAX_BYTES, needs="one row per channel") as table:
        reader = _Reader.of(table, columns or {}, how)
        reader.read(list(table.rows))
        reader.check_days(pattern)
    return reader.results()


@dataclass(frozen=True)
class _How:
    """How the cells of a results file are read: channel names (folded) → channel ids, the
    markers a money cell may carry, and the file's numbers."""

    ids: dict[str, str]
    markers: tuple[str, ...]
    numbers: Numbers


@dataclass
class _Reader:
    """A results file's rows as they are read: per channel and arm, and per holdout group,
    with where each was first seen (a channel twice is an error, but on other days)."""

    shown: str
    header: list[str]
    columns: dict[str, int]  # column → its index (`headers.WANTED`)
    how: _How
    rows: list[ChannelResult] = field(default_factory=list)
    groups: dict[str, list[ChannelResult]] = field(default_factory=dict)
    seen: dict[tuple[str, str | None], int] = field(default_factory=dict)  # → first row
    written: dict[int, tuple[str, str]] = field(default_factory=dict)  # row → (day, channel)

    @classmethod
    def of(cls, table: Table, given: Mapping[str, str], how: _How) -> _Reader:
        """The reader of a file whose header is read: which column holds what."""
        header = HeaderRow(table.display, table.header_row, table.header)
        return cls(table.display, table.header, resolve(WANTED, header, given), how)

    @property
    def by_day(self) -> bool:
        """Whether the file has a date column: a channel may then have a row per day."""
        return "date" in self.columns

    def read(self, listed: list[tuple[int, list[str]]]) -> None:
        """Every row, once every number has said how the file writes them (`Numbers`)."""
        for _, cells in listed:
            for name in (*FIGURES, "contacts"):
                if name in self.columns and self.columns[name] < len(cells):
                    cell = cells[self.columns[name]]
                    self.how.numbers.learn(cell, self.how.markers if name in MONEY else ())
        for row, cells in listed:
            if not _totals(cells, self.columns["channel"]):
                self._take(row, cells)
        if not self.rows and not self.groups:
            raise UsageError(
                f"{self.shown}: no data rows under the header; give one row per channel"
            )

    def _take(self, row: int, cells: list[str]) -> None:
        """One row: a channel's (or an arm's), or a holdout group's."""
        result = _row(self, row, cells)
        if result is None:
            return
        day = _cell(cells, self.columns, "date").strip()
        self.written[row] = (day, excerpt(cells[self.columns["channel"]].strip()))
        if result.channel:
            self._take_channel(result, row)
        else:
            self._take_group(result, row)

    def _take_group(self, result: ChannelResult, row: int) -> None:
        group = result.arm or ""
        first = self.seen.get((group, None))
        if first is not None and not self.by_day:
            raise UsageError(
                f"{self.shown}: row {row}: a second {group} row (the first is row {first})"
            )
        self.seen.setdefault((group, None), row)
        self.groups.setdefault(group, []).append(result)

    def _take_channel(self, result: ChannelResult, row: int) -> None:
        key = (result.channel, result.arm)
        mixed = [
            r for (c, a), r in self.seen.items() if c == key[0] and (a is None) != (key[1] is None)
        ]
        if (key in self.seen and not self.by_day) or mixed:
            said = "is given twice" if key in self.seen else "has a row of its own and rows per arm"
            arm = f" arm '{excerpt(result.arm)}'" if result.arm else ""
            raise UsageError(
                f"{self.shown}: row {row}: channel '{self.written[row][1]}' ({result.channel})"
                f"{arm} {said} (first on row {self.seen.get(key) or mixed[0]})"
            )
        self.seen.setdefault(key, row)
        self.rows.append(result)

    def check_days(self, pattern: str | None) -> None:
        """With a date column, rows of one channel on the same day are refused (`days`)."""
        if self.by_day:
            every = [*self.rows, *(r for days in self.groups.values() for r in days)]
            header = self.header[self.columns["date"]]
            check_days(self.shown, header, every, self.written, pattern)

    def results(self) -> Results:
        """The rows per channel (its days and its arms added up), per arm, per group."""
        rows = days_added(self.rows)  # a row per channel (and arm), whatever the days
        groups = {group: days_added(days)[0] for group, days in self.groups.items()}
        channels = [r for r in rows if r.arm is None]
        arms = [r for r in rows if r.arm is not None]
        for channel in dict.fromkeys(r.channel for r in arms):
            channels.append(added_up(channel, [r for r in arms if r.channel == channel]))
        order = {r.channel: i for i, r in enumerate(rows)}
        channels.sort(key=lambda r: order[r.channel])
        dated = [(self.written[r.row][0], r) for r in self.rows]
        header = self.header[self.columns["date"]] if self.by_day else None
        return Results(channels, arms, groups, dated, header)


def _totals(cells: list[str], channel: int) -> bool:
    """Whether a row is a spreadsheet's row of totals whose label is not in the channel column
    (``Totale;;15.600;…`` under ``Data;Canale;…``): its first cell says so, its channel cell
    is empty. (A ``Totale`` channel is skipped as an unknown channel is checked, in `_row`.)"""
    written = [c.strip() for c in cells if c.strip()]
    given = cells[channel].strip() if channel < len(cells) else ""
    return bool(written) and is_total(written[0]) and not given


def _channel_ids(workspace: Workspace, aliases: Mapping[str, str]) -> dict[str, str]:
    """Channel name (folded) → workspace channel id, the aliases given included."""
    ids = workspace.channel_lookup()
    for name, target in aliases.items():
        channel = ids.get(target.strip().casefold())
        if channel is None:
            known = sorted(set(ids.values()))
            raise UsageError(
                f"--alias {name}={target}: unknown channel '{target}'"
                f"{did_you_mean(target, known)}; known channels: {', '.join(known)}"
            )
        ids[name.strip().casefold()] = channel
    return ids


def _row(reader: _Reader, row: int, cells: list[str]) -> ChannelResult | None:
    """A row's channel (or arm, or holdout group) and figures; None for a row of totals."""
    arm = printable(_cell(cells, reader.columns, "arm").strip().casefold())  # shown
    group = GROUPS.get(folded(arm)) if arm else None
    values = _figures(reader, row, cells)
    if group is not None:  # a holdout's group: people, and what they did
        return _group(reader, row, group, values)
    given = _cell(cells, reader.columns, "channel").strip()
    if not given:
        header = excerpt(reader.header[reader.columns["channel"]])
        raise UsageError(f"{reader.shown}: row {row}: no channel in column '{header}'")
    channel = reader.how.ids.get(given.casefold())
    if channel is None:
        if is_total(given):
            return None
        known = sorted(set(reader.how.ids.values()))
        raise UsageError(
            f"{reader.shown}: row {row}: unknown channel '{excerpt(given)}'"
            f"{did_you_mean(given, known)}; known channels: {', '.join(known)}"
        )
    if values.get("converted") is None:
        header = excerpt(reader.header[reader.columns["converted"]])
        raise UsageError(
            f"{reader.shown}: row {row}: no value in column '{header}' (the conversions are "
            "required; write 0 for none)"
        )
    return ChannelResult(channel, **values, arm=arm or None, row=row)


def _group(reader: _Reader, row: int, group: str, values: dict[str, float | None]) -> ChannelResult:
    """A holdout group's row: its people and their conversions are required."""
    for needed in ("contacts", "converted"):
        if values.get(needed) is None:
            index = reader.columns.get(needed)
            header = needed if index is None else excerpt(reader.header[index])
            raise UsageError(
                f"{reader.shown}: row {row}: the {group} group needs a value in column '{header}'"
            )
    return ChannelResult("", **values, arm=group, row=row)


def _cell(cells: list[str], columns: Mapping[str, int], name: str) -> str:
    """A row's cell of a column ("" when the file has no such column, or the row is short)."""
    index = columns.get(name)
    return cells[index] if index is not None and index < len(cells) else ""


def _figures(reader: _Reader, row: int, cells: list[str]) -> dict[str, float | None]:
    """A row's figures, of the columns the file has (None: an empty cell)."""
    values: dict[str, float | None] = {}
    for name in (*FIGURES, "contacts"):
        if name not in reader.columns:
            continue
        raw = _cell(cells, reader.columns, name)
        try:
            values[name] = reader.how.numbers.read(raw, reader.how.markers if name in MONEY else ())
        except NumberError as exc:
            header = excerpt(reader.header[reader.columns[name]])
            raise UsageError(
                f"{reader.shown}: row {row}: column '{header}': cannot read "
                f"'{excerpt(raw.strip())}' as a number ({exc})"
            ) from None
    return values


__all__ = ["ChannelResult", "Results", "read_export", "read_results"]
