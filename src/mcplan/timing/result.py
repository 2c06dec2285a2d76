"""What `mcplan timing` learns from an engagement export: per persona and channel, the rate of
opens (or clicks) at each local weekday and hour, the best slot with its uncertainty, and how
it compares with the slot the workspace's touches use today (issue 30).

These are the values every part shares: the estimate writes them, the outputs show them, the
persona files keep the slots with enough data (`send_times`) and `plan` reads those back.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from mcplan.workspace.send_times import WEEKDAY_NAMES

WEEKDAYS = WEEKDAY_NAMES  # as JSON and the persona files name them, Monday first
METRICS = ("open", "click")


@dataclass(frozen=True)
class Slot:
    """A local time of the week to send at: a weekday (0 is Monday) and an hour, or an hour
    of any day (``weekday`` None: the weekdays do not differ credibly)."""

    weekday: int | None
    hour: int

    def to_dict(self) -> dict[str, Any]:
        day = WEEKDAYS[self.weekday] if self.weekday is not None else None
        return {"weekday": day, "hour": self.hour}


@dataclass(frozen=True)
class Cell:
    """One local weekday × hour of a persona and channel: what was sent and engaged, and the
    rate the model gives it (posterior mean, 90 % equal-tailed credible interval)."""

    weekday: int
    hour: int
    sent: int
    engaged: int
    rate: float
    interval: tuple[float, float]


@dataclass(frozen=True)
class SendTime:
    """What the export tells of one persona and channel (see docs/timing.md)."""

    persona: str
    channel: str
    metric: str  # one of METRICS
    sends: int
    engaged: int
    period: tuple[date, date] | None  # the first and last local day of its sends
    best: Slot | None  # None: not enough data
    rate: float | None  # the best slot's posterior mean
    interval: tuple[float, float] | None
    current: Slot | None  # the slot the workspace's touches use today, if any
    current_rate: float | None
    gain: float | None  # rate - current_rate
    probability_better: float | None  # posterior P(best's rate > current's)
    enough_data: bool
    sends_needed: int | None  # without enough data: about how many more sends would tell
    cells: tuple[Cell, ...] = ()  # the heat map, 7 × 24 cells, Monday 0:00 first

    def to_dict(self) -> dict[str, Any]:
        """The fields the issue names, then the others (cells left to the caller)."""
        return {
            "persona": self.persona,
            "channel": self.channel,
            "metric": self.metric,
            "sends": self.sends,
            "best": self.best.to_dict() if self.best is not None else None,
            "rate": self.rate,
            "interval": list(self.interval) if self.interval is not None else None,
            "current": self.current.to_dict() if self.current is not None else None,
            "gain": self.gain,
            "probability_better": self.probability_better,
            "enough_data": self.enough_data,
            "engaged": self.engaged,
            "period": [d.isoformat() for d in self.period] if self.period else None,
            "current_rate": self.current_rate,
            "sends_needed": self.sends_needed,
        }


@dataclass(frozen=True)
class TimingResult:
    """Every persona and channel of an export, sorted by persona then channel."""

    send_times: tuple[SendTime, ...]
    rows: int  # the export's rows read

    def to_dict(self) -> dict[str, Any]:
        return {"send_times": [s.to_dict() for s in self.send_times], "rows": self.rows}
