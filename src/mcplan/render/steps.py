"""A journey's send steps as the campaigns they render like: one code path for both.

A send step renders as a campaign of its own: the journey's core message with the step's
`message` keys over it, the journey's translations, templates and tests, its hand-written
`variants` with the step's `variant` over the one of its channel, and one channel, the step's.
What tells it from a campaign is where its texts are written (the journey's file, the step's
line) and what a finding about it is about (the journey and the step): the hooks
:class:`Campaign` gives for it. The journey's own copy (no step) stands for its core message.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import ClassVar

from mcplan.errors import UsageError
from mcplan.findings import Location, Subject
from mcplan.render import languages
from mcplan.render.asked import asked
from mcplan.render.engine import Job, Rendering, Run, Version, render_campaign
from mcplan.suggest import did_you_mean
from mcplan.workspace import Campaign, Channel, Workspace
from mcplan.workspace.fields import Parts
from mcplan.workspace.journey import Journey, Send
from mcplan.workspace.outreach import Outreach
from mcplan.workspace.sourcemap import KeyPath


class JourneyCopy(Campaign):
    """A journey (its core message), or one of its send steps, as a campaign."""

    FOLDER: ClassVar[str] = "journeys"
    send: Send | None = None
    send_path: KeyPath = ()  # where the step is written

    @property
    def step(self) -> str | None:
        return self.send.id if self.send is not None else None

    def subject(self, **ids: str | None) -> Subject:
        return Subject(journey=self.id, step=self.step, **ids)

    def channel_path(self, channel: str) -> KeyPath:
        """The step's `send` key, or the core message for the journey's own copy."""
        return (*self.send_path, "send") if self.send is not None else ("message",)

    def message_path(self, key: str) -> KeyPath:
        """The step's own `message` key when it writes ``key``, else the core message's."""
        written = self.send.message if self.send is not None else None
        if written is not None and key in written.model_dump(exclude_none=True):
            return (*self.send_path, "message", key)
        return ("message", key)

    def own(self, kind: str, channel: str, locale: str) -> tuple[Parts | None, KeyPath]:
        """As a campaign's; the step's `variant` is its hand-written text in the core's
        language."""
        text, path = super().own(kind, channel, locale)
        stepped = self.send is not None and self.send.variant is not None
        if stepped and kind == "variants" and path == (kind, channel):
            return text, (*self.send_path, "variant")
        return text, path


def journey_copy(
    journey: Journey, send: Send | None = None, path: KeyPath = (), core: JourneyCopy | None = None
) -> JourneyCopy:
    """``journey`` as a campaign: its core message, or the send step ``send`` (at ``path``)
    with its message keys and its variant over the journey's. ``core``: the journey's own
    copy, when made already, that the step's is copied from (a copy of a model is made in a
    few microseconds; a new one asks pydantic for each default, a millisecond)."""
    core = core or _core(journey)
    if send is None:
        return core
    message = journey.message
    variants = dict(journey.variants)
    if send.message is not None:
        message = message.model_copy(update=send.message.model_dump(exclude_none=True))
    if send.variant is not None:
        variants[send.send] = send.variant
    update = {"message": message, "channels": [send.send], "variants": variants}
    return core.model_copy(update={**update, "send": send, "send_path": path})


def _core(journey: Journey) -> JourneyCopy:
    """The journey's own copy: its core message, for its personas, on no channel. What a
    journey shares with a campaign is `Outreach`'s fields, taken as they are."""
    shared = {name: getattr(journey, name) for name in Outreach.model_fields}
    return JourneyCopy.model_construct(
        **{**shared, "variants": dict(journey.variants)}, channels=None, send=None, send_path=()
    )


def render_journey(
    workspace: Workspace,
    journey_id: str,
    channels: Sequence[str] | None = None,
    personas: Sequence[str] | None = None,
) -> Rendering:
    """Render each send step of ``journey_id`` (those on ``channels``, default: all) as a
    version per channel and language, as a campaign's (see `render_campaign`): each version
    knows its `step`, and its texts' places are the step's.

    Raises :class:`UsageError` for an unknown journey, channel or persona.
    """
    journey: Journey = asked(workspace, "journey", journey_id, channels, personas)
    run, steps, core = _render_sends(workspace, journey, channels, personas)
    for finding in languages.check(workspace, core):
        run.note(finding)
    source = workspace.source("journeys", journey.id)
    at = {send.id: source.locate(path) for path, send in journey.sends()}
    run.versions[:] = [replace(v, step_location=at[v.step or ""]) for v in run.versions]
    return replace(run.rendering(core), journey=journey, steps=steps)


def step_versions(
    workspace: Workspace, journey: Journey, channels: Sequence[str]
) -> tuple[list[Version], dict[str, Campaign]]:
    """The versions of ``journey``'s send steps on ``channels``, and each step as the campaign
    it renders as: `render_journey`'s without what only a reader needs (the findings about the
    journey's languages, each step's line). The forecast prices its SMS steps so."""
    run, steps, _ = _render_sends(workspace, journey, channels, None)
    return run.versions, steps


def _render_sends(
    workspace: Workspace,
    journey: Journey,
    channels: Sequence[str] | None,
    personas: Sequence[str] | None,
) -> tuple[_Steps, dict[str, Campaign], JourneyCopy]:
    """Each send step on ``channels`` (default: all) rendered: the run, the steps as
    campaigns, and the journey's own copy."""
    run = _Steps(workspace, personas)
    steps: dict[str, Campaign] = {}
    core = journey_copy(journey)
    for path, send in journey.sends():
        if send.send not in workspace.channels or (channels and send.send not in channels):
            continue  # validate reports an unknown channel
        steps[send.id] = journey_copy(journey, send, path, core)
        run.render_channel(steps[send.id], workspace.channels[send.send])
    return run, steps, core


@dataclass
class _Steps(Run):
    """The rendering of a journey's steps, which share its personas, translations, templates
    and tests: who reads a channel is found once for all its steps on it, and a step that
    renders the same message as an earlier one on its channel (no variant of its own) takes
    its texts, placed at its own line."""

    _copies: dict[str, languages.Copies] = field(default_factory=dict)
    _done: dict[tuple[object, ...], tuple[Version, Location]] = field(default_factory=dict)

    def copies(self, campaign: Campaign, channel: Channel) -> languages.Copies:
        if channel.id not in self._copies:
            self._copies[channel.id] = super().copies(campaign, channel)
        return self._copies[channel.id]

    def render(self, campaign: Campaign, job: Job) -> Version:
        at = self.workspace.source(campaign.FOLDER, campaign.id).locate(
            campaign.channel_path(job.channel.id)
        )
        own = campaign.own("variants", job.channel.id, job.locale)
        # Who a job is for: its persona, or (the copies being the channel's, the same for
        # each step) every reader of its language on the channel, named by the language.
        reader = job.persona.id if job.persona is not None else None
        key = (job.channel.id, job.locale, job.arm, reader, campaign.message.model_dump_json(),
               repr(own))  # fmt: skip
        if key not in self._done:
            self._done[key] = (super().render(campaign, job), at)
            return self._done[key][0]
        done, then = self._done[key]

        def placed(where: Location) -> Location:
            return at if where == then else where

        parts = tuple(replace(p, where=placed(p.where)) for p in done.parts)
        return replace(done, parts=parts, fallback=placed(done.fallback), step=campaign.step)


def render_any(
    workspace: Workspace,
    id_: str,
    channels: Sequence[str] | None = None,
    personas: Sequence[str] | None = None,
) -> Rendering:
    """Render the campaign or the journey ``id_``: `render_campaign` or `render_journey`.

    Raises :class:`UsageError` when it is neither (with the nearest id of either kind), or
    both: which one is meant cannot be told, so neither is rendered.
    """
    campaign = id_ in workspace.campaigns or workspace.exists("campaigns", id_)
    journey = id_ in workspace.journeys or workspace.exists("journeys", id_)
    if campaign and journey:
        raise UsageError(f"'{id_}' is both a campaign and a journey: give one of them another id")
    if journey:
        return render_journey(workspace, id_, channels, personas)
    if not campaign:
        known = [*workspace.campaigns, *workspace.journeys]
        raise UsageError(f"unknown campaign or journey '{id_}'{did_you_mean(id_, known)}")
    return render_campaign(workspace, id_, channels=channels, personas=personas)


__all__ = [
    "JourneyCopy",
    "journey_copy",
    "render_any",
    "render_journey",
    "step_versions",
]
