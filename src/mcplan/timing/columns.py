"""What an engagement export's header and cells say (issue 30): each column's names in six
languages, as `mcplan.tabular.folded` writes them (English first, then French, German,
Dutch, Italian and Spanish), and the weekdays and hours of the aggregated form. Column names
are found by the one resolver of every export (`mcplan.tabular.resolve`): given names first
(``--column COLUMN=NAME``), then these, in order of preference."""

from __future__ import annotations

import functools
import re
from collections.abc import Collection

from mcplan.tabular import ColumnsWanted, folded

COLUMNS: dict[str, tuple[str, ...]] = {
    "persona": ("persona", "persona_id", "segment", "personae", "zielgruppe", "doelgroep",
                "segmento"),
    "channel": ("channel", "channel_id", "canal", "kanal", "kanaal", "canale"),
    # one row per message sent
    "sent_at": (
        "sent_at", "sent", "send_time", "sent_time", "envoye_le", "date_envoi", "heure_envoi",
        "gesendet_am", "versendet_am", "verzonden_op", "verstuurd_op", "inviato_il",
        "data_invio", "enviado_el", "fecha_envio",
    ),
    "opened_at": (
        "opened_at", "opened", "open_time", "ouvert_le", "date_ouverture", "geoffnet_am",
        "geopend_op", "aperto_il", "data_apertura", "abierto_el", "fecha_apertura",
    ),
    "clicked_at": (
        "clicked_at", "clicked", "click_time", "clique_le", "date_clic", "geklickt_am",
        "geklikt_op", "cliccato_il", "data_clic", "clicado_el", "fecha_clic",
    ),
    # the aggregated form: a row per persona, channel and local weekday and hour
    "weekday": ("weekday", "day_of_week", "day", "jour", "jour_semaine", "wochentag", "tag",
                "weekdag", "dag", "giorno", "giorno_settimana", "dia", "dia_semana"),
    "hour": ("hour", "heure", "stunde", "uur", "ora", "hora"),
    "sends": ("sends", "envois", "envoyes", "gesendet", "versendet", "verzonden", "verstuurd",
              "inviati", "invii", "enviados", "envios"),
    "opens": ("opens", "ouverts", "ouvertures", "geoffnet", "offnungen", "geopend",
              "openingen", "aperti", "aperture", "abiertos", "aperturas"),
    "clicks": ("clicks", "cliques", "clics", "geklickt", "klicks", "geklikt", "kliks",
               "cliccati", "clicados"),
}  # fmt: skip
# In the aggregated form `sent`, `opened` and `clicked` are counts: the same names as the
# events' times read as counts there (a file has one form or the other).
EVENT_COLUMNS = ("sent_at", "opened_at", "clicked_at")
COUNT_OF = {"sends": "sent_at", "opens": "opened_at", "clicks": "clicked_at"}
# What ``--column`` may call them: the names of either form.
GIVEN = {**COUNT_OF, "sent": "sent_at", "opened": "opened_at", "clicked": "clicked_at"}


def form(found: Collection[str]) -> str:
    """``aggregated`` when the header has a weekday and an hour, else ``events``."""
    return "aggregated" if {"weekday", "hour"} <= set(found) else "events"


def _required(found: Collection[str]) -> tuple[str, ...]:
    """Both forms need persona and channel; the events their send times, the aggregated
    form its weekday, hour and sends."""
    if form(found) == "aggregated":
        sends = "sends" if "sends" in found or "sent_at" not in found else "sent_at"
        return ("persona", "channel", "weekday", "hour", sends)
    return ("persona", "channel", "sent_at")


def wanted() -> ColumnsWanted:
    """What `mcplan.tabular.resolve` looks for: in the aggregated form, ``sent``,
    ``opened`` and ``clicked`` are its counts (a column found as ``sent_at`` is taken as
    ``sends`` there: see `counts_of`)."""
    return ColumnsWanted(
        names=COLUMNS, required=_required, noun="column", by_preference=True, lists_names=True
    )


def counts_of(found: dict[str, int]) -> dict[str, int]:
    """The aggregated form's columns: a header ``sent`` (found as ``sent_at``) is its sends,
    ``opened`` its opens, ``clicked`` its clicks."""
    if form(found) != "aggregated":
        return found
    out = dict(found)
    for count, event in COUNT_OF.items():
        if event in out:
            out.setdefault(count, out.pop(event))
    return out


# -- the aggregated form's cells -----------------------------------------------------------


@functools.cache
def weekday_names() -> dict[str, int]:
    """Every weekday name (wide and abbreviated, as CLDR writes them in the six languages,
    folded, without a final dot) → its number, 0 for Monday."""
    from babel import Locale

    names: dict[str, int] = {}
    for language in ("en", "fr", "de", "nl", "it", "es"):
        days = Locale.parse(language).days["format"]
        for width in ("wide", "abbreviated"):
            for number, name in days[width].items():
                names.setdefault(folded(name).rstrip("."), number)
    return names


_NUMBER = re.compile(r"\d{1,2}")


def weekday_of(text: str) -> int | None:
    """A weekday cell's number, 0 for Monday (None when it is not one): a name in one of the
    six languages (``tuesday``, ``mardi``, ``Di``), or a number as cron writes it: 1 for
    Monday to 7 for Sunday, 0 for Sunday too."""
    if _NUMBER.fullmatch(text.strip()):  # as written: folding drops a sign (-1)
        number = int(text)
        return (number - 1) % 7 if number <= 7 else None
    return weekday_names().get(folded(text).rstrip("."))


_HOUR = re.compile(r"(\d{1,2})\s*(?:h|:00(?::00)?|h00)?")


def hour_of(text: str) -> int | None:
    """An hour cell's hour, 0 to 23 (None when it is not one): ``19``, ``19:00``, ``19h``."""
    match = _HOUR.fullmatch(text.strip().lower())
    if match is None:
        return None
    hour = int(match.group(1))
    return hour if hour < 24 else None
