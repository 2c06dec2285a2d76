"""Which copy each persona reads: the campaign's core message in its language, or a
translation (`locales`), and the channel's template in that language; what is missing.

A persona reads the `locales` entry of its locale (nl-BE), else of its language (nl), else the
core message when it is in its language. Its texts are never another language's: a persona
without a copy in its language gets no version and a T105 finding, a channel without a
template in it a T106 finding, and a translation that leaves a text of the core message (a
headline, a hand-written variant) untranslated a T105 finding at the entry.

`copies` says, for one channel, who reads it in which language and compiles the templates
(and the arms of the channel's test) their versions are rendered from.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from mcplan.findings import Finding, Related
from mcplan.render.templates import (
    MISSING_TRANSLATION,
    NO_TEMPLATE_IN_LANGUAGE,
    Template,
    TemplateProblem,
    compile_arms,
    compile_parts,
)
from mcplan.workspace import Campaign, Channel, Persona, Workspace
from mcplan.workspace.experiment import Experiment
from mcplan.workspace.markets import language, same_language
from mcplan.workspace.resolving import personas_named
from mcplan.workspace.sourcemap import KeyPath

# The keys of a message that are words, to be written in each language (an offer, a code, a
# date or a link may be the same in every language).
WORDS = ("headline", "body", "cta")


def no_template(
    workspace: Workspace, campaign: Campaign, channel: Channel, locale: str
) -> Finding | None:
    """T106 when the channel has templates, none in ``locale``'s language, and the campaign
    gives none for it in that language."""
    if not campaign.speaks(locale) or not (channel.template or channel.locales):
        return None
    if channel.localized(locale)[1] or campaign.own("templates", channel.id, locale)[0] is not None:
        return None
    source = workspace.source(campaign.FOLDER, campaign.id)
    path = campaign.channel_path(channel.id)
    written = [channel.locale or "", *channel.locales]
    rules = workspace.source("channel_rules", channel.id)
    return NO_TEMPLATE_IN_LANGUAGE(
        source.locate(path),
        f"{source.name(path)}: channel '{channel.id}' has no template in {_named(locale)}; it "
        f"has {', '.join(sorted({language(w) for w in written if w}))}",
        related=[Related(rules.locate(()), f"the rules of channel '{channel.id}'")],
        subject=campaign.subject(channel=channel.id, locale=locale),
    )


@dataclass(frozen=True)
class Copies:
    """What a channel's readers read: who reads it in which language, the channel's templates
    compiled for each language a version can be rendered in, and the arms of its test; with
    the findings about a copy that is missing or does not compile."""

    channel: Channel
    readers: dict[str, list[Persona]]  # by language
    templates: dict[str, dict[str, Template]]  # by language
    arms: dict[str, Template]
    test: Experiment | None  # the channel's test, when its arms compiled
    per_persona: bool  # whether each persona gets a version of its own
    findings: tuple[Finding, ...]

    def options(self, locale: str, campaign: Campaign) -> dict[str | None, dict[str, Template]]:
        """The templates of each version a reader of ``locale`` gets: one per arm of the
        channel's test for who reads the arms' language (the campaign's), else one (None)."""
        templates = self.templates[locale]
        if self.test is None or not campaign.reads_core(locale):
            return {None: templates}
        return {a: {**templates, self.test.part: arm} for a, arm in self.arms.items()}


def copies(
    workspace: Workspace, campaign: Campaign, channel: Channel, asked: Sequence[str] | None
) -> Copies:
    """What the readers of ``channel`` read (``asked``: only these personas, each a version).

    Each persona gets a version of its own when personas are asked for, when the readers do
    not share a language, or when a template reads the persona."""
    findings: list[Finding] = []
    readers = _readers(workspace, campaign, channel, asked)
    arms = _arms(workspace, campaign, channel, findings)
    templates = {}
    for locale in readers:
        if (compiled := _templates(workspace, campaign, channel, locale, findings)) is not None:
            templates[locale] = compiled
    uses_persona = any(t.uses_persona for t in arms.values()) or any(
        t.uses_persona for parts in templates.values() for t in parts.values()
    )
    per_persona = bool(asked) or len(readers) > 1 or uses_persona
    test = campaign.test_on(channel.id) if arms else None
    return Copies(channel, readers, templates, arms, test, per_persona, tuple(findings))


def _readers(
    workspace: Workspace, campaign: Campaign, channel: Channel, asked: Sequence[str] | None
) -> dict[str, list[Persona]]:
    """The personas the campaign reaches on the channel (or those ``asked``), by the language
    they read: those its touches on the channel go to, not every persona that lists it (see
    `Workspace.reached`). When it reaches none, no one in the campaign's language: its text
    is rendered all the same."""
    index = workspace.index()
    if asked:
        audience = [workspace.personas[p] for p in asked]
    elif any(t.channel == channel.id for t in campaign.touches):
        audience = workspace.reached(campaign, channel.id)
    else:  # those that list the channel: the same for every journey of these personas
        audience = None
    readers: dict[str, list[Persona]] = {}
    if audience is None:
        readers = index.by_locale(workspace.personas, campaign.personas, channel.id)
    for persona in audience or ():
        readers.setdefault(index.locale[persona.id], []).append(persona)
    if not readers:
        readers[workspace.core_locale(campaign)] = []
    return readers


def _arms(
    workspace: Workspace, campaign: Campaign, channel: Channel, findings: list[Finding]
) -> dict[str, Template]:
    """The arms of the channel's test, compiled (none when one does not compile); they are in
    the campaign's language: its personas who read it get them."""
    try:
        return compile_arms(workspace, campaign, channel)
    except TemplateProblem as problem:
        findings.append(problem.finding)
        return {}


def _templates(
    workspace: Workspace,
    campaign: Campaign,
    channel: Channel,
    locale: str,
    findings: list[Finding],
) -> dict[str, Template] | None:
    """The channel's template parts for the readers of ``locale``, compiled; None when the
    campaign has no copy in it, or the channel no template, or one does not compile."""
    if not campaign.speaks(locale):
        return None  # check() says so, once
    missing = no_template(workspace, campaign, channel, locale)
    if missing is not None:
        findings.append(missing)
        return None
    try:
        return compile_parts(workspace, campaign, channel, locale)
    except TemplateProblem as problem:  # it would fail for the next persona too
        findings.append(problem.finding)
        return None


def check(workspace: Workspace, campaign: Campaign) -> Iterator[Finding]:
    """T105 for each persona without a copy in its language, and for each text of the core
    message that a translation its personas read leaves in the core's language."""
    core = workspace.core_locale(campaign)
    locales = workspace.index().locale
    # For each locale, asked once: the translation its readers read, and whether the core
    # message is in their language.
    keys: dict[str, tuple[str | None, bool]] = {}
    read: dict[str, list[str]] = {}  # translation key → personas reading it
    for i, persona_id in enumerate(campaign.personas):
        if persona_id not in locales:
            continue
        locale = locales[persona_id]
        if locale not in keys:
            keys[locale] = (campaign.translation(locale), same_language(locale, core))
        key, reads_core = keys[locale]
        if key is not None:
            read.setdefault(key, []).append(persona_id)
        elif not reads_core:
            yield _no_copy(workspace, campaign, i, workspace.personas[persona_id], locale)
    for key, readers in read.items():
        if not same_language(key, core):
            yield from _untranslated(workspace, campaign, key, readers)


def _no_copy(
    workspace: Workspace, campaign: Campaign, i: int, persona: Persona, locale: str
) -> Finding:
    """T105 at the campaign's ``i``-th persona, who reads ``locale`` and has no copy in it."""
    persona_id = campaign.personas[i]  # as the campaign writes it
    source = workspace.source(campaign.FOLDER, campaign.id)
    core = workspace.core_locale(campaign)
    path: KeyPath = ("personas", i)
    where_locale = workspace.source("personas", persona.id).locate(("locale",))
    return MISSING_TRANSLATION(
        source.locate(path),
        f"{source.name(path)}: persona '{persona_id}' reads {_named(locale)}, and the "
        f"campaign is in {_named(core)} with no `locales` entry for {locale} or "
        f"{language(locale)}: it gets no version",
        related=[Related(where_locale, f"the locale of persona '{persona_id}'")],
        subject=campaign.subject(persona=persona_id, locale=locale),
    )


def _untranslated(
    workspace: Workspace, campaign: Campaign, key: str, readers: list[str]
) -> Iterator[Finding]:
    """T105 for each text of the core message the ``key`` translation leaves out, that its
    ``readers`` would read in the core's language: words of the message, hand-written
    variants of a channel that reaches them."""
    source = workspace.source(campaign.FOLDER, campaign.id)
    core = workspace.core_locale(campaign)
    entry = campaign.locales[key]
    core_words = [w for w in WORDS if getattr(campaign.message, w)]
    missing = [w for w in core_words if not getattr(entry.message, w)]
    if missing:
        path: KeyPath = ("locales", key, "message")
        yield MISSING_TRANSLATION(
            source.locate(path, key=True),
            f"{source.name(path)}: no {', '.join(missing)} in {_named(key)}: "
            f"{personas_named(readers)} would read the core message's, in {_named(core)}",
            subject=campaign.subject(locale=key),
        )
    for channel_id in campaign.variants:
        on_channel = {p.id for p in workspace.reached(campaign, channel_id)}
        getting = [p for p in readers if p in on_channel]
        if channel_id not in entry.variants and getting:
            path = ("variants", channel_id)
            yield MISSING_TRANSLATION(
                source.locate(path, key=True),
                f"{source.name(path)}: the hand-written text of '{channel_id}' has no "
                f"translation in locales.{key}.variants: {personas_named(getting)} "
                f"{'gets' if len(getting) == 1 else 'get'} the channel's template instead",
                subject=campaign.subject(channel=channel_id, locale=key),
            )


@functools.cache
def _named(locale: str) -> str:
    """``Dutch (nl-BE)``: the language's English name, and the code (asked once per code:
    a campaign in French for 1,000 German readers names German 1,000 times)."""
    from babel import Locale, UnknownLocaleError

    try:
        name = Locale.parse(language(locale)).get_language_name("en")
    except (ValueError, UnknownLocaleError):
        name = None
    return f"{name} ({locale})" if name else locale
