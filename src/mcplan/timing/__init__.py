"""When to send, learned from the results (issue 30): `mcplan timing`.

`read_engagement` reads an engagement export (`read`: one row per message sent, or
aggregated per local weekday and hour), `learn` estimates each persona's best slot per
channel (`model`, with `beta`), and the values every part shares are in `result`. The reader
and the model (numpy, DuckDB, scipy) load on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from mcplan.lazy import defer
from mcplan.timing.result import METRICS, WEEKDAYS, Cell, SendTime, Slot, TimingResult

if TYPE_CHECKING:
    from mcplan.timing.model import learn
    from mcplan.timing.read import Engagement, read_engagement

defer(
    __name__,
    {
        "learn": "mcplan.timing.model",
        "Engagement": "mcplan.timing.read",
        "read_engagement": "mcplan.timing.read",
    },
)

__all__ = [
    "METRICS",
    "WEEKDAYS",
    "Cell",
    "Engagement",
    "SendTime",
    "Slot",
    "TimingResult",
    "learn",
    "read_engagement",
]
