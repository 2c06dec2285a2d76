"""The workspace's personas as arrays, read once for every campaign a plan covers.

Row i is the persona `ids[i]` (sorted). What a campaign does not change is here: each
persona's size, its contact pressure caps, and its link with each channel (reach, affinity,
stage fit, whether its consent suffices under its country's rules, and its kind: the
personas the channel may reach on the same days and hours).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import time

import numpy as np

from mcplan.schedule.caps import WINDOWS
from mcplan.words import Phrase
from mcplan.workspace import Channel, Persona, Pressure, Workspace

NO_CAP = np.iinfo(np.int32).max  # a cap that is not set


def caps_of(pressure: Pressure | None) -> list[int]:
    """The caps of `WINDOWS`, in order, NO_CAP where there is none."""
    return [
        NO_CAP if pressure is None or getattr(pressure, key) is None else getattr(pressure, key)
        for key, _, _ in WINDOWS
    ]


def gap_of(pressure: Pressure | None) -> float:
    """The minimum gap in hours, NaN where there is none."""
    return np.nan if pressure is None or pressure.min_gap_hours is None else pressure.min_gap_hours


@dataclass(frozen=True)
class Links:
    """Every persona's link with one channel, as arrays over the `Audience`'s rows."""

    uses: np.ndarray  # bool: the persona uses the channel
    reach: np.ndarray
    affinity: np.ndarray
    stage_fit: np.ndarray
    refused: np.ndarray  # bool: its consent does not suffice
    why: dict[int, Phrase]  # row → why its consent does not suffice
    # Personas of one kind share the channel's rules (their country's), public holidays,
    # time zone and language: the same days and hours to reach them. Per row, its kind.
    kind: np.ndarray
    kinds: list[tuple[Channel, Persona]]  # per kind: its rules, and one of its personas


@dataclass(frozen=True)
class Audience:
    """The workspace's personas as arrays (row i is `ids[i]`), read once for every campaign."""

    ids: tuple[str, ...]
    row: dict[str, int]
    personas: tuple[Persona, ...]
    size: np.ndarray
    caps: np.ndarray  # personas × WINDOWS: each persona's caps (NO_CAP: none)
    gaps: np.ndarray  # each persona's minimum gap in hours (NaN: none)
    links: dict[str, Links]  # by channel id, for the workspace's channels
    unknown: dict[str, np.ndarray]  # channels personas use that the workspace lacks → uses
    # (id of a kind's channel rules, persona) → the time of day and weekday a proposed touch
    # aims at (`plan.aims`), filled as they are first asked: the same for every campaign.
    aims: dict[tuple[int, str], tuple[time, int | None]] = field(default_factory=dict)

    @classmethod
    def of(cls, workspace: Workspace) -> Audience:
        ids = tuple(sorted(workspace.personas))
        personas = tuple(workspace.personas[p] for p in ids)
        n = len(ids)
        used: dict[str, list[int]] = defaultdict(list)
        for row, persona in enumerate(personas):
            for channel_id in persona.channels:
                used[channel_id].append(row)
        links: dict[str, Links] = {}
        unknown: dict[str, np.ndarray] = {}
        for channel_id, rows in used.items():
            uses = np.zeros(n, bool)
            uses[rows] = True
            if channel_id not in workspace.channels:
                unknown[channel_id] = uses
                continue
            fit = workspace.channels[channel_id].fit.stages
            reach, affinity, stage_fit = np.zeros(n), np.zeros(n), np.zeros(n)
            refused, why = np.zeros(n, bool), dict[int, Phrase]()
            kind = np.full(n, -1)
            kinds: list[tuple[Channel, Persona]] = []
            codes: dict[tuple[int, str | None, str, str], int] = {}
            for row in rows:
                persona = personas[row]
                link = persona.channels[channel_id]
                reach[row], affinity[row] = link.reach, link.affinity
                stage_fit[row] = fit.get(persona.stage, 0.0)
                own = workspace.law(channel_id, persona).channel  # with its country's law
                needed = getattr(own.consent, persona.market.value)
                if not link.consent.satisfies(needed):
                    refused[row] = True
                    why[row] = Phrase(
                        "consent_lacking",
                        market=persona.market.value,
                        needed=needed.value,
                        has=link.consent.value,
                    )
                language = (persona.locale or "").split("-")[0]
                key = (id(own), persona.country, persona.timezone or "UTC", language)
                if key not in codes:
                    codes[key] = len(kinds)
                    kinds.append((own, persona))
                kind[row] = codes[key]
            links[channel_id] = Links(uses, reach, affinity, stage_fit, refused, why, kind, kinds)
        size = np.array([float(p.size) for p in personas])
        caps = np.array([caps_of(p.pressure) for p in personas], np.int64).reshape(n, len(WINDOWS))
        gaps = np.array([gap_of(p.pressure) for p in personas], float)
        index = {p: i for i, p in enumerate(ids)}
        return cls(ids, index, personas, size, caps, gaps, links, unknown)
