"""What is wrong in and around a journey, once the files are read: its step ids (S314), the
conditions of its branches (S315, S316), how deep they nest (S317), the personas and channels
it names (S301, S305, S306) and the consent of those its sends reach (S318).

Each path through the journey is followed once, with what it knows at each step: the sends
before it (and whether a wait came since), and the personas still on it.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from mcplan import numbers
from mcplan.findings import Finding, Related, Subject
from mcplan.workspace.journey import Branch, Journey, Send, Wait, When
from mcplan.workspace.journey_rules import (
    BRANCH_SHARES,
    ENGAGEMENT_CONDITION,
    JOURNEY_CONSENT,
    JOURNEY_DEPTH,
    STEP_ID,
)
from mcplan.workspace.journey_steps import Condition, Step
from mcplan.workspace.loaded import Workspace
from mcplan.workspace.persona import Persona
from mcplan.workspace.resolving import (
    check_message_keys,
    does,
    persona_channels,
    personas_named,
    unknown,
)
from mcplan.workspace.sourcemap import KeyPath, SourceMap
from mcplan.workspace.structure import CHANNEL_NOT_USED_BY_PERSONA, NOT_IN_CAMPAIGN

MAX_NESTING = 5  # branches within branches a journey may have (S317)


@dataclass
class _Path:
    """What a path through the journey knows at a step."""

    sent: dict[str, bool]  # the id of each earlier send: whether a wait came since
    personas: frozenset[str]

    def copy(self, personas: frozenset[str] | None = None) -> _Path:
        return _Path(dict(self.sent), self.personas if personas is None else personas)


@dataclass
class _Unfit:
    """The personas of the workspace that a send on each channel cannot reach as it is:
    those that do not list it, and those that list it without its consent. Found once per
    channel for every journey (a send reaches up to every persona, a workspace has a few
    channels and many sends)."""

    workspace: Workspace
    by_channel: dict[str, tuple[frozenset[str], frozenset[str]]] = field(default_factory=dict)

    def on(self, channel: str) -> tuple[frozenset[str], frozenset[str]]:
        """(missing, lacking): the ids of the personas without the channel, and without its
        consent."""
        if channel not in self.by_channel:
            personas = self.workspace.personas.values()
            missing = frozenset(p.id for p in personas if channel not in p.channels)
            lacking = frozenset(
                p.id
                for p in personas
                if channel in p.channels and not self.workspace.consents(p, channel)
            )
            self.by_channel[channel] = (missing, lacking)
        return self.by_channel[channel]


@dataclass
class _Journey:
    workspace: Workspace
    journey: Journey
    source: SourceMap
    unfit: _Unfit
    ids: set[str] = field(default_factory=set)
    findings: list[Finding] = field(default_factory=list)

    @functools.cached_property
    def about(self) -> Subject:
        return Subject(journey=self.journey.id)

    @functools.cached_property
    def personas(self) -> frozenset[str]:
        """The ids of the journey's personas."""
        return frozenset(self.journey.personas)


def check_journeys(workspace: Workspace) -> Iterator[Finding]:
    """Every journey's findings."""
    unfit = _Unfit(workspace)
    for journey in workspace.journeys.values():
        source = workspace.source("journeys", journey.id)
        checking = _Journey(workspace, journey, source, unfit)
        yield from _check_ids(checking)
        yield from _check_personas(checking)
        start = _Path({}, checking.personas.intersection(workspace.personas))
        _follow(checking, journey.steps, ("steps",), start, 0)
        yield from checking.findings


def _check_ids(checking: _Journey) -> Iterator[Finding]:
    """Each step id once (S314)."""
    first: dict[str, KeyPath] = {}
    source = checking.source
    for path, step in checking.journey.walk():
        if step.id is None:
            continue
        checking.ids.add(step.id)
        if step.id in first:
            yield STEP_ID(
                source.locate((*path, "id")),
                f"{source.name((*path, 'id'))}: the step id '{step.id}' is used twice",
                related=[Related(source.locate((*first[step.id], "id")), "first used here")],
                subject=checking.about,
            )
        else:
            first[step.id] = path


def _check_personas(checking: _Journey) -> Iterator[Finding]:
    """The personas the journey names exist; those of `per_week` are the journey's."""
    workspace, journey, source = checking.workspace, checking.journey, checking.source
    yield from check_message_keys(source, journey.message, checking.about)
    for path, step in journey.walk():
        if isinstance(step, Send) and step.message is not None:
            yield from check_message_keys(source, step.message, checking.about, (*path, "message"))
    for i, persona_id in enumerate(journey.personas):
        if persona_id not in workspace.personas:  # else it exists: the common case, quickly
            yield from unknown(
                source, ("personas", i), "persona", persona_id, workspace, checking.about
            )
    per_week = journey.entry.per_week
    for _, persona_id in _odd(checking, per_week if isinstance(per_week, dict) else ()):
        yield from _named_persona(checking, ("entry", "per_week", persona_id), persona_id)
    for key in ("variants", "templates"):
        for channel_id in getattr(journey, key):
            path = (key, channel_id)
            yield from unknown(
                source, path, "channel", channel_id, workspace, checking.about, key=True
            )


def _odd(checking: _Journey, named: Iterable[str]) -> list[tuple[int, str]]:
    """Of the personas ``named`` beyond the journey's `personas`, those that may not be
    loaded personas of the journey (the others, by far the most, have nothing to check)."""
    fine = checking.personas
    loaded = checking.workspace.personas
    return [(i, p) for i, p in enumerate(named) if p not in fine or p not in loaded]


def _named_persona(checking: _Journey, path: KeyPath, persona_id: str) -> Iterator[Finding]:
    """A persona a journey names beyond its `personas`: it exists, and is one of them."""
    workspace, source = checking.workspace, checking.source
    key = path[-1] == persona_id
    if not workspace.exists("personas", persona_id):
        yield from unknown(source, path, "persona", persona_id, workspace, checking.about, key=key)
    elif persona_id not in checking.personas:
        yield NOT_IN_CAMPAIGN(
            source.locate(path, key=key),
            f"{source.name(path)}: persona '{persona_id}' is not one of the journey's personas",
            hint="add it to the journey's `personas`, or remove it here",
            related=[Related(source.locate(("personas",), key=True), "the journey's personas")],
            subject=checking.about,
        )


def _follow(checking: _Journey, steps: list[Step], at: KeyPath, path: _Path, depth: int) -> _Path:
    """Follow ``steps`` (at key path ``at``) from ``path``; what the path knows after them."""
    for i, step in enumerate(steps):
        where = (*at, i)
        if isinstance(step, Send):
            _check_send(checking, where, step, path)
            path.sent[step.id] = False
        elif isinstance(step, Wait):
            path.sent = dict.fromkeys(path.sent, True)
        elif isinstance(step, Branch):
            path = _branch(checking, where, step, path, depth + 1)
    return path


def _branch(checking: _Journey, at: KeyPath, branch: Branch, path: _Path, depth: int) -> _Path:
    """Check a branch's arms and follow each; after it, a send of any arm may be named, and
    a wait on any way through counts."""
    source = checking.source
    if depth > MAX_NESTING:
        checking.findings.append(
            JOURNEY_DEPTH(
                source.locate((*at, "branch"), key=True),
                f"{source.name((*at, 'branch'))}: branches nest {depth} deep, more than "
                f"{MAX_NESTING}",
                subject=checking.about,
            )
        )
        return path
    _check_shares(checking, at, branch)
    ends = []
    for i, arm in enumerate(branch.branch):
        personas = path.personas
        if isinstance(arm, When):
            _check_condition(checking, (*at, "branch", i, "when"), arm.when, path)
            if arm.when.personas is not None:
                personas = personas & frozenset(arm.when.personas)
        key = "steps" if isinstance(arm, When) else "otherwise"
        inner = arm.steps if isinstance(arm, When) else arm.otherwise
        ends.append(_follow(checking, inner, (*at, "branch", i, key), path.copy(personas), depth))
    if not any(not isinstance(arm, When) for arm in branch.branch):
        ends.append(path)  # whoever matches no arm goes on
    after = path.copy()
    for end in ends:
        for send, waited in end.sent.items():
            after.sent[send] = after.sent.get(send, False) or waited
    return after


def _check_condition(checking: _Journey, at: KeyPath, condition: Condition, path: _Path) -> None:
    """The sends a condition names are earlier on its path, with a wait since (S314, S315);
    the personas it names, the journey's."""
    source = checking.source
    for key, send in condition.engagement:
        where = (*at, key)
        problem = None
        if send not in checking.ids:
            rule, problem = STEP_ID, f"the journey has no step '{send}'"
        elif send not in path.sent:
            rule = ENGAGEMENT_CONDITION
            problem = f"'{send}' is not a send that comes before this branch on its path"
        elif not path.sent[send]:
            rule = ENGAGEMENT_CONDITION
            problem = (
                f"right after send '{send}', with no wait in between: the platform evaluates "
                "it at once, before anyone has opened or clicked"
            )
        if problem is not None:
            message = f"{source.name(where)}: {problem}"
            checking.findings.append(rule(source.locate(where), message, subject=checking.about))
    for j, persona_id in _odd(checking, condition.personas or []):
        checking.findings.extend(_named_persona(checking, (*at, "personas", j), persona_id))


def _check_shares(checking: _Journey, at: KeyPath, branch: Branch) -> None:
    """A branch is all `share` arms (and `otherwise`), adding up to at most 1 (S316)."""
    whens = [(i, arm.when) for i, arm in enumerate(branch.branch) if isinstance(arm, When)]
    shares = [(i, c) for i, c in whens if c.share is not None]
    if not shares:
        return
    source = checking.source
    total = 0.0
    for i, condition in whens:
        others = sorted(condition.model_fields_set - {"share"})
        where: KeyPath = (*at, "branch", i, "when")
        if condition.share is None or others:
            named = others[0] if condition.share is not None else next(iter(others), "when")
            message = f"{source.name(where)}: a random split mixed with `{named}`"
            checking.findings.append(
                BRANCH_SHARES(source.locate((*where, named), key=True), message,
                              subject=checking.about)
            )  # fmt: skip
            return
        total += condition.share
    if total > 1 + 1e-9:
        i = shares[-1][0]
        where = (*at, "branch", i, "when", "share")
        message = f"{source.name(where)}: the shares add up to {numbers.number(total)}, more than 1"
        checking.findings.append(
            BRANCH_SHARES(source.locate(where), message, subject=checking.about)
        )


def _check_send(checking: _Journey, at: KeyPath, send: Send, path: _Path) -> None:
    """The channel exists, and each persona on the path lists it, with its consent."""
    workspace, source = checking.workspace, checking.source
    where = (*at, "send")
    about = Subject(journey=checking.journey.id, channel=send.send)
    if not workspace.exists("channel_rules", send.send):
        checking.findings.extend(unknown(source, where, "channel", send.send, workspace, about))
        return
    if send.send not in workspace.channels:
        return  # its file failed to load: its own findings say why
    missing_ids, lacking_ids = checking.unfit.on(send.send)
    missing = _reached(checking, path, missing_ids)
    if missing:
        ids = [p.id for p in missing]
        checking.findings.append(
            CHANNEL_NOT_USED_BY_PERSONA(
                source.locate(where),
                f"{source.name(where)}: {personas_named(ids)} {does(ids)} not list channel "
                f"'{send.send}'",
                related=[persona_channels(workspace, p) for p in missing],
                subject=about,
            )
        )
    lacking = _reached(checking, path, lacking_ids)
    if lacking:
        needed = ", ".join(
            f"'{p.id}' ({p.market.value}{_in(workspace, p, send.send)}) has "
            f"{p.channels[send.send].consent.value}, needs "
            f"{workspace.consent_needed(p, send.send).value}"
            for p in lacking
        )
        checking.findings.append(
            JOURNEY_CONSENT(
                source.locate(where),
                f"{source.name(where)}: {send.send} without the consent it needs: {needed}",
                related=[persona_channels(workspace, p) for p in lacking],
                subject=about,
            )
        )


def _reached(checking: _Journey, path: _Path, among: frozenset[str]) -> list[Persona]:
    """The personas of ``among`` on ``path``, in the order the journey names them."""
    if among.isdisjoint(path.personas):
        return []
    workspace = checking.workspace
    return [
        workspace.personas[p]
        for p in checking.journey.personas
        if p in path.personas and p in among
    ]


def _in(workspace: Workspace, persona: Persona, channel: str) -> str:
    """`` in Germany``: the country whose law applies, if mcplan knows it (as campaigns say)."""
    country = workspace.law(channel, persona).country
    return f" in {country.law.name}" if country else ""
