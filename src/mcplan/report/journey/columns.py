"""The names a journey's results export goes by (as :func:`mcplan.tabular.folded` writes
them): its figures as a campaign's results name them (`mcplan.report.headers`), and the step,
the persona and the period, in English, French, German, Dutch, Italian and Spanish."""

from __future__ import annotations

from collections.abc import Collection

from mcplan.report.counts import FIGURES
from mcplan.report.headers import ALIASES as CAMPAIGN_ALIASES
from mcplan.tabular import ColumnsWanted

PERIODS = ("week", "from", "to", "date")
COLUMNS = ("step", "persona", *FIGURES, *PERIODS)

ALIASES: dict[str, str] = {
    **{name: target for name, target in CAMPAIGN_ALIASES.items() if target in COLUMNS},
    **{name: name for name in COLUMNS},
    # the send step's id
    "step_id": "step",
    "etape": "step",
    "schritt": "step",
    "stap": "step",
    "passo": "step",
    "paso": "step",
    # the persona of the row
    "profil": "persona",
    "profiel": "persona",
    "profilo": "persona",
    "perfil": "persona",
    # the period: a week (2027-W03, or its first day), or from … to …
    "semaine": "week",
    "woche": "week",
    "kw": "week",
    "kalenderwoche": "week",
    "settimana": "week",
    "semana": "week",
    "start": "from",
    "du": "from",
    "debut": "from",
    "von": "from",
    "vanaf": "from",
    "van": "from",
    "dal": "from",
    "inizio": "from",
    "desde": "from",
    "inicio": "from",
    "end": "to",
    "au": "to",
    "fin": "to",
    "bis": "to",
    "tot": "to",
    "tot_en_met": "to",
    "al": "to",
    "fine": "to",
    "hasta": "to",
}
REQUIRED = ("step", "sent", "converted")


def _required(found: Collection[str]) -> tuple[str, ...]:
    """A step, its sends and its conversions, and a period: a week, a day, or from and to."""
    if "from" in found or "to" in found:
        return (*REQUIRED, "from", "to")
    if "date" in found:
        return REQUIRED
    return (*REQUIRED, "week")


WANTED = ColumnsWanted(
    names={
        column: tuple(name for name, target in ALIASES.items() if target == column)
        for column in COLUMNS
    },
    required=_required,
    lists_names=True,
)
