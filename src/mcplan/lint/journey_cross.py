"""How the pressure family reports a journey with `on_cap: send` whose sends break a cap
together with the campaigns' touches or another journey's sends (P107).

The clashes are `schedule.journey_cross`'s; the entrants each concerns are the forecast's
sends of the step a week (`plan.journey`), split between the ways to it, and counted for the
entry moments whose send breaks the cap (an entry moment carries 1/168 of a week's). With
a campaign, every clash is reported (it is dated: the days its sends break the cap on are
named); with another journey, whose sends are not dated, a clash of at least
:data:`JOURNEY_FLOOR` entrants a week.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping
from datetime import date

from mcplan.findings import Finding, Related, Rule, Subject
from mcplan.lint.context import LintContext
from mcplan.numbers import number, percent, plural, quantity
from mcplan.plan.journey.forecast import JourneyForecast, forecast_journeys
from mcplan.plan.journey.held_journeys import JourneyClash, RateTable, journey_clashes
from mcplan.schedule.caps import WINDOWS
from mcplan.schedule.journey_cross import Clash, campaign_clashes
from mcplan.schedule.journey_times import HOURS_A_WEEK, ways_to, weights
from mcplan.schedule.journeys import KnownCaps, Paths, Sent
from mcplan.workspace import Pressure, Workspace
from mcplan.workspace.journey import Journey
from mcplan.workspace.sourcemap import KeyPath

JOURNEY_FLOOR = 1.0  # entrants a week: a clash with another journey's sends worth reporting
DAYS_SHOWN = 4

# The persona's or the channel's caps: (who, " on <channel>" or "", where the cap is written,
# the caps), for a persona, a channel (None: the persona's own) and a cap's key.
Caps = Callable[[str, str | None, str], tuple[str, str, list[Related], Pressure | None]]


def findings(
    ctx: LintContext, rule: Rule, caps: Caps, known: KnownCaps, sending: Mapping[str, Paths]
) -> Iterator[Finding]:
    """P107 for the journeys with `on_cap: send` of the workspace: ``sending``, their paths
    with their shares (`journeys.paths(journey, shares=True)`)."""
    workspace = ctx.workspace
    if not sending:
        return
    forecasts = {f.journey: f for f in forecast_journeys(workspace, priced=False)}  # sends only
    table = RateTable(workspace, list(forecasts.values()))
    for journey_id, ways in sending.items():
        journey = workspace.journeys[journey_id]
        report = _Report(workspace, journey, ways, forecasts[journey.id], rule, caps)
        yield from report.campaigns(
            campaign_clashes(workspace, journey, ways, ctx.contacts, known, hold=False)
        )
        for other in journey_clashes(
            table, journey.id, report.by_step, report.steps, JOURNEY_FLOOR
        ):
            yield report.journey(other)


class _Report:
    def __init__(
        self,
        workspace: Workspace,
        journey: Journey,
        ways: Paths,
        forecast: JourneyForecast,
        rule: Rule,
        caps: Caps,
    ) -> None:
        self.workspace = workspace
        self.journey_id = journey.id
        self.source = workspace.source("journeys", journey.id)
        self.by_step = ways_to(ways)
        self.steps = {s.step: s for s in forecast.steps}
        self._weekly: dict[str, dict[str, float]] = {}
        self.rule = rule
        self.caps = caps

    def weekly(self, step: str, persona: str) -> float:
        """The step's sends a week to ``persona``: read for the steps a finding is about,
        not for every step of every journey checked."""
        if step not in self._weekly:
            found = self.steps.get(step)
            self._weekly[step] = found.sends_per_week if found is not None else {}
        return self._weekly[step].get(persona, 0.0)

    def part(self, sent: Sent, persona: str) -> tuple[float, float]:
        """The step's sends a week to ``persona``, and the part of them on ``sent``'s way."""
        weekly = self.weekly(sent.step.id, persona)
        share = {id(s): w for s, w in weights(self.by_step[sent.where], persona)}
        return weekly, share.get(id(sent), 0.0)

    def campaigns(self, clashes: list[Clash]) -> Iterator[Finding]:
        """One finding per send step, persona and campaign: the cap most of its entrants
        break, the touch nearest to most of them, every day any of them break one on."""
        grouped: dict[tuple[KeyPath, str, str], list[tuple[Clash, float]]] = defaultdict(list)
        for clash in clashes:
            for persona in clash.personas:
                weekly, share = self.part(clash.sent, persona)
                entrants = weekly * share * clash.moments / HOURS_A_WEEK
                if entrants > 0:
                    key = (clash.sent.where, persona, clash.contact.campaign)
                    grouped[key].append((clash, entrants))
        for (_, persona, campaign), found in grouped.items():
            yield self.campaign(persona, campaign, found)

    def campaign(self, persona: str, campaign: str, found: list[tuple[Clash, float]]) -> Finding:
        main = max(found, key=lambda f: f[1])[0]
        sent, contact = main.sent, main.contact
        days = set().union(*(c.days for c, _ in found))
        weeks = max(1, -(-((max(days) - min(days)).days + 1) // 7))
        entrants = sum(e for _, e in found) / weeks
        weekly = self.weekly(sent.step.id, persona)
        named, on, written, pressure = self.caps(persona, main.channel, main.key)
        message = (
            f"{sent.step.send} '{sent.step.id}' with {contact.describe()} takes {named} "
            f"over {_cap(main.key, pressure)}{on} on {_days(days)}: about "
            f"{quantity(entrants)} of the {quantity(weekly)} entrants a week it sends to"
        )
        touches = {id(c.contact): c.contact for c, _ in found if c.contact is not contact}
        related = [Related(contact.where, f"{contact.describe()}: collides")]
        related += [Related(c.where, f"{c.describe()}: collides too") for c in touches.values()]
        return self.finding(sent, persona, message, [*related, *written], pressure, campaign)

    def journey(self, clash: JourneyClash) -> Finding:
        sent, entrants = clash.sent, clash.entrants
        weekly = self.weekly(sent.step.id, clash.persona)
        named, on, written, pressure = self.caps(clash.persona, clash.channel, clash.key)
        span = plural(clash.held_hours * 2, "hour")
        message = (
            f"{sent.step.send} '{sent.step.id}' and the sends of journey '{clash.other}' take "
            f"{named} over {_cap(clash.key, pressure)}{on}: a member gets one of them in the "
            f"{span} before with a chance of {percent(clash.chance, 1)}, about "
            f"{quantity(entrants)} of the {quantity(weekly)} entrants a week it sends to"
        )
        other = self.workspace.source("journeys", clash.other)
        related = [Related(other.locate(_first_send(self.workspace, clash)), f"journey "
                           f"'{clash.other}': collides")]  # fmt: skip
        return self.finding(sent, clash.persona, message, [*related, *written], pressure, None)

    def finding(
        self,
        sent: Sent,
        persona: str,
        message: str,
        related: list[Related],
        pressure: Pressure | None,
        campaign: str | None,
    ) -> Finding:
        why = pressure.why if pressure is not None else ""
        hint = f"{why}; {self.rule.hint}" if why else self.rule.hint
        return self.rule(
            self.source.locate((*sent.where, "send")),
            message,
            hint=hint,
            related=related,
            subject=Subject(
                journey=self.journey_id, channel=sent.step.send, persona=persona, campaign=campaign
            ),
        )


def _first_send(workspace: Workspace, clash: JourneyClash) -> KeyPath:
    """Where the other journey's first send on the cap's channel (any, for the persona's) is."""
    other = workspace.journeys[clash.other]
    for where, send in other.sends():
        if clash.channel is None or send.send == clash.channel:
            return (*where, "send")
    return ()


def _cap(key: str, pressure: Pressure | None) -> str:
    """``its cap of 3 in 7 days``, ``its gap of 24 hours``."""
    value = getattr(pressure, key, None) if pressure is not None else None
    if key == "min_gap_hours":
        return f"its gap of {plural(value or 0, 'hour')}"
    words = next(w for k, _, w in WINDOWS if k == key)
    return f"its cap of {number(value or 0)} in {words}"


def _days(days: set[date]) -> str:
    """``2028-12-01, 2028-12-02``; past :data:`DAYS_SHOWN`, how many more."""
    shown = sorted(days)
    text = ", ".join(d.isoformat() for d in shown[:DAYS_SHOWN])
    more = len(shown) - DAYS_SHOWN
    return f"{text} and {plural(more, 'more day')}" if more > 0 else text
