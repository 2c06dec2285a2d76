"""What a change does to people: two states of a workspace compared, campaign by campaign,
persona by persona, finding by finding.

- Per campaign: the touches added, removed and moved (a touch of the same channel and
  personas at another time), the channels and the budget, and the forecast before and after
  (contacts reached, conversions, cost, revenue, objective attainment).
- Per persona: the most contacts in any 7 and any 30 calendar days, across every campaign
  and outbound channel, before and after, against the persona's caps: a change to one file
  may over-contact a persona through another campaign.
- Per journey (`journeys`): its steps added, removed, moved and changed, its weekly sends
  and cost before and after, and its findings added and fixed.
- Findings: those the change adds and those it fixes, matched as a lint baseline matches
  them (rule, file and the content of the line, not its number), so that moving lines does
  not count as a change.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from mcplan.diff import git
from mcplan.diff.journeys import JourneyChange, journey_changes
from mcplan.errors import UsageError
from mcplan.findings import Finding, Level, Location
from mcplan.lint import baseline
from mcplan.lint.engine import lint
from mcplan.plan import plan
from mcplan.plan.result import CampaignPlan
from mcplan.printable import printable
from mcplan.schedule.caps import busiest
from mcplan.schedule.contacts import expand, outbound
from mcplan.words import Phrase
from mcplan.workspace import Campaign, Touch, Workspace, load_workspace


@dataclass(frozen=True)
class TouchChange:
    """A touch added, removed, or moved to another time."""

    kind: str  # "added", "removed" or "moved"
    channel: str
    personas: tuple[str, ...] | None  # None: every persona of the campaign
    before: datetime | None
    after: datetime | None
    where: Location  # in the new file (in the old one for a touch removed)


@dataclass(frozen=True)
class Forecast:
    """A campaign's forecast, as the plan gives it."""

    contacts: float  # reached
    conversions: float
    cost: float
    revenue: float | None  # conversions × average_order_value, when the campaign gives one
    attainment: tuple[tuple[str, float | None], ...]  # (objective kind, share of its target)
    channels: tuple[str, ...]  # chosen


@dataclass(frozen=True)
class CampaignChange:
    """One campaign that the change adds, removes or alters."""

    campaign: str
    status: str  # "added", "removed" or "changed"
    touches: tuple[TouchChange, ...]
    budget: tuple[float | None, float | None]
    before: Forecast | None
    after: Forecast | None


@dataclass(frozen=True)
class PressureChange:
    """A persona whose busiest week or month the change alters."""

    persona: str
    week: tuple[int, int]  # the most contacts in any 7 calendar days: before, after
    month: tuple[int, int]  # in any 30 calendar days
    caps: tuple[int | None, int | None]  # max_per_week, max_per_30_days (after)

    @property
    def over(self) -> bool:
        """Whether the change takes the persona over a cap it kept before."""
        return any(
            cap is not None and after > cap >= before
            for (before, after), cap in zip((self.week, self.month), self.caps, strict=True)
        )


@dataclass
class Change:
    """Everything a change does, from ``base`` to ``head``."""

    base: str
    head: str
    new_workspace: bool = False  # there was no workspace at the base: everything is added
    campaigns: list[CampaignChange] = field(default_factory=list)
    journeys: list[JourneyChange] = field(default_factory=list)
    personas: list[PressureChange] = field(default_factory=list)
    new: list[Finding] = field(default_factory=list)
    fixed: list[Finding] = field(default_factory=list)

    def exit_code(self, fail_level: Level | None) -> int:
        """1 when the change adds a finding at or above ``fail_level``, else 0."""
        if fail_level is None:
            return 0
        return int(any(f.level >= fail_level for f in self.new))


def between(workspace: Workspace, base: str, head: str | None) -> Change:
    """What the change from the revision ``base`` to ``head`` (None: the working tree, that is
    ``workspace``) does, each revision read through git from the repository that holds the
    workspace (:mod:`mcplan.diff.git`)."""
    base_revision = git.revision(workspace.root, base)
    head_revision = git.revision(workspace.root, head) if head is not None else None
    with git.checked_out(base_revision) as before:
        old = load_workspace(before, discover=False, prefix=workspace.prefix) if before else None
        if head is None or head_revision is None:
            return compare(old, workspace, base, Phrase("diff_working_tree"))
        with git.checked_out(head_revision) as after:
            if after is None:
                raise UsageError(f"there is no workspace at {workspace.root} in {printable(head)}")
            new = load_workspace(after, discover=False, prefix=workspace.prefix)
            return compare(old, new, base, head)


def compare(base: Workspace | None, head: Workspace, base_name: str, head_name: str) -> Change:
    """What changes from ``base`` (None: no workspace yet, everything is added) to ``head``.

    Both workspaces must stay readable while this runs: findings are matched by the content
    of their lines, read from each workspace's files.
    """
    change = Change(base_name, head_name, new_workspace=base is None)
    before = {p.campaign.id: p for p in plan(base)} if base is not None else {}
    after = {p.campaign.id: p for p in plan(head)}
    old_campaigns = base.campaigns if base is not None else {}
    for campaign_id in sorted(set(old_campaigns) | set(head.campaigns)):
        found = _campaign(base, head, campaign_id, before.get(campaign_id), after.get(campaign_id))
        if found is not None:
            change.campaigns.append(found)
    change.personas = _pressure(base, head)
    change.new, change.fixed = _findings(base, head)
    change.journeys = journey_changes(base, head, change.new, change.fixed)
    return change


def _forecast(result: CampaignPlan | None) -> Forecast | None:
    if result is None:
        return None
    total, aov = result.total, result.campaign.average_order_value
    return Forecast(
        total.reached,
        total.conversions,
        total.cost,
        total.conversions * aov if aov is not None else None,
        tuple((o.kind, o.share) for o in result.objectives),
        tuple(sorted(result.chosen)),  # by id, as every table
    )


def _campaign(
    base: Workspace | None,
    head: Workspace,
    campaign_id: str,
    planned_before: CampaignPlan | None,
    planned_after: CampaignPlan | None,
) -> CampaignChange | None:
    old = base.campaigns.get(campaign_id) if base is not None else None
    new = head.campaigns.get(campaign_id)
    touches = _touches(base, head, old, new)
    budget = (old.budget if old else None, new.budget if new else None)
    before, after = _forecast(planned_before), _forecast(planned_after)
    if old is not None and new is not None:
        if not touches and budget[0] == budget[1] and before == after:
            return None
        status = "changed"
    else:
        status = "added" if new is not None else "removed"
    return CampaignChange(campaign_id, status, tuple(touches), budget, before, after)


Signature = tuple[str, tuple[str, ...] | None]


def _signature(touch: Touch) -> Signature:
    """What a touch is, whenever it goes out: its channel and its personas."""
    return touch.channel, tuple(touch.personas) if touch.personas else None


def _left(touches: list[tuple[int, Touch]], unchanged: Counter[object]) -> list[tuple[int, Touch]]:
    """The touches that are not among the ``unchanged`` ones (each excuses one)."""
    left, out = Counter(unchanged), []
    for i, touch in touches:
        key = (_signature(touch), touch.at)
        if left[key] > 0:
            left[key] -= 1
        else:
            out.append((i, touch))
    return out


def _touches(
    base: Workspace | None, head: Workspace, old: Campaign | None, new: Campaign | None
) -> list[TouchChange]:
    """Touches added, removed and moved: those written the same on both sides are unchanged;
    of the others, one of the same channel and personas on both sides has moved."""
    olds = list(enumerate(old.touches)) if old else []
    news = list(enumerate(new.touches)) if new else []
    unchanged: Counter[object] = Counter((_signature(t), t.at) for _, t in olds)
    unchanged &= Counter((_signature(t), t.at) for _, t in news)
    gone, came = _left(olds, unchanged), _left(news, unchanged)
    changes = []
    for i, touch in came:
        assert new is not None
        where = head.source("campaigns", new.id).locate(("touches", i))
        kind = _signature(touch)
        match = next((m for m in gone if _signature(m[1]) == kind), None)
        if match is not None:
            gone.remove(match)
        before = match[1].at if match is not None else None
        changes.append(
            TouchChange(
                "moved" if match else "added", touch.channel, kind[1], before, touch.at, where
            )
        )
    for i, touch in gone:
        assert base is not None
        assert old is not None
        where = base.source("campaigns", old.id).locate(("touches", i))
        kind = _signature(touch)
        changes.append(TouchChange("removed", touch.channel, kind[1], touch.at, None, where))
    return sorted(changes, key=lambda c: (c.after or c.before or datetime.min).replace(tzinfo=None))


def _pressure(base: Workspace | None, head: Workspace) -> list[PressureChange]:
    def peaks(workspace: Workspace | None) -> dict[str, tuple[int, int]]:
        if workspace is None:
            return {}
        counted = outbound(workspace)
        times: dict[str, list[datetime]] = {}
        for contact in expand(workspace):
            if contact.channel in counted:
                times.setdefault(contact.persona, []).append(contact.at)
        return {p: (busiest(t, 7), busiest(t, 30)) for p, t in times.items()}

    before, after = peaks(base), peaks(head)
    changes = []
    for persona_id in sorted(set(before) | set(after)):
        old, new = before.get(persona_id, (0, 0)), after.get(persona_id, (0, 0))
        if old == new:
            continue
        persona = head.personas.get(persona_id)
        pressure = persona.pressure if persona is not None else None
        caps = (pressure.max_per_week, pressure.max_per_30_days) if pressure else (None, None)
        changes.append(PressureChange(persona_id, (old[0], new[0]), (old[1], new[1]), caps))
    return changes


def _findings(base: Workspace | None, head: Workspace) -> tuple[list[Finding], list[Finding]]:
    """The findings ``head`` has and ``base`` had not, and the other way round."""
    now = lint(head)
    if base is None:
        return now.findings, []
    then = lint(base)
    old = Counter(f.identity(then.lines).key for f in then.findings)
    new, _ = baseline.apply(now.findings, old, now.lines)
    current = Counter(f.identity(now.lines).key for f in now.findings)
    fixed, _ = baseline.apply(then.findings, current, then.lines)
    return new, fixed
