"""The names a results file's headers go by, in English, French, German, Dutch, Italian and
Spanish (as :func:`mcplan.tabular.folded` writes them), and a holdout's groups: the table of
`mcplan.report.results`' docstring, as the reader looks them up."""

from __future__ import annotations

from collections.abc import Collection

from mcplan.report.counts import FIGURES
from mcplan.tabular import ColumnsWanted

COLUMNS = ("channel", *FIGURES, "arm", "contacts", "date")
REQUIRED = ("channel", "converted")
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


def _required(found: Collection[str]) -> tuple[str, ...]:
    """A results file needs a channel and its conversions (a holdout's rows, in the same file,
    a group in ``arm``)."""
    return REQUIRED


# What `mcplan.tabular.resolve` looks for: each column by its names, two headers of one refused.
WANTED = ColumnsWanted(
    names={
        column: tuple(name for name, target in ALIASES.items() if target == column)
        for column in COLUMNS
    },
    required=_required,
)
