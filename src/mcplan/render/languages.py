"""Which copy each persona reads: the campaign's core message in its language, or a
translation (`locales`), and the channel's template in that language; what is missing.

A persona reads the `locales` entry of its locale (nl-BE), else of its language (nl), else the
core message when it is in its language. Its texts are never another language's: a persona
without a copy in its language gets no version and a T105 finding, a channel without a
template in it a T106 finding, and a translation that leaves a text of the core message (a
headline, a hand-written variant) untranslated a T105 finding at the entry.
"""

from __future__ import annotations

from collections.abc import Iterator

from mcplan.findings import Finding, Related, Subject
from mcplan.render.templates import MISSING_TRANSLATION, NO_TEMPLATE_IN_LANGUAGE
from mcplan.workspace import Campaign, Channel, Workspace
from mcplan.workspace.markets import language, same_language
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
    source = workspace.source("campaigns", campaign.id)
    path = campaign.channel_path(channel.id)
    written = [channel.locale or "", *channel.locales]
    rules = workspace.source("channel_rules", channel.id)
    return NO_TEMPLATE_IN_LANGUAGE(
        source.locate(path),
        f"{source.name(path)}: channel '{channel.id}' has no template in {_named(locale)}; it "
        f"has {', '.join(sorted({language(w) for w in written if w}))}",
        related=[Related(rules.locate(()), f"the rules of channel '{channel.id}'")],
        subject=Subject(campaign.id, channel.id, locale=locale),
    )


def check(workspace: Workspace, campaign: Campaign) -> Iterator[Finding]:
    """T105 for each persona without a copy in its language, and for each text of the core
    message that a translation its personas read leaves in the core's language."""
    source = workspace.source("campaigns", campaign.id)
    core = workspace.core_locale(campaign)
    read: dict[str, list[str]] = {}  # translation key → personas reading it
    for i, persona_id in enumerate(campaign.personas):
        persona = workspace.personas.get(persona_id)
        if persona is None:
            continue
        locale = workspace.persona_locale(persona)
        key = campaign.translation(locale)
        if key is not None:
            read.setdefault(key, []).append(persona_id)
            continue
        if same_language(locale, core):
            continue
        path: KeyPath = ("personas", i)
        where_locale = workspace.source("personas", persona.id).locate(("locale",))
        yield MISSING_TRANSLATION(
            source.locate(path),
            f"{source.name(path)}: persona '{persona_id}' reads {_named(locale)}, and the "
            f"campaign is in {_named(core)} with no `locales` entry for {locale} or "
            f"{language(locale)}: it gets no version",
            related=[Related(where_locale, f"the locale of persona '{persona_id}'")],
            subject=Subject(campaign.id, persona=persona_id, locale=locale),
        )
    for key, readers in read.items():
        if same_language(key, core):
            continue
        entry = campaign.locales[key]
        core_words = [w for w in WORDS if getattr(campaign.message, w)]
        missing = [w for w in core_words if not getattr(entry.message, w)]
        if missing:
            path = ("locales", key, "message")
            yield MISSING_TRANSLATION(
                source.locate(path, key=True),
                f"{source.name(path)}: no {', '.join(missing)} in {_named(key)}: "
                f"{_names(readers)} would read the core message's, in {_named(core)}",
                subject=Subject(campaign.id, locale=key),
            )
        for channel_id in campaign.variants:
            on_channel = {p.id for p in workspace.reached(campaign, channel_id)}
            getting = [p for p in readers if p in on_channel]
            if channel_id not in entry.variants and getting:
                path = ("variants", channel_id)
                yield MISSING_TRANSLATION(
                    source.locate(path, key=True),
                    f"{source.name(path)}: the hand-written text of '{channel_id}' has no "
                    f"translation in locales.{key}.variants: {_names(getting)} "
                    f"{'gets' if len(getting) == 1 else 'get'} the channel's template instead",
                    subject=Subject(campaign.id, channel_id, locale=key),
                )


def _named(locale: str) -> str:
    """``Dutch (nl-BE)``: the language's English name, and the code."""
    from babel import Locale, UnknownLocaleError

    try:
        name = Locale.parse(language(locale)).get_language_name("en")
    except (ValueError, UnknownLocaleError):
        name = None
    return f"{name} ({locale})" if name else locale


def _names(ids: list[str]) -> str:
    return ("persona " if len(ids) == 1 else "personas ") + ", ".join(f"'{p}'" for p in ids)
