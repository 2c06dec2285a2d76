"""Render one campaign's core message into a version per channel (and per persona if needed).

A channel's template parts (see `templates`) are run with the campaign's message; a
hand-written `variants` text replaces the rendered part outright. A version is rendered once
for all the campaign's personas on that channel, or once per persona when a template uses
`persona` or when the personas do not share a locale. Each part is measured and every limit of
the channel checked (see `limits`), and each part knows where its text is written, for the
findings about it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from babel import Locale

from mcplan.errors import UsageError
from mcplan.findings import Finding, Location, Subject
from mcplan.render import languages, limits, links, measure
from mcplan.render.filters import RenderState, rendering
from mcplan.render.templates import (
    Template,
    TemplateProblem,
    compile_arms,
    compile_parts,
    parts,
    run,
)
from mcplan.suggest import did_you_mean
from mcplan.workspace import BUNDLED_PREFIX, Campaign, Channel, Persona, Workspace
from mcplan.workspace.campaign import Message


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

    @property
    def key(self) -> str:
        """``sms``, ``sms--marie-citadine``, ``email@b`` (arm b of the e-mail's test): unique
        within a rendering, safe as a file name."""
        key = self.channel if self.persona is None else f"{self.channel}--{self.persona}"
        return key if self.arm is None else f"{key}@{self.arm}"

    @property
    def label(self) -> str:
        """`sms`, `sms (marie-citadine)` for a version rendered for one persona, `email (arm
        b)` for an arm of a test."""
        who = [self.persona] if self.persona is not None else []
        who += [f"arm {self.arm}"] if self.arm is not None else []
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
        return Subject(self.campaign, self.channel, self.persona, part, self.locale, self.arm)


@dataclass
class Rendering:
    """Every version of a campaign, and the template problems that stopped some of them."""

    campaign: Campaign
    versions: list[Version] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)


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
    campaign = _lookup(workspace.campaigns, campaign_id, "campaign", workspace)
    for channel_id in channels or []:
        _lookup(workspace.channels, channel_id, "channel", workspace)
    for persona_id in personas or []:
        _lookup(workspace.personas, persona_id, "persona", workspace)
    result = Rendering(campaign)
    findings: dict[tuple[str, Location, str], Finding] = {}  # each once
    for channel_id in channels or campaign_channels(workspace, campaign):
        channel = workspace.channels[channel_id]
        by_locale: dict[str, list[Persona]] = {}
        for persona in _audience(workspace, campaign, channel, personas):
            by_locale.setdefault(workspace.persona_locale(persona), []).append(persona)
        if not by_locale:  # no persona uses the channel: the text, in the campaign's language
            by_locale[workspace.core_locale(campaign)] = []
        compiled: dict[str, dict[str, Template]] = {}
        try:  # the arms are in the campaign's language: its personas who read it get them
            arms = compile_arms(workspace, campaign, channel)
        except TemplateProblem as problem:
            findings.setdefault(_key(problem.finding), problem.finding)
            arms = {}
        test = campaign.test_on(channel_id) if arms else None
        for locale in by_locale:
            if not campaign.speaks(locale):
                continue  # languages.check says so, once
            missing = languages.no_template(workspace, campaign, channel, locale)
            if missing is not None:
                findings.setdefault(_key(missing), missing)
                continue
            try:
                compiled[locale] = compile_parts(workspace, campaign, channel, locale)
            except TemplateProblem as problem:  # it would fail for the next persona too
                findings.setdefault(_key(problem.finding), problem.finding)
        uses_persona = any(t.uses_persona for t in arms.values()) or any(
            t.uses_persona for templates in compiled.values() for t in templates.values()
        )
        per_persona = bool(personas) or len(by_locale) > 1 or uses_persona
        for locale, templates in compiled.items():
            targets = by_locale[locale]
            audiences = [[p] for p in targets] if per_persona else [targets]
            # One version per arm of the channel's test, for who reads the arms' language.
            options: dict[str | None, dict[str, Template]] = {None: templates}
            if test is not None and campaign.reads_core(locale):
                options = {a: {**templates, test.part: arm} for a, arm in arms.items()}
            # Templates that do not read the persona give every persona the same text.
            same = {a: not any(t.uses_persona for t in c.values()) for a, c in options.items()}
            first: dict[str | None, Version] = {}
            try:
                for audience in audiences:  # a persona's arms side by side
                    for arm, chosen in options.items():
                        if same[arm] and arm in first:
                            one = audience[0].id
                            shared = replace(first[arm], persona=one, personas=(one,))
                            result.versions.append(shared)
                            continue
                        first[arm] = _render(
                            workspace, campaign, channel, chosen, audience, locale, per_persona,
                            arm,
                        )  # fmt: skip
                        result.versions.append(first[arm])
            except TemplateProblem as problem:
                findings.setdefault(_key(problem.finding), problem.finding)
    for finding in languages.check(workspace, campaign):
        findings.setdefault(_key(finding), finding)
    result.findings = sorted(findings.values())
    return result


def _key(finding: Finding) -> tuple[str, Location, str]:
    return finding.rule, finding.location, finding.message


def _lookup(collection: dict[str, Any], id_: str, kind: str, workspace: Workspace) -> Any:
    if id_ in collection:
        return collection[id_]
    folder = {"campaign": "campaigns", "persona": "personas", "channel": "channel_rules"}[kind]
    if workspace.exists(folder, id_):
        raise UsageError(f"{kind} '{id_}' has errors; run `mcplan validate` to see them")
    raise UsageError(f"unknown {kind} '{id_}'{did_you_mean(id_, collection)}")


def _audience(
    workspace: Workspace, campaign: Campaign, channel: Channel, only: Sequence[str] | None
) -> list[Persona]:
    """The personas a campaign reaches on a channel (or ``only`` these): those its touches on
    the channel go to, not every persona that lists it (see `Workspace.reached`)."""
    if only:
        return [workspace.personas[p] for p in only]
    return workspace.reached(campaign, channel.id)


def message_variables(message: Message) -> dict[str, Any]:
    """The message as templates read it (`m`): its fields and the campaign's own keys, and
    its `kind` as written or as its facts say (an offer, an event…)."""
    return {**message.model_dump(), **(message.model_extra or {}), "kind": message.nature.value}


def _context(
    message: Message, campaign: Campaign, channel: Channel, link: str, locale: str
) -> dict[str, Any]:
    """What every template sees (`persona` is added for a version rendered per persona); the
    channel's name is the one of the version's language."""
    return {
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
        "channel": {"id": channel.id, "name": channel.title(locale)},
        "link": link,
    }


def _render(
    workspace: Workspace,
    campaign: Campaign,
    channel: Channel,
    templates: dict[str, Template],
    targets: list[Persona],
    locale_name: str,
    per_persona: bool,
    arm: str | None = None,
) -> Version:
    persona = targets[0] if per_persona else None
    message = campaign.message_in(locale_name)
    link = links.tag(
        message.url,
        source=channel.id,
        medium=channel.utm_medium or channel.id,
        campaign=campaign.id,
    )
    context = _context(message, campaign, channel, link, locale_name)
    if channel.kind == "email":
        context["unsubscribe"] = workspace.settings.email.unsubscribe_link
    if persona is not None:
        context["persona"] = persona.model_dump(mode="json", exclude={"channels", "pressure"})
    state = RenderState(
        locale=Locale.parse(locale_name, sep="-"),
        currency=workspace.settings.currency,
        gsm_safe=channel.limits.segments is not None,
    )
    with rendering(state):
        texts = {name: run(template, context).strip() for name, template in templates.items()}
    source = workspace.source("campaigns", campaign.id)
    where = {
        name: _template_place(workspace, campaign, channel, t) for name, t in templates.items()
    }
    origin = dict.fromkeys(texts, "template")
    hand_written, path = campaign.own("variants", channel.id, locale_name)
    tested = test.part if arm is not None and (test := campaign.test_on(channel.id)) else None
    if hand_written is not None:
        main = measure.main_part(list(texts))
        for name, text, at in parts(hand_written, path, main):
            if name == tested:
                continue  # the arm replaces it
            texts[name], origin[name] = text.strip(), "variant"
            where[name] = source.locate(at, key=True)
    if tested is not None:
        origin[tested] = "arm"
    main = measure.main_part(list(texts))
    measures = {name: measure.measure(text, channel, name, main) for name, text in texts.items()}
    fallback = source.locate(campaign.channel_path(channel.id))
    channel_source = workspace.source("channel_rules", channel.id)
    limit_places = {
        key: channel_source.locate(("limits", key)) for key in type(channel.limits).model_fields
    }
    return Version(
        campaign=campaign.id,
        channel=channel.id,
        persona=persona.id if persona else None,
        personas=tuple(p.id for p in targets),
        locale=locale_name,
        link=link,
        parts=tuple(Part(n, texts[n], measures[n], origin[n], where[n]) for n in texts),
        checks=tuple(limits.check(channel, texts, measures, limit_places)),
        gsm_changes=tuple((a, b, n) for (a, b), n in sorted(state.gsm_changes.items())),
        fallback=where.get(main, fallback),
        arm=arm,
    )


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
    return workspace.source("campaigns", campaign.id).locate(campaign.channel_path(channel.id))
