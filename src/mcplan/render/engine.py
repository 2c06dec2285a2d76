"""Render one campaign's core message into a version per channel (and per persona if needed).

A journey's send steps render the same way, each as a campaign of its own (`steps`).

Which personas read a channel in which language, and the templates compiled for each, come
from `languages.copies`. A channel's template parts (see `templates`) are run with the
campaign's message; a hand-written `variants` text replaces the rendered part outright. A
version is rendered once for all the campaign's personas on that channel, or once per persona
when a template uses `persona` or when the personas do not share a locale. Each part is
measured and every limit of the channel checked (see `limits`), and each part knows where its
text is written, for the findings about it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from babel import Locale

from mcplan.findings import Finding, Location, Subject
from mcplan.render import languages, limits, links, measure
from mcplan.render.asked import asked
from mcplan.render.filters import RenderState, rendering
from mcplan.render.templates import (
    Template,
    TemplateProblem,
    parts,
    run,
)
from mcplan.workspace import BUNDLED_PREFIX, Campaign, Channel, Persona, Workspace
from mcplan.workspace.campaign import Message
from mcplan.workspace.journey import Journey


@dataclass(frozen=True)
class Part:
    """One named part of a version (an email's subject, an SMS's text…)."""

    name: str
    text: str
    measures: measure.Measures
    origin: str  # "template", "variant" (hand-written) or "arm" (of the channel's test)
    where: Location  # where to edit it: the variant, the template, or the campaign's channel


@dataclass(frozen=True)
class Version:
    """The text of one channel for one campaign, for every persona or for one."""

    campaign: str
    channel: str
    persona: str | None  # None: the same text for all the campaign's personas on the channel
    personas: tuple[str, ...]  # the personas this text is for
    locale: str
    link: str
    parts: tuple[Part, ...]
    checks: tuple[limits.Check, ...]
    gsm_changes: tuple[tuple[str, str, int], ...] = ()  # (from, to, times) by the gsm filter
    fallback: Location = field(default_factory=lambda: Location(""))  # when it has no part
    arm: str | None = None  # the arm of the channel's test this version is
    step: str | None = None  # the journey's send step it is (``campaign`` is the journey's id)
    step_location: Location | None = None  # where the journey writes that step

    @property
    def key(self) -> str:
        """``sms``, ``sms--marie-citadine``, ``email@b`` (arm b of the e-mail's test),
        ``hello--email`` (a journey's step 'hello'): unique within a rendering, safe as a file
        name."""
        key = self.channel if self.persona is None else f"{self.channel}--{self.persona}"
        key = key if self.step is None else f"{self.step}--{key}"
        return key if self.arm is None else f"{key}@{self.arm}"

    @property
    def label(self) -> str:
        """`sms`, `sms (marie-citadine)` for a version rendered for one persona, `email (arm
        b)` for an arm of a test; a journey's step before it: `hello (email)`, `hello (sms,
        marie-citadine)`."""
        who = [self.persona] if self.persona is not None else []
        who += [f"arm {self.arm}"] if self.arm is not None else []
        if self.step is not None:
            return f"{self.step} ({', '.join([self.channel, *who])})"
        return f"{self.channel} ({', '.join(who)})" if who else self.channel

    @property
    def main(self) -> str:
        """The name of the part that carries the message."""
        return measure.main_part([p.name for p in self.parts])

    def text(self, part: str) -> str:
        return next((p.text for p in self.parts if p.name == part), "")

    def where(self, part: str | None = None) -> Location:
        """Where to point for something wrong in ``part`` (default: the main part)."""
        name = part or self.main
        found = next((p for p in self.parts if p.name == name), None)
        found = found or next((p for p in self.parts if p.name == self.main), None)
        return found.where if found else self.fallback

    def subject(self, part: str | None = None) -> Subject:
        """What a finding about this version (and one of its parts) is about."""
        if self.step is not None:
            return Subject(
                None, self.channel, self.persona, part, self.locale, self.arm,
                journey=self.campaign, step=self.step,
            )  # fmt: skip
        return Subject(self.campaign, self.channel, self.persona, part, self.locale, self.arm)


@dataclass
class Rendering:
    """Every version of a campaign, or of a journey's send steps, and the template problems
    that stopped some of them."""

    campaign: Campaign  # a journey's: its core message (see `steps`)
    versions: list[Version] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    journey: Journey | None = None  # the journey rendered, if it is one
    steps: dict[str, Campaign] = field(default_factory=dict)  # each send step, as rendered

    def campaign_of(self, version: Version) -> Campaign:
        """What ``version`` was rendered from: the campaign, or its journey's step."""
        return self.steps.get(version.step, self.campaign) if version.step else self.campaign


def campaign_channels(workspace: Workspace, campaign: Campaign) -> list[str]:
    """The channels a campaign uses (see :meth:`Workspace.campaign_channels`)."""
    return workspace.campaign_channels(campaign)


def render_campaign(
    workspace: Workspace,
    campaign_id: str,
    *,
    channels: Sequence[str] | None = None,
    personas: Sequence[str] | None = None,
) -> Rendering:
    """Render ``campaign_id`` for ``channels`` (default: the campaign's) and its personas.

    ``personas`` limits the rendering to those personas and renders one version for each.
    Each persona reads the campaign in its language (see :meth:`Campaign.translation`); one
    without a copy in its language gets no version, and a finding.
    Raises :class:`UsageError` for an unknown campaign, channel or persona.
    """
    campaign, run = _rendered(workspace, campaign_id, channels, personas)
    for finding in languages.check(workspace, campaign):
        run.note(finding)
    return run.rendering(campaign)


def render_versions(
    workspace: Workspace, campaign_id: str, channels: Sequence[str] | None = None
) -> list[Version]:
    """The versions `render_campaign` renders, without the findings of the personas who get
    none (what a forecast that counts SMS segments needs: a campaign in French read by 1,000
    personas in German would make 1,000 findings nobody reads)."""
    return _rendered(workspace, campaign_id, channels, None)[1].versions


def _rendered(
    workspace: Workspace,
    campaign_id: str,
    channels: Sequence[str] | None,
    personas: Sequence[str] | None,
) -> tuple[Campaign, Run]:
    campaign = asked(workspace, "campaign", campaign_id, channels, personas)
    run = Run(workspace, personas)
    for channel_id in channels or campaign_channels(workspace, campaign):
        run.render_channel(campaign, workspace.channels[channel_id])
    return campaign, run


@dataclass
class Run:
    """One rendering of a campaign (or of a journey's steps, each a campaign): its versions
    so far, and its findings, each once."""

    workspace: Workspace
    personas: Sequence[str] | None  # asked for: one version each
    versions: list[Version] = field(default_factory=list)
    found: dict[tuple[str, Location, str], Finding] = field(default_factory=dict)

    def note(self, finding: Finding) -> None:
        self.found.setdefault(_key(finding), finding)

    def rendering(self, campaign: Campaign) -> Rendering:
        return Rendering(campaign, self.versions, sorted(self.found.values()))

    def copies(self, campaign: Campaign, channel: Channel) -> languages.Copies:
        """Who reads ``channel`` in which language, and the templates their versions are
        rendered from."""
        return languages.copies(self.workspace, campaign, channel, self.personas)

    def render(self, campaign: Campaign, job: Job) -> Version:
        """One version of ``campaign``."""
        return _render(self.workspace, campaign, job)

    def render_channel(self, campaign: Campaign, channel: Channel) -> None:
        """Every version of ``channel``, language by language."""
        copies = self.copies(campaign, channel)
        for finding in copies.findings:
            self.note(finding)
        for locale in copies.templates:
            self._render_language(campaign, copies, locale)

    def _render_language(self, campaign: Campaign, copies: languages.Copies, locale: str) -> None:
        """The versions for the readers of ``locale``: for all of them or each, a persona's
        arms side by side. Templates that do not read the persona give every persona the
        same text, rendered once. A template that fails stops the language's versions."""
        targets = copies.readers[locale]
        audiences = [[p] for p in targets] if copies.per_persona else [targets]
        options = copies.options(locale, campaign)
        same = {a: not any(t.uses_persona for t in c.values()) for a, c in options.items()}
        first: dict[str | None, Version] = {}
        try:
            for audience in audiences:
                for arm, chosen in options.items():
                    if same[arm] and arm in first:
                        one = audience[0].id
                        self.versions.append(replace(first[arm], persona=one, personas=(one,)))
                        continue
                    job = Job(copies.channel, chosen, audience, locale, copies.per_persona, arm)
                    first[arm] = self.render(campaign, job)
                    self.versions.append(first[arm])
        except TemplateProblem as problem:
            self.note(problem.finding)


def _key(finding: Finding) -> tuple[str, Location, str]:
    return finding.rule, finding.location, finding.message


def message_variables(message: Message) -> dict[str, Any]:
    """The message as templates read it (`m`): its fields and the campaign's own keys, and
    its `kind` as written or as its facts say (an offer, an event…)."""
    return {**message.model_dump(), **(message.model_extra or {}), "kind": message.nature.value}


@dataclass(frozen=True)
class Job:
    """One version to render: a channel's templates (one part maybe an arm's) for an
    audience, in one language."""

    channel: Channel
    templates: dict[str, Template]
    audience: list[Persona]
    locale: str
    per_persona: bool
    arm: str | None

    @property
    def persona(self) -> Persona | None:
        """The persona a version rendered for one is for."""
        return self.audience[0] if self.per_persona else None


@dataclass
class _Written:
    """A version's parts as written: each one's text, where it comes from ("template",
    "variant" or "arm") and where to edit it."""

    texts: dict[str, str]
    origin: dict[str, str]
    where: dict[str, Location]


def _render(workspace: Workspace, campaign: Campaign, job: Job) -> Version:
    """One version: its templates run, the campaign's hand-written variants over them, each
    part measured and every limit of the channel checked."""
    channel = job.channel
    message = campaign.message_in(job.locale)
    link = links.tag(
        message.url,
        source=channel.id,
        medium=channel.utm_medium or channel.id,
        campaign=campaign.id,
    )
    written, state = _run_templates(
        workspace, campaign, job, _context(workspace, campaign, job, message, link)
    )
    _hand_written(workspace, campaign, job, written)
    texts = written.texts
    main = measure.main_part(list(texts))
    measures = {name: measure.measure(text, channel, name, main) for name, text in texts.items()}
    fallback = workspace.source(campaign.FOLDER, campaign.id).locate(
        campaign.channel_path(channel.id)
    )
    return Version(
        campaign=campaign.id,
        channel=channel.id,
        persona=job.persona.id if job.persona else None,
        personas=tuple([p.id for p in job.audience]),  # a list is made faster
        locale=job.locale,
        link=link,
        parts=tuple(
            Part(n, texts[n], measures[n], written.origin[n], written.where[n]) for n in texts
        ),
        checks=tuple(limits.check(channel, texts, measures, _limit_places(workspace, channel))),
        gsm_changes=tuple((a, b, n) for (a, b), n in sorted(state.gsm_changes.items())),
        fallback=written.where.get(main, fallback),
        arm=job.arm,
        step=campaign.step,
    )


def _context(
    workspace: Workspace, campaign: Campaign, job: Job, message: Message, link: str
) -> dict[str, Any]:
    """What the version's templates see: the message, the campaign, the channel (named in
    the version's language), the link; an e-mail's unsubscribe link, and the persona of a
    version rendered for one."""
    context = {
        "m": message_variables(message),
        "campaign": {
            "id": campaign.id,
            "name": campaign.name,
            "description": campaign.description,
            "brand": campaign.brand,
            "starts": campaign.first_day,
            "ends": campaign.last_day,
        },
        "brand": campaign.brand,
        "channel": {"id": job.channel.id, "name": job.channel.title(job.locale)},
        "link": link,
    }
    if job.channel.kind == "email":
        context["unsubscribe"] = workspace.settings.email.unsubscribe_link
    if job.persona is not None:
        context["persona"] = job.persona.model_dump(mode="json", exclude={"channels", "pressure"})
    return context


def _run_templates(
    workspace: Workspace, campaign: Campaign, job: Job, context: dict[str, Any]
) -> tuple[_Written, RenderState]:
    """The parts the templates write in the version's language (with what the gsm filter
    changed), each pointing at its template."""
    channel = job.channel
    state = RenderState(
        locale=Locale.parse(job.locale, sep="-"),
        currency=workspace.settings.currency,
        gsm_safe=channel.limits.segments is not None,
    )
    with rendering(state):
        texts = {name: run(t, context).strip() for name, t in job.templates.items()}
    where = {
        name: _template_place(workspace, campaign, channel, t) for name, t in job.templates.items()
    }
    return _Written(texts, dict.fromkeys(texts, "template"), where), state


def _hand_written(workspace: Workspace, campaign: Campaign, job: Job, written: _Written) -> None:
    """The campaign's hand-written variants replace the parts they write, but for the part
    the channel's test is about in a version of one of its arms: the arm replaces that."""
    channel = job.channel
    hand_written, path = campaign.own("variants", channel.id, job.locale)
    test = campaign.test_on(channel.id) if job.arm is not None else None
    tested = test.part if test else None
    if hand_written is not None:
        source = workspace.source(campaign.FOLDER, campaign.id)
        main = measure.main_part(list(written.texts))
        for name, text, at in parts(hand_written, path, main):
            if name == tested:
                continue  # the arm replaces it
            written.texts[name], written.origin[name] = text.strip(), "variant"
            written.where[name] = source.locate(at, key=True)
    if tested is not None:
        written.origin[tested] = "arm"


def _limit_places(workspace: Workspace, channel: Channel) -> dict[str, Location]:
    """Where each of the channel's limits is written (in its file under channel_rules/)."""
    channel_source = workspace.source("channel_rules", channel.id)
    return {
        key: channel_source.locate(("limits", key)) for key in type(channel.limits).model_fields
    }


def _template_place(
    workspace: Workspace, campaign: Campaign, channel: Channel, template: Template
) -> Location:
    """Where to edit a template part: its key (`sms:`, `body: |`), where a comment can
    suppress a finding about the whole text. A bundled template cannot be edited, so its
    findings point at the campaign: its `channels` entry, its first touch on the channel, or
    its message."""
    where = template.source.locate(template.path, key=True)
    if not where.file.startswith(BUNDLED_PREFIX):
        return where
    return workspace.source(campaign.FOLDER, campaign.id).locate(campaign.channel_path(channel.id))
