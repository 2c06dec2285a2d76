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

import math
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from mcplan.errors import UsageError
from mcplan.objectives import Figures
from mcplan.printable import excerpt, printable
from mcplan.suggest import did_you_mean
from mcplan.tabular import (
    END_TIME,
    FIRST_TIME,
    NumberError,
    Numbers,
    columns_found,
    currency_markers,
    folded,
    is_total,
    read_table,
    seconds_of,
    time_pattern,
)
from mcplan.workspace import Workspace

MAX_BYTES = 50 * 1024 * 1024


@dataclass(frozen=True)
class ChannelResult:
    """One row of the results file: what one channel (or one arm of its test) did (None: not
    given)."""

    channel: str  # the workspace channel id (the group, for a holdout's rows)
    sent: float | None = None
    delivered: float | None = None
    opened: float | None = None
    clicked: float | None = None
    converted: float | None = None
    revenue: float | None = None
    cost: float | None = None
    arm: str | None = None  # the arm of the channel's test; treated or holdout for a group
    contacts: float | None = None  # people, for a holdout's groups
    row: int = field(default=0, compare=False)  # in the file, for messages

    @property
    def figures(self) -> Figures:
        """What the row tells of an objective (see `mcplan.objectives`)."""
        return Figures(self.sent, self.delivered, self.converted, self.revenue)


# -- reading ------------------------------------------------------------------------------

COLUMNS = (
    "channel", "sent", "delivered", "opened", "clicked", "converted", "revenue", "cost", "arm",
    "contacts", "date",
)  # fmt: skip
FIGURES = COLUMNS[1:8]
REQUIRED = ("channel", "converted")
MONEY = ("revenue", "cost")
ALIASES: dict[str, str] = {
    **{name: name for name in COLUMNS},
    "canal": "channel",
    "sends": "sent",
    "envoyes": "sent",
    "envois": "sent",
    "delivres": "delivered",
    "livres": "delivered",
    "opens": "opened",
    "ouverts": "opened",
    "ouvertures": "opened",
    "clicks": "clicked",
    "cliques": "clicked",
    "clics": "clicked",
    "conversions": "converted",
    "convertis": "converted",
    "revenu": "revenue",
    "chiffre_affaires": "revenue",
    "chiffre_d_affaires": "revenue",
    "ca": "revenue",
    "cout": "cost",
    "couts": "cost",
    # German and Dutch exports
    "kanal": "channel",
    "kanaal": "channel",
    "gesendet": "sent",
    "versendet": "sent",
    "verzonden": "sent",
    "verstuurd": "sent",
    "zugestellt": "delivered",
    "afgeleverd": "delivered",
    "bezorgd": "delivered",
    "geoffnet": "opened",
    "geopend": "opened",
    "geklickt": "clicked",
    "klicks": "clicked",
    "geklikt": "clicked",
    "kliks": "clicked",
    "konversionen": "converted",
    "conversies": "converted",
    "bestellungen": "converted",
    "orders": "converted",
    "umsatz": "revenue",
    "omzet": "revenue",
    "turnover": "revenue",
    "kosten": "cost",
    "spend": "cost",
    # message tests and holdouts
    "variant": "arm",
    "variante": "arm",
    "version": "arm",
    "people": "contacts",
    "personnes": "contacts",
    "kontakte": "contacts",
    "personen": "contacts",
    # Italian and Spanish exports
    "canale": "channel",
    "inviati": "sent",
    "inviate": "sent",
    "invii": "sent",
    "enviados": "sent",
    "enviadas": "sent",
    "envios": "sent",
    "consegnati": "delivered",
    "consegnate": "delivered",
    "recapitati": "delivered",
    "entregados": "delivered",
    "entregadas": "delivered",
    "aperti": "opened",
    "aperte": "opened",
    "aperture": "opened",
    "abiertos": "opened",
    "abiertas": "opened",
    "aperturas": "opened",
    "cliccati": "clicked",
    "clic": "clicked",
    "click": "clicked",
    "convertiti": "converted",
    "conversioni": "converted",
    "ordini": "converted",
    "conversiones": "converted",
    "convertidos": "converted",
    "pedidos": "converted",
    "ricavi": "revenue",
    "fatturato": "revenue",
    "ingresos": "revenue",
    "facturacion": "revenue",
    "costo": "cost",
    "spesa": "cost",
    "gasto": "cost",
    "costi": "cost",
    "coste": "cost",
    "costes": "cost",
    "versione": "arm",
    "persone": "contacts",
    "contatti": "contacts",
    "personas": "contacts",
    "contactos": "contacts",
    # a row per channel and day
    "day": "date",
    "jour": "date",
    "tag": "date",
    "datum": "date",
    "dag": "date",
    "data": "date",
    "giorno": "date",
    "fecha": "date",
    "dia": "date",
}
# The arm of a holdout's rows: those who could get the campaign, and the control group
# (names no test would give an arm: "control" may well be an arm's).
GROUPS = {
    "treated": "treated",
    "traites": "treated",
    "behandelt": "treated",
    "trattati": "treated",
    "tratados": "treated",
    "holdout": "holdout",
    "temoin": "holdout",
    "groupe_temoin": "holdout",
    "kontrollgruppe": "holdout",
    "controlegroep": "holdout",
    "gruppo_di_controllo": "holdout",
    "grupo_de_control": "holdout",
}
_normalise = folded  # ``' Coût '`` → ``cout``, ``"Chiffre d'affaires"`` → ``chiffre_d_affaires``


@dataclass(frozen=True)
class Results:
    """What a results file says: per channel (its arms added up), per arm of a test, and the
    groups of a holdout (by group: treated, holdout)."""

    channels: list[ChannelResult]
    arms: list[ChannelResult]
    groups: dict[str, ChannelResult]


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
    markers = currency_markers(settings.currency, settings.locale)
    numbers = Numbers(decimal)
    pattern = time_pattern(date_format)
    rows: list[ChannelResult] = []
    groups: dict[str, list[ChannelResult]] = {}
    seen: dict[tuple[str, str | None, str], int] = {}  # (channel or group, arm, "") → row
    written: dict[int, tuple[str, str]] = {}  # row → (its day, its channel) as written
    with read_table(path, max_bytes=MAX_BYTES, needs="one row per channel") as table:
        shown = table.display
        chosen = _columns(shown, table.header_row, table.header, columns or {})
        # With a date column, a channel may have a row per day: which rows are on the same
        # day is checked once every row is read (`_check_days`).
        index = chosen.get("date")
        # Every number says how the file writes them before any is read (`Numbers`).
        listed = list(table.rows)
        for _, cells in listed:
            for name in (*FIGURES, "contacts"):
                if name in chosen and chosen[name] < len(cells):
                    numbers.learn(cells[chosen[name]], markers if name in MONEY else ())
        for row, cells in listed:
            if _totals(cells, chosen["channel"]):
                continue
            result = _row(shown, row, cells, table.header, chosen, ids, markers, numbers)
            if result is None:
                continue
            day = cells[index].strip() if index is not None and index < len(cells) else ""
            written[row] = (day, excerpt(cells[chosen["channel"]].strip()))
            if not result.channel:  # a group of the holdout
                group = result.arm or ""
                first = seen.get((group, None, ""))
                if first is not None and index is None:
                    raise UsageError(
                        f"{shown}: row {row}: a second {group} row (the first is row {first})"
                    )
                seen.setdefault((group, None, ""), row)
                groups.setdefault(group, []).append(result)
                continue
            key = (result.channel, result.arm, "")
            mixed = [
                r
                for (c, a, _), r in seen.items()
                if c == key[0] and (a is None) != (key[1] is None)
            ]
            if (key in seen and index is None) or mixed:
                said = "is given twice" if key in seen else "has a row of its own and rows per arm"
                arm = f" arm '{excerpt(result.arm)}'" if result.arm else ""
                raise UsageError(
                    f"{shown}: row {row}: channel '{written[row][1]}' ({result.channel}){arm} "
                    f"{said} (first on row {seen.get(key) or mixed[0]})"
                )
            seen.setdefault(key, row)
            rows.append(result)
        if index is not None:
            every = [*rows, *(r for days in groups.values() for r in days)]
            _check_days(shown, table.header[index], every, written, pattern)
    if not rows and not groups:
        raise UsageError(f"{shown}: no data rows under the header; give one row per channel")
    rows = _days_added(rows)  # a row per channel (and arm), whatever the days
    added = {group: _days_added(days)[0] for group, days in groups.items()}
    channels = [r for r in rows if r.arm is None]
    arms = [r for r in rows if r.arm is not None]
    for channel in dict.fromkeys(r.channel for r in arms):
        channels.append(_added(channel, [r for r in arms if r.channel == channel]))
    order = {r.channel: i for i, r in enumerate(rows)}
    channels.sort(key=lambda r: order[r.channel])
    return Results(channels, arms, added)


def _totals(cells: list[str], channel: int) -> bool:
    """Whether a row is a spreadsheet's row of totals whose label is not in the channel column
    (``Totale;;15.600;…`` under ``Data;Canale;…``): its first cell says so, its channel cell
    is empty. (A ``Totale`` channel is skipped as an unknown channel is checked, in `_row`.)"""
    written = [c.strip() for c in cells if c.strip()]
    given = cells[channel].strip() if channel < len(cells) else ""
    return bool(written) and is_total(written[0]) and not given


def _days_added(rows: list[ChannelResult]) -> list[ChannelResult]:
    """The rows of one channel (and arm) on several days as one, in the order they first
    come (a figure a day does not give is not known for the channel)."""
    by_key: dict[tuple[str, str | None], list[ChannelResult]] = {}
    for result in rows:
        by_key.setdefault((result.channel, result.arm), []).append(result)
    return [
        days[0] if len(days) == 1 else replace(_added(days[0].channel, days), arm=days[0].arm)
        for days in by_key.values()
    ]


def _check_days(
    shown: str,
    header: str,
    results: list[ChannelResult],
    written: Mapping[int, tuple[str, str]],
    pattern: str | None,
) -> None:
    """A channel (an arm, a holdout's group) on several rows needs a day on each, a different
    one: read as ISO 8601 or as ``pattern`` says. (The day of a channel's only row is not
    needed, and not read.)"""
    by_key: dict[tuple[str, str | None], list[ChannelResult]] = {}
    for result in results:
        by_key.setdefault((result.channel, result.arm), []).append(result)
    for same in by_key.values():
        if len(same) < 2:
            continue
        first: dict[str, int] = {}
        for result in sorted(same, key=lambda r: r.row):
            text, given = written[result.row]
            day = _day(shown, result.row, text, header, pattern)
            if day in first:
                what = (
                    f"channel '{given}' ({result.channel})"
                    + (f" arm '{excerpt(result.arm)}'" if result.arm else "")
                    if result.channel
                    else f"the {result.arm} group"
                )
                raise UsageError(
                    f"{shown}: row {result.row}: {what} is given twice on {day} (first on row "
                    f"{first[day]})"
                )
            first[day] = result.row


def _day(shown: str, row: int, text: str, header: str, pattern: str | None) -> str:
    """A row's day (ISO 8601), from its cell of the ``date`` column."""
    seconds = seconds_of(text, pattern) if text else math.nan
    if not FIRST_TIME <= seconds < END_TIME:  # false for nan too
        how = (
            f"write it as {pattern} says (--date-format)"
            if pattern
            else "write 2027-07-02, or say how the file writes it with --date-format, such as "
            "%d/%m/%Y"
        )
        raise UsageError(
            f"{shown}: row {row}: column '{excerpt(header)}': '{excerpt(text)}' is not a date "
            f"from 1970 to 2199 ({how}); a channel on several rows needs one on each"
        )
    return datetime.fromtimestamp(seconds, UTC).date().isoformat()


def _added(channel: str, rows: list[ChannelResult]) -> ChannelResult:
    """The arms of a channel's test added up into the channel's row (a figure an arm does
    not give is not known for the channel)."""
    sums: dict[str, Any] = {}
    for name in (*FIGURES, "contacts"):
        values = [getattr(r, name) for r in rows]
        sums[name] = None if any(v is None for v in values) else sum(values)
    return replace(ChannelResult(channel, row=rows[0].row), **sums)


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


def _columns(shown: str, row: int, headers: list[str], given: Mapping[str, str]) -> dict[str, int]:
    """The index of each column: those named in ``given`` first, then by their header."""
    columns: dict[str, int] = {}
    by_header = {_normalise(header): index for index, header in enumerate(headers)}
    for role, name in given.items():
        if role not in COLUMNS:
            raise UsageError(
                f"--column {role}={name}: unknown column '{role}'"
                f"{did_you_mean(role, COLUMNS)}; the columns are: {', '.join(COLUMNS)}"
            )
        if _normalise(name) not in by_header:
            found = columns_found(headers)
            raise UsageError(f"{shown}: row {row}: no column '{name}' for {role} (found: {found})")
        columns[role] = by_header[_normalise(name)]
    named = set(columns.values())
    for index, header in enumerate(headers):
        field = ALIASES.get(_normalise(header))
        if field is None or field in given or index in named:
            continue
        if field in columns:
            raise UsageError(
                f"{shown}: row {row}: columns '{excerpt(headers[columns[field]])}' and "
                f"'{excerpt(header)}' both give '{field}'"
            )
        columns[field] = index
    missing = [c for c in REQUIRED if c not in columns]
    if missing:
        found = columns_found(headers)
        names = " and ".join(f"'{m}'" for m in missing)
        raise UsageError(
            f"{shown}: row {row}: missing required column{'s' if len(missing) > 1 else ''} "
            f"{names} (found: {found})"
        )
    return columns


def _row(
    shown: str,
    row: int,
    cells: list[str],
    headers: list[str],
    columns: dict[str, int],
    ids: dict[str, str],
    markers: tuple[str, ...],
    numbers: Numbers,
) -> ChannelResult | None:
    def cell(field: str) -> str:
        index = columns[field]
        return cells[index] if index < len(cells) else ""

    arm = printable(cell("arm").strip().casefold()) if "arm" in columns else ""  # shown
    group = GROUPS.get(_normalise(arm)) if arm else None
    values = _figures(shown, row, cells, headers, columns, markers, numbers)
    if group is not None:  # a holdout's group: people, and what they did
        for needed in ("contacts", "converted"):
            if values.get(needed) is None:
                header = excerpt(headers[columns[needed]]) if needed in columns else needed
                raise UsageError(
                    f"{shown}: row {row}: the {group} group needs a value in column '{header}'"
                )
        return ChannelResult("", **values, arm=group, row=row)
    given = cell("channel").strip()
    if not given:
        header = excerpt(headers[columns["channel"]])
        raise UsageError(f"{shown}: row {row}: no channel in column '{header}'")
    channel = ids.get(given.casefold())
    if channel is None:
        if is_total(given):
            return None
        known = sorted(set(ids.values()))
        raise UsageError(
            f"{shown}: row {row}: unknown channel '{excerpt(given)}'{did_you_mean(given, known)}; "
            f"known channels: {', '.join(known)}"
        )
    if values.get("converted") is None:
        raise UsageError(
            f"{shown}: row {row}: no value in column '{excerpt(headers[columns['converted']])}' "
            "(the conversions are required; write 0 for none)"
        )
    return ChannelResult(channel, **values, arm=arm or None, row=row)


def _figures(
    shown: str,
    row: int,
    cells: list[str],
    headers: list[str],
    columns: dict[str, int],
    markers: tuple[str, ...],
    numbers: Numbers,
) -> dict[str, float | None]:
    values: dict[str, float | None] = {}
    for name in (*FIGURES, "contacts"):
        if name not in columns:
            continue
        index = columns[name]
        raw = cells[index] if index < len(cells) else ""
        try:
            values[name] = numbers.read(raw, markers if name in MONEY else ())
        except NumberError as exc:
            raise UsageError(
                f"{shown}: row {row}: column '{excerpt(headers[index])}': cannot read "
                f"'{excerpt(raw.strip())}' as a number ({exc})"
            ) from None
    return values


__all__ = ["ChannelResult", "Results", "read_export", "read_results"]
