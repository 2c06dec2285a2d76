"""What a touchpoint export's header and cells say: each column's role and its names in six
languages, the words of a conversion and of a yes or a no, and its channel names as the
workspace's channel ids (`Channels`). Column names are found by the one resolver of every
export (`mcplan.tabular.resolve`): given names first (``--column ROLE=NAME``), then the
names below, in order of preference."""

from __future__ import annotations

from collections.abc import Collection, Mapping

from mcplan import numbers
from mcplan.errors import UsageError
from mcplan.printable import excerpt, printable
from mcplan.suggest import did_you_mean
from mcplan.tabular import ColumnsWanted, HeaderRow, resolve

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
# A touch row's `converted` flag: the contact converted after this touch.
YES = {"1", "true", "yes", "y", "x", "oui", "vrai", "ja", "wahr", "si", "sì", "sí", "vero",
       "verdadero"}  # fmt: skip
NO = {"", "0", "false", "no", "n", "non", "faux", "nee", "nein", "falsch", "falso"}
NAMES_SHOWN = 10  # unknown channel names a message lists; it says how many more there are


def more(count: int) -> str:
    """What a message says of the names it does not list."""
    return f" and {numbers.count(count - NAMES_SHOWN)} more" if count > NAMES_SHOWN else ""


def unknown_names(unknown: Mapping[str, Collection[int]], known: Collection[str]) -> str:
    """Names an export has and the workspace lacks, first seen first, each with its first
    rows and the known name it is nearest to: ``'pendlr' (row 3) (did you mean 'pendler'?);
    …``, and how many more."""
    listed = []
    for name, found in sorted(unknown.items(), key=lambda item: min(item[1]))[:NAMES_SHOWN]:
        rows = sorted(found)
        shown = ", ".join(str(r) for r in rows[:5]) + (" …" if len(rows) > 5 else "")
        noun = "row" if len(rows) == 1 else "rows"
        listed.append(f"'{excerpt(name)}' ({noun} {shown}){did_you_mean(name, sorted(known))}")
    return "; ".join(listed) + more(len(unknown))


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
        listed = unknown_names(self.unknown, set((self.known or {}).values()))
        raise UsageError(
            f"{file}: unknown channels: {listed}. Use "
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


def _required(found: Collection[str]) -> tuple[str, ...]:
    """A paths table needs its paths; a touch log its contacts (`journey`), times and
    channels."""
    return ("path",) if "path" in found else ("journey", "time", "channel")


# What `mcplan.tabular.resolve` looks for: each role by its names, the first found preferred.
WANTED = ColumnsWanted(
    names=COLUMNS, required=_required, noun="role", by_preference=True, lists_names=True
)


def resolve_columns(
    names: list[str], given: Mapping[str, str], display: str, row: int | None = None
) -> dict[str, str]:
    """The name of each role's column among ``names``: given names first, then the defaults
    (``row``: the header's, when the reader knows it)."""
    found = resolve(WANTED, HeaderRow(display, row, names), given)
    return {role: names[index] for role, index in found.items()}


def cell(row: list[str], index: int | None) -> str:
    """A row's cell ("" when the file has no such column, or the row is short)."""
    return row[index] if index is not None and index < len(row) else ""


def not_a_number(text: str, row: int, what: str, display: str, exc: Exception) -> UsageError:
    """The error for a cell that is not a number, naming its row and what it is."""
    return UsageError(
        f"{display}: row {row}: {what} '{excerpt(text.strip())}' is not a number ({exc})"
    )
