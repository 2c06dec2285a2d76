"""Engagement exports generated with known best local slots (a fixed seed): the sends at
random times over a period that crosses the clock changes of Europe (28 March 2027) and of
the United States (14 March 2027), each opened with a higher chance at its persona's best
local weekday and hour."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np

FIRST = datetime(2027, 2, 22, tzinfo=UTC)
DAYS = 70  # to 2 May 2027: both clock changes inside


@dataclass(frozen=True)
class Persona:
    id: str
    zone: str
    sends: int
    best: tuple[int | None, int]  # local (weekday or None: every day, hour)
    rate: float = 0.08
    best_rate: float = 0.6
    channel: str = "email"


def events(personas: Sequence[Persona], seed: int = 30) -> list[dict[str, str]]:
    """One row per message sent: sent at a random hour from 7:00 to 21:59 local (as senders
    send), opened at the persona's chance of that local slot, clicked by a third of opens."""
    random = np.random.default_rng(seed)
    rows = []
    for p in personas:
        zone = ZoneInfo(p.zone)
        days = random.integers(0, DAYS, p.sends)
        hours = random.integers(7, 22, p.sends)
        minutes = random.integers(0, 60, p.sends)
        draws = random.random((p.sends, 2))
        for day, hour, minute, (opens, clicks) in zip(days, hours, minutes, draws, strict=True):
            at = (FIRST + timedelta(days=int(day))).astimezone(zone)
            local = datetime(at.year, at.month, at.day, int(hour), int(minute), tzinfo=zone)
            weekday, best_hour = p.best
            hit = local.hour == best_hour and weekday in (None, local.weekday())
            opened = opens < (p.best_rate if hit else p.rate)
            sent = local.astimezone(UTC)
            rows.append({
                "persona": p.id,
                "channel": p.channel,
                "sent_at": sent.isoformat().replace("+00:00", "Z"),
                "opened_at": (local + timedelta(minutes=20)).isoformat() if opened else "",
                "clicked_at": (local + timedelta(minutes=21)).isoformat()
                if opened and clicks < 1 / 3 else "",
            })  # fmt: skip
    return rows


def write_csv(
    rows: Sequence[dict[str, str]], path: Path, header: Sequence[str] | None = None
) -> Path:
    """The rows as a CSV file, under ``header`` (the columns' names) when given."""
    names = list(rows[0])
    with path.open("w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(header or names)
        writer.writerows([row[n] for n in names] for row in rows)
    return path
