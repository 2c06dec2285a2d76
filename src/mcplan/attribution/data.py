"""Read touchpoint exports into journeys: the paths of channels that led to a conversion, or not.

Two layouts are read, from CSV (or Parquet, when pyarrow is installed):

- **touches**, one row per event: a journey (or contact) id, a time, a channel, and
  conversion rows with a value (or a ``converted`` flag on the touch that converted, which
  reads as that touch then a conversion at the same time). A conversion closes the
  journey's path: the touches before it (since the previous conversion of the same journey)
  led to it; touches after the last conversion form a path that did not convert. A
  conversion with no touch before it is counted apart ("no touch"), so totals always equal
  the conversions in the file.
- **paths**, the aggregated form of attribution tools: a path such as `email > sms > store`,
  its conversions, their value, and how many journeys took that path without converting.

Column names have defaults (below, in order of preference) and can be given. Channel names
are mapped to the workspace's channel ids: the id, the channel's name (any case), or the
`utm_source` value that `mcplan render` puts in links (the id). A name that maps to nothing is
an error that names its rows.

With pyarrow installed, a touches export is read a column at a time (`columnar`, 3–4× faster);
whatever that reader is not sure of comes back here, row by row, for the same journeys and
the same messages.
"""

from __future__ import annotations

import array
import dataclasses
import math
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

import numpy as np
from numpy.typing import NDArray

from mcplan import numbers
from mcplan.errors import UsageError
from mcplan.printable import excerpt, printable
from mcplan.suggest import did_you_mean
from mcplan.tabular import (
    END_TIME,
    FIRST_TIME,
    Ambiguous,
    NumberError,
    Numbers,
    Table,
    columns_found,
    folded,
    is_total,
    read_table,
    seconds_of,
    time_pattern,
)

MAX_BYTES = 2 * 1024**3  # a touchpoint export may be large; still, not unbounded

# Each role's column names, as `folded` gives them (case, accents and spaces do not count):
# English first, then French, German, Dutch, Italian and Spanish.
COLUMNS: dict[str, tuple[str, ...]] = {
    "journey": (
        "journey_id", "journey", "contact_id", "contact", "user_id", "visitor_id",
        "id_contact", "kontakt_id", "klant_id", "id_cliente", "cliente", "id_contatto",
        "contatto", "id_utente", "utente", "id_contacto", "contacto", "id_usuario", "usuario",
    ),
    "time": (
        "timestamp", "time", "datetime", "date", "at", "horodatage", "date_heure", "zeitpunkt",
        "datum", "tijdstip", "data_ora", "data", "fecha_hora", "fecha",
    ),
    "channel": ("channel", "utm_source", "source", "canal", "kanal", "kanaal", "canale"),
    "event": ("event", "type", "event_type", "evenement", "ereignis", "gebeurtenis", "evento",
              "tipo"),
    "converted": (
        "converted", "is_conversion", "conversion_flag", "converted_flag", "converti",
        "konvertiert", "geconverteerd", "convertito", "convertido",
    ),
    "value": (
        "value", "revenue", "conversion_value", "amount", "total_conversion_value", "valeur",
        "montant", "wert", "umsatz", "waarde", "omzet", "valore", "ricavi", "importo", "valor",
        "ingresos", "importe", "fatturato", "facturacion",
    ),
    "path": ("path", "paths", "channel_path", "parcours", "pfad", "pad", "percorso", "ruta"),
    "conversions": (
        "conversions", "total_conversions", "conversion", "conv", "konversionen", "conversies",
        "conversioni", "convertiti", "conversiones", "convertidos",
    ),
    "null": (
        "null", "nulls", "total_null", "non_conversions", "no_conversion", "non_convertis",
        "non_convertiti", "no_convertidos",
    ),
    "cost": (
        "cost", "spend", "cout", "kosten", "costo", "costi", "spesa", "coste", "costes", "gasto",
    ),
    # What `mcplan attribute --sql` adds to a paths table for time decay (see `sql`).
    "decay": ("decay",),
    "decay_value": ("decay_value",),
    "half_life": ("half_life_days",),
}  # fmt: skip
# What a conversion row's event says, in English, French, German, Dutch, Italian or Spanish.
CONVERSION_EVENTS = {
    "conversion", "conv", "purchase", "order", "sale", "achat", "vente", "commande", "kauf",
    "bestellung", "konversion", "aankoop", "bestelling", "conversie", "acquisto", "ordine",
    "vendita", "conversione", "compra", "pedido", "venta", "conversión",
}  # fmt: skip
# A touch row's `converted` flag: the journey converted after this touch.
YES = {"1", "true", "yes", "y", "x", "oui", "vrai", "ja", "wahr", "si", "sì", "sí", "vero",
       "verdadero"}  # fmt: skip
NO = {"", "0", "false", "no", "n", "non", "faux", "nee", "nein", "falsch", "falso"}
NAMES_SHOWN = 10  # unknown channel names a message lists; it says how many more there are


def more(count: int) -> str:
    """What a message says of the names it does not list."""
    return f" and {numbers.count(count - NAMES_SHOWN)} more" if count > NAMES_SHOWN else ""


@dataclass(frozen=True)
class Journeys:
    """Paths of channels, flattened into touch arrays (a path's touches are contiguous).

    Per touch: `path` (its path's index), `position` (0-based), `length` (of its path),
    `channel` (index into `channels`) and `before` (seconds until its path's conversion, or
    None when the input had no times). Per path: `conversions`, `value`, `nulls`.
    """

    channels: tuple[str, ...]
    path: NDArray[np.int64]
    position: NDArray[np.int64]
    length: NDArray[np.int64]
    channel: NDArray[np.int64]
    before: NDArray[np.float64] | None
    conversions: NDArray[np.float64]
    value: NDArray[np.float64]
    nulls: NDArray[np.float64]
    unattributed: tuple[float, float] = (0.0, 0.0)  # (conversions, value) with no touch
    costs: tuple[float, ...] | None = None  # per channel, from a cost column of the touches
    # Per touch of aggregated paths, instead of `before`: the time-decay shares of its
    # position, summed over the journeys of its path (conversions, value), for a half-life.
    decay: tuple[NDArray[np.float64], NDArray[np.float64]] | None = None
    decay_half_life: float | None = None


class Channels:
    """Maps the channel names of an export to channel ids, and remembers unknown ones."""

    def __init__(self, known: Mapping[str, str] | None, aliases: Mapping[str, str]) -> None:
        # name (lower case) → id; None means: keep names as written (no workspace).
        self.known = None if known is None else {k.lower(): v for k, v in known.items()}
        self.aliases = {k.lower(): self._target(k, v) for k, v in aliases.items()}
        self.index: dict[str, int] = {}
        self.unknown: dict[str, list[int]] = {}
        self._shown: dict[str, str] = {}

    def _target(self, name: str, target: str) -> str:
        """The channel id an alias maps to: a channel of the workspace, when there is one."""
        if self.known is None:
            return target
        channel = self.known.get(target.strip().lower())
        if channel is None:
            known = sorted(set(self.known.values()))
            raise UsageError(
                f"--alias {name}={target}: unknown channel '{target}'"
                f"{did_you_mean(target, known)}; known channels: {', '.join(known)}"
            )
        return channel

    def __call__(self, name: str, row: int) -> int:
        key = name.strip()
        target = self.aliases.get(key.lower())
        if target is None:
            target = self._as_written(key) if self.known is None else self.known.get(key.lower())
        if target is None:
            self.unknown.setdefault(key, []).append(row)
            return -1
        return self.index.setdefault(target, len(self.index))

    def _as_written(self, name: str) -> str:
        """A name kept as the export writes it, printable: it is shown as a channel."""
        shown = self._shown.get(name)
        if shown is None:
            shown = self._shown[name] = printable(name)
        return shown

    def check(self, file: str) -> None:
        if not self.unknown:
            return
        known = sorted(set((self.known or {}).values()))
        problems = []
        unknown = sorted(self.unknown.items(), key=lambda item: item[1][0])
        for name, rows in unknown[:NAMES_SHOWN]:
            listed = ", ".join(str(r) for r in rows[:5]) + (" …" if len(rows) > 5 else "")
            noun = "row" if len(rows) == 1 else "rows"
            problems.append(f"'{excerpt(name)}' ({noun} {listed}){did_you_mean(name, known)}")
        raise UsageError(
            f"{file}: unknown channels: {'; '.join(problems)}{more(len(unknown))}. Use "
            "workspace channel ids, or map a name with --alias NAME=CHANNEL"
        )

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(sorted(self.index, key=self.index.__getitem__))


# The columns of ChannelAttribution's paths table (its Data.csv, what its Markov models
# read), which R writes with `.` for decimals and no thousands separator.
CHANNEL_ATTRIBUTION = frozenset(
    {"path", "total_conversions", "total_conversion_value", "total_null"}
)


def read(
    path: Path,
    *,
    known: Mapping[str, str] | None = None,
    columns: Mapping[str, str] | None = None,
    aliases: Mapping[str, str] | None = None,
    separator: str = ">",
    currencies: Sequence[str] = (),
    decimal: str | None = None,
    date_format: str | None = None,
) -> Journeys:
    """Read an export (touches or paths, CSV or Parquet) into journeys.

    ``currencies`` are the markers a value or cost cell may carry (``€``, ``EUR``);
    ``decimal`` the file's decimal mark, for numbers such as ``1,234`` that the file's other
    numbers do not settle (:class:`mcplan.tabular.Numbers`); ``date_format`` a strftime
    pattern its times are written in (`time_pattern`), beside ISO 8601 and seconds.
    """
    display = str(path)
    numbers = Numbers(decimal)
    pattern = time_pattern(date_format)
    with read_table(path, max_bytes=MAX_BYTES, needs="data rows") as table:
        chosen = _columns(table.header, columns or {}, display)
        channels = Channels(known, aliases or {})
        if "path" in chosen:
            if decimal is None and {h.strip() for h in table.header} >= CHANNEL_ATTRIBUTION:
                # ChannelAttribution's own table (R's write.table: `.` for decimals, no
                # thousands separator): its 3.195 is 3.195, even where no other cell says so.
                numbers = Numbers(".")
            # A first pass says how the file writes its numbers (`Numbers`), the second
            # reads them: a paths table may be large, and is not held in memory.
            with read_table(path, max_bytes=MAX_BYTES, needs="data rows") as first:
                learn_paths(first.rows, chosen, numbers, currencies)
            journeys = _from_paths(
                table.rows, chosen, channels, separator, display, currencies, numbers
            )
        else:
            fast = _columnar(table, chosen, channels, currencies, decimal, pattern)
            if fast is None:  # the row reader says what is wrong, and on which row
                channels = Channels(known, aliases or {})
            journeys = (
                fast
                if fast is not None
                else _from_touches(
                    table.rows, chosen, channels, display, currencies, numbers, pattern
                )
            )
    channels.check(display)
    return with_conversions(journeys, display)


def with_conversions(journeys: Journeys, display: str) -> Journeys:
    """The journeys, when they have a conversion to attribute."""
    if not journeys.conversions.sum() and not journeys.unattributed[0]:
        raise UsageError(f"{display}: no conversion in the file, nothing to attribute; {_HOW}")
    return journeys


def _columnar(
    table: Table,
    chosen: Mapping[str, int],
    channels: Channels,
    currencies: Sequence[str],
    decimal: str | None = None,
    pattern: str | None = None,
) -> Journeys | None:
    """The journeys read a column at a time (`columnar`), or None when it is not sure."""
    if table.header_row != 1:
        return None
    from mcplan.attribution import columnar

    read = columnar.read_columns(table)
    events = (
        None
        if read is None
        else columnar.touches(read, chosen, channels, currencies, decimal, pattern)
    )
    if events is None:
        return None
    journey, times, channel, value, is_conversion, costs = events
    journeys = _segments(journey, times, channel, value, is_conversion, channels.names)
    if costs is None:
        return journeys
    return dataclasses.replace(journeys, costs=tuple(float(c) for c in costs))


_HOW = (
    "a conversion is a row whose event is conversion, purchase, order or sale (--column "
    "event=NAME), a row without a channel, a touch whose converted column says 1 or yes "
    "(--column converted=NAME), or, in a paths file, a path's conversions (--column "
    "conversions=NAME)"
)


# -- reading ----------------------------------------------------------------------------------


def resolve_columns(names: list[str], given: Mapping[str, str], display: str) -> dict[str, str]:
    """The name of each role's column among ``names``: given names first, then the defaults."""
    return {role: names[index] for role, index in _columns(names, given, display).items()}


def _columns(header: list[str], given: Mapping[str, str], display: str) -> dict[str, int]:
    """The index of each role's column: given names first, then the defaults."""
    lower: dict[str, int] = {}
    for i, h in enumerate(header):
        lower.setdefault(folded(h), i)
    chosen: dict[str, int] = {}
    for role, name in given.items():
        if role not in COLUMNS:
            raise UsageError(f"--column: unknown role '{role}'; roles: {', '.join(COLUMNS)}")
        if folded(name) not in lower:
            raise UsageError(
                f"{display}: no column '{name}' for {role}; the columns are: "
                f"{columns_found(header)}"
            )
        chosen[role] = lower[folded(name)]
    for role, names in COLUMNS.items():
        if role not in chosen:
            found = next((lower[n] for n in names if n in lower), None)
            if found is not None:
                chosen[role] = found
    needed = ("path",) if "path" in chosen else ("journey", "time", "channel")
    missing = [r for r in needed if r not in chosen]
    if missing:
        looked = "; ".join(
            ", ".join(COLUMNS[m][:6]) + (" …" if len(COLUMNS[m]) > 6 else "") for m in missing
        )
        raise UsageError(
            f"{display}: missing column{'s' if len(missing) > 1 else ''} "
            f"{', '.join(missing)} (looked for {looked}); the columns are: "
            f"{columns_found(header)}. Name them with --column ROLE=NAME"
        )
    return chosen


def _number(
    text: str,
    row: int,
    what: str,
    display: str,
    markers: Sequence[str] = (),
    numbers: Numbers | None = None,
) -> float:
    """A count or an amount, by the rule of every export (:mod:`mcplan.tabular`), by what
    the file's other numbers say (``numbers``, which has learnt them all); 0 if empty."""
    try:
        value = (numbers or Numbers()).read(text, markers)
    except NumberError as exc:
        raise _not_a_number(text, row, what, display, exc) from None
    return 0.0 if value is None else value


def _not_a_number(text: str, row: int, what: str, display: str, exc: Exception) -> UsageError:
    return UsageError(
        f"{display}: row {row}: {what} '{excerpt(text.strip())}' is not a number ({exc})"
    )


# Times of events: from 1970 to 2199, as campaign dates (nan, inf and 1e300 are no time).


def _time(text: str, row: int, display: str, pattern: str | None = None) -> float:
    seconds = seconds_of(text, pattern)
    if not FIRST_TIME <= seconds < END_TIME:  # false for nan too
        how = (
            f"write it as {pattern} says (--date-format), or"
            if pattern
            else "write 2027-01-13T09:00, with an offset if you like, or seconds since 1970, or "
            "say how the file writes it with --date-format, such as"
        )
        example = "2027-01-13T09:00" if pattern else "%d/%m/%Y %H:%M"
        raise UsageError(
            f"{display}: row {row}: time '{excerpt(text)}' is not a date and time from 1970 to "
            f"2199 ({how} {example})"
        )
    return seconds


def _flag(text: str, row: int, display: str) -> bool:
    word = text.strip().lower()
    if word in YES or word in NO:
        return word in YES
    raise UsageError(
        f"{display}: row {row}: converted '{excerpt(text.strip())}' is not a yes or a no (write 1 "
        "or 0)"
    )


def _cell(row: list[str], index: int | None) -> str:
    return row[index] if index is not None and index < len(row) else ""


# -- touches --------------------------------------------------------------------------------


def _from_touches(
    rows: Iterable[tuple[int, list[str]]],
    chosen: Mapping[str, int],
    channels: Channels,
    display: str,
    currencies: Sequence[str] = (),
    numbers: Numbers | None = None,
    pattern: str | None = None,
) -> Journeys:
    journey_ids: dict[str, int] = {}
    # Typed arrays, not lists: 8 bytes a cell, not a Python object each (a third of the memory).
    journey, channel = array.array("q"), array.array("q")
    times, value = array.array("d"), array.array("d")
    is_conversion = bytearray()
    j_col, t_col, c_col = chosen["journey"], chosen["time"], chosen["channel"]
    e_col, v_col, cost_col = chosen.get("event"), chosen.get("value"), chosen.get("cost")
    flag_col = chosen.get("converted")
    # A value or cost such as 1,234 waits for the whole file to say what it is (`Numbers`):
    # it is kept as 1234, its mark noted, and divided by 1000 at the end if it was 1.234.
    numbers = numbers or Numbers()
    pending = Pending(numbers, display)
    value_marks = bytearray()
    spent, spent_marks = array.array("d"), bytearray()
    for number, row in rows:
        event = _cell(row, e_col).strip().lower()
        name = _cell(row, c_col)
        converts = event in CONVERSION_EVENTS if e_col is not None else not name.strip()
        key = _cell(row, j_col).strip()
        if not key:
            raise UsageError(f"{display}: row {number}: the journey id is empty")
        at = _time(_cell(row, t_col), number, display, pattern)
        # A touch flagged `converted` is a touch, then a conversion at the same time.
        flagged = not converts and _flag(_cell(row, flag_col), number, display)
        for is_touch in (True, False) if flagged else (not converts,):
            journey.append(journey_ids.setdefault(key, len(journey_ids)))
            times.append(at)
            is_conversion.append(not is_touch)
            if not is_touch:
                worth, mark = pending.read(_cell(row, v_col), number, "value", currencies)
                value.append(worth)
                value_marks.append(mark)
                channel.append(-1)
                if cost_col is not None:  # a cost per event only when the file has them
                    spent.append(0.0)
                    spent_marks.append(0)
                continue
            if not name.strip():
                raise UsageError(f"{display}: row {number}: a touch without a channel")
            value.append(0.0)
            value_marks.append(0)
            channel.append(channels(name, number))
            if cost_col is not None:
                cost, mark = pending.read(_cell(row, cost_col), number, "cost", currencies)
                spent.append(cost)
                spent_marks.append(mark)
    if not journey:
        raise UsageError(f"{display}: no data rows under the header")
    values = pending.settled(np.frombuffer(value, np.float64), value_marks)
    journeys = _segments(
        np.frombuffer(journey, np.int64),
        np.frombuffer(times, np.float64),
        np.frombuffer(channel, np.int64),
        values,
        np.frombuffer(is_conversion, bool),
        channels.names,
    )
    if cost_col is None:
        return journeys
    costs = pending.settled(np.frombuffer(spent, np.float64), spent_marks)
    touch = ~np.frombuffer(is_conversion, bool) & (np.frombuffer(channel, np.int64) >= 0)
    on = np.frombuffer(channel, np.int64)[touch]  # an unknown channel's: the error says it
    per_channel = np.bincount(on, costs[touch], minlength=len(channels.names))
    return dataclasses.replace(journeys, costs=tuple(float(c) for c in per_channel))


class Pending:
    """The numbers of a file read as its rows come, each ambiguous one (``1,234``) kept as
    1234 with its mark until every row is read and the file has said what it is."""

    MARKS: ClassVar[dict[str, int]] = {".": 1, ",": 2}

    def __init__(self, numbers: Numbers, display: str) -> None:
        self.numbers = numbers
        self.display = display
        self.first: dict[int, tuple[Ambiguous, str, int, str]] = {}  # mark → first cell

    def read(self, text: str, row: int, what: str, currencies: Sequence[str]) -> tuple[float, int]:
        """A cell's number (0 if empty) and its mark's code (0: none, not ambiguous)."""
        try:
            number, mark = self.numbers.provisional(text, currencies)
        except NumberError as exc:
            raise _not_a_number(text, row, what, self.display, exc) from None
        if not mark:
            return (0.0 if number is None else number), 0
        code = self.MARKS[mark]
        if code not in self.first:
            match = text.strip()
            self.first[code] = (_ambiguous(number or 0.0, mark), match, row, what)
        return (0.0 if number is None else number), code

    def settled(self, numbers: NDArray[np.float64], marks: bytearray) -> NDArray[np.float64]:
        """``numbers`` with each ambiguous one as the whole file says it is; the error at the
        first one it does not settle."""
        if not self.first:
            return numbers
        open_marks = [first for code, first in self.first.items() if self.decimal(code) is None]
        if open_marks:
            ambiguous, text, row, what = min(open_marks, key=lambda first: first[2])
            error = self.numbers.unsettled(ambiguous)
            raise _not_a_number(text, row, what, self.display, error)
        codes = np.frombuffer(marks, np.uint8)
        out = numbers.copy()
        for code in self.first:
            if self.decimal(code):
                out[codes == code] /= 1000  # 1234 / 1000 is 1.234, to the last bit
        return out

    def decimal(self, code: int) -> bool | None:
        return self.numbers.is_decimal(next(m for m, c in self.MARKS.items() if c == code))


def _ambiguous(grouped: float, mark: str) -> Ambiguous:
    whole, fraction = divmod(int(grouped), 1000)
    return Ambiguous(str(whole), f"{fraction:03d}", mark)


def _segments(
    journey: NDArray[np.int64],
    times: NDArray[np.float64],
    channel: NDArray[np.int64],
    value: NDArray[np.float64],
    is_conversion: NDArray[np.bool_],
    names: tuple[str, ...],
) -> Journeys:
    """Put each journey's events in time order, then cut them into paths (`cut`).

    At equal times a touch comes before a conversion (it may have led to it), touches in the
    order of their channels' names, conversions by value: the order of the rows does not
    matter, as in every engine (`mcplan.attribution.sql`).
    """
    rank = np.full(len(names) + 1, -1)  # a channel's rank by name; -1 (a conversion): -1
    rank[np.argsort(np.asarray(names, dtype=object))] = np.arange(len(names))
    order = np.lexsort((value, rank[channel], is_conversion, times, journey))
    journey = journey[order]
    new_journey = np.r_[True, journey[1:] != journey[:-1]]
    return cut(new_journey, times[order], channel[order], value[order], is_conversion[order], names)


def cut(
    new_journey: NDArray[np.bool_],
    times: NDArray[np.float64],
    channel: NDArray[np.int64],
    value: NDArray[np.float64],
    is_conversion: NDArray[np.bool_],
    names: tuple[str, ...],
) -> Journeys:
    """Cut events in order (each journey's together, in time order, ``new_journey`` on its
    first) into paths that each end at a conversion."""
    # A path starts with a journey, or right after a conversion.
    after_conversion = np.r_[False, is_conversion[:-1]] & ~new_journey
    segment = np.cumsum(new_journey | after_conversion) - 1
    touch = ~is_conversion
    n_segments = int(segment[-1]) + 1
    conversions = np.bincount(segment[is_conversion], minlength=n_segments).astype(np.float64)
    worth = np.bincount(segment[is_conversion], value[is_conversion], minlength=n_segments)
    touches_per_segment = np.bincount(segment[touch], minlength=n_segments)
    # Conversions with no touch before them are counted apart.
    empty = touches_per_segment == 0
    unattributed = (float(conversions[empty].sum()), float(worth[empty].sum()))
    conversion_time = np.zeros(n_segments)
    conversion_time[segment[is_conversion]] = times[is_conversion]
    # Renumber the segments that have touches, in order.
    keep = ~empty
    renumber = np.cumsum(keep) - 1
    path = renumber[segment[touch]]
    length = touches_per_segment[keep][path]
    starts = np.r_[0, np.cumsum(touches_per_segment[keep])[:-1]]
    position = np.arange(len(path)) - starts[path]
    converting = conversions[keep] > 0
    before = np.where(converting[path], conversion_time[keep][path] - times[touch], 0.0)
    return Journeys(
        channels=names,
        path=path.astype(np.int64),
        position=position.astype(np.int64),
        length=length.astype(np.int64),
        channel=channel[touch],
        before=before,
        conversions=conversions[keep],
        value=worth[keep],
        nulls=(~converting).astype(np.float64),
        unattributed=unattributed,
    )


# -- paths ----------------------------------------------------------------------------------


def _from_paths(
    rows: Iterable[tuple[int, list[str]]],
    chosen: Mapping[str, int],
    channels: Channels,
    separator: str,
    display: str,
    currencies: Sequence[str] = (),
    numbers: Numbers | None = None,
) -> Journeys:
    """The journeys of a paths table, ``numbers`` having learnt its numbers (`learn_paths`)
    before any is read; a row of totals (`Totale`) is skipped."""
    p_col = chosen["path"]
    counted = chosen.get("conversions", chosen.get("converted"))
    decays = "decay" in chosen and "decay_value" in chosen and "half_life" in chosen
    half_lives: set[float] = set()
    numbers = numbers or Numbers()
    money = chosen.get("value")

    def entries() -> Iterator[AggregatedPath]:
        for number, row in rows:
            if _is_total_path(_cell(row, p_col), channels):
                continue
            steps = [s.strip() for s in _cell(row, p_col).split(separator) if s.strip()]
            decay = None
            if decays:
                half_lives.add(
                    _number(_cell(row, chosen["half_life"]), number, "half_life", display)
                )
                decay = tuple(
                    decay_shares(_cell(row, chosen[role]), separator, len(steps), number, display)
                    for role in ("decay", "decay_value")
                )
            yield AggregatedPath(
                number,
                steps,
                _number(_cell(row, counted), number, "conversions", display, (), numbers),
                _number(_cell(row, money), number, "value", display, currencies, numbers),
                _number(_cell(row, chosen.get("null")), number, "null", display, (), numbers),
                decay,  # type: ignore[arg-type]  # two lists
            )

    listed = list(entries())
    if len(half_lives) > 1:
        raise UsageError(f"{display}: the rows were aggregated for several half-lives")
    half_life = half_lives.pop() if half_lives else None
    journeys = paths_journeys(listed, channels, half_life if decays else None)
    if not len(journeys.conversions) and not journeys.unattributed[0]:
        raise UsageError(f"{display}: no data rows under the header")
    return journeys


def learn_paths(
    rows: Iterable[tuple[int, list[str]]],
    chosen: Mapping[str, int],
    numbers: Numbers,
    currencies: Sequence[str] = (),
) -> None:
    """Have ``numbers`` learn how a paths table writes its numbers, from a first pass over its
    rows (a row of totals is written as the others are)."""
    counted = chosen.get("conversions", chosen.get("converted"))
    for _, row in rows:
        for role in (counted, chosen.get("null")):
            numbers.learn(_cell(row, role))
        numbers.learn(_cell(row, chosen.get("value")), currencies)


def _is_total_path(path: str, channels: Channels) -> bool:
    """Whether a paths file's row is a spreadsheet's row of totals (`Totale`, `Total`): its
    path says so, and is no channel of the workspace."""
    if not is_total(path):
        return False
    name = path.strip().lower()
    return name not in channels.aliases and name not in (channels.known or {})


@dataclass(frozen=True)
class AggregatedPath:
    """One aggregated path: its row, its steps (channel names), conversions, value, journeys
    that did not convert, and its time-decay shares per step (conversions, value), if given."""

    row: int
    steps: Sequence[str]
    conversions: float
    value: float
    nulls: float
    decay: tuple[Sequence[float], Sequence[float]] | None = None


def paths_journeys(
    paths: Iterable[AggregatedPath], channels: Channels, half_life: float | None
) -> Journeys:
    """Journeys from aggregated paths (a path without a step is the conversions with no
    touch); with the paths' time-decay shares for ``half_life`` (days), when it is given."""
    path: list[int] = []
    position: list[int] = []
    length: list[int] = []
    channel: list[int] = []
    decay: tuple[list[float], list[float]] = ([], [])
    conversions: list[float] = []
    value: list[float] = []
    nulls: list[float] = []
    unattributed = [0.0, 0.0]
    for entry in paths:
        if not entry.steps:
            unattributed[0] += entry.conversions
            unattributed[1] += entry.value
            continue
        index = len(conversions)
        for i, step in enumerate(entry.steps):
            path.append(index)
            position.append(i)
            length.append(len(entry.steps))
            channel.append(channels(step, entry.row))
        if half_life is not None:
            assert entry.decay is not None, "a path of an aggregation for time decay"
            decay[0].extend(entry.decay[0])
            decay[1].extend(entry.decay[1])
        conversions.append(entry.conversions)
        value.append(entry.value)
        nulls.append(entry.nulls)
    return Journeys(
        channels=channels.names,
        path=np.asarray(path, np.int64),
        position=np.asarray(position, np.int64),
        length=np.asarray(length, np.int64),
        channel=np.asarray(channel, np.int64),
        before=None,
        conversions=np.asarray(conversions, np.float64),
        value=np.asarray(value, np.float64),
        nulls=np.asarray(nulls, np.float64),
        unattributed=(unattributed[0], unattributed[1]),
        decay=None if half_life is None else (np.asarray(decay[0]), np.asarray(decay[1])),
        decay_half_life=half_life,
    )


def decay_shares(text: str, separator: str, steps: int, row: int, display: str) -> list[float]:
    """A path's time-decay shares, one per step, as `--sql` writes them."""
    parts = [p.strip() for p in text.split(separator) if p.strip()]
    if not parts:  # a path that never converted has none (nor the conversions with no touch)
        return [0.0] * steps
    try:
        shares = [float(p) for p in parts]
    except ValueError:
        shares = []
    if len(shares) != steps or not all(math.isfinite(s) and s >= 0 for s in shares):
        raise UsageError(
            f"{display}: row {row}: decay '{excerpt(text.strip())}' is not one number per step of "
            "the path"
        )
    return shares


def from_paths(
    paths: Sequence[tuple[Sequence[str], float, float, float]],
) -> Journeys:
    """Journeys from (channels, conversions, value, nulls) tuples: for tests and the API."""
    rows = (
        (n, [" > ".join(steps), _written(c), _written(v), _written(x)])
        for n, (steps, c, v, x) in enumerate(paths, start=2)
    )
    chosen = {"path": 0, "conversions": 1, "value": 2, "null": 3}
    channels = Channels(None, {})
    return _from_paths(rows, chosen, channels, ">", "paths", numbers=Numbers(decimal="."))


def _written(number: float) -> str:
    """A number as a cell that reads back to it (``3.195``, never ``1e+20``)."""
    return str(np.format_float_positional(float(number), trim="-"))
