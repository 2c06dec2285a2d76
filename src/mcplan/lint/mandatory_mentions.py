"""What a version is checked with for the mandatory mentions its texts must carry (C104).

A mention is one of the channel's `must_contain` patterns in the version's language, or one
the law of a persona's country adds. It must be found in the text (in its part, when it names
one), and be in the readers' language: a mention is read in its sentence, which may be short
(three words will do), else, when that is too short to tell ("STOP au 36111"), in the whole
text. The compliance family (`mcplan.lint.rules.compliance`) declares the rule.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import TYPE_CHECKING, cast

from mcplan import patterns
from mcplan.findings import Finding, Location, Related, Rule
from mcplan.printable import excerpt
from mcplan.workspace import Workspace
from mcplan.workspace.channel import MustContain
from mcplan.workspace.sourcemap import KeyPath

if TYPE_CHECKING:
    from mcplan.render import Version

_MENTIONS_READ = 5  # the places of a mention whose language is read (a hostile text has many)


def missing_or_foreign(
    rule: Rule, workspace: Workspace, version: Version, brand: str
) -> Iterator[Finding]:
    """Each mention a version must carry that it lacks or writes in another language than its
    readers' (``brand``, the brand of its campaign or journey, is in no language); or, when its
    channel has mentions in other languages only, that none is known."""
    channel = workspace.channels[version.channel]
    known = channel.mentions(version.locale)
    if known is None:
        source = workspace.source("channel_rules", channel.id)
        yield rule(
            version.where(),
            f"{version.channel}: no mandatory mention is known in {version.locale}, and the "
            "channel has some in its other languages",
            hint=f"give the channel its mentions in that language: `locales: "
            f"{{{version.locale.split('-')[0]}: {{must_contain: [...]}}}}` in "
            f"channel_rules/{channel.id}.yaml (with `extends: {channel.id}`)",
            related=[Related(source.locate(("must_contain",)), "its mentions")],
            subject=version.subject(),
        )
        return
    for required, mention in _required(workspace, version, *known):
        yield from _mention(rule, workspace, version, required, mention, brand)


def _required(
    workspace: Workspace, version: Version, path: KeyPath, mentions: list[MustContain]
) -> list[tuple[Location, MustContain]]:
    """The channel's mentions in the version's language (written at ``path`` of its file),
    then those the law of its personas' countries adds, each with where it is required."""
    channel_id = workspace.channels[version.channel].id
    source = workspace.source("channel_rules", channel_id)
    placed = [(source.locate((*path, i)), m) for i, m in enumerate(mentions)]
    # The law is a country's: read once for each country (a version may be for thousands).
    for country in workspace.index().countries(version.personas):
        placed += [m for m in workspace.law_in(channel_id, country).mentions if m not in placed]
    return placed


def _mention(
    rule: Rule,
    workspace: Workspace,
    version: Version,
    required: Location,
    mention: MustContain,
    brand: str,
) -> Iterator[Finding]:
    """One mention: missing from the text (its part's, if it names one), or in another
    language than the readers' in each of its first places."""
    texts = {p.name: p.text for p in version.parts}
    part = mention.part if mention.part in texts else None
    searched = [texts[part]] if part else list(texts.values())
    where = part or version.main
    compiled = patterns.compile_pattern(mention.pattern, mention.ignore_case)
    found = [(t, m.start()) for t in searched for m in compiled.finditer(t)]
    if not found:
        yield rule(
            version.where(where),
            f"{version.channel} {where}: missing the mandatory mention /{mention.pattern}/",
            hint=mention.why,
            related=[Related(required, "the mention the channel requires")],
            subject=version.subject(where),
        )
        return
    reader = version.locale.split("-")[0]
    # In the readers' language when one of its first places is (or may be).
    foreign = [_foreign(text, at, reader, brand) for text, at in found[:_MENTIONS_READ]]
    # A settings file whose locale could not be read: the readers' language is not known.
    if not all(foreign) or workspace.settings_unread("locale"):
        return
    from mcplan.lint import language

    sentence, other = cast(tuple[str, str], foreign[0])
    yield rule(
        version.where(where),
        f"{version.channel} {where}: the mandatory mention /{mention.pattern}/ is in "
        f"{language.name(other)}, and its readers read {language.name(reader)} "
        f"({version.locale}): "
        f"{excerpt(sentence, 80)!r}",
        hint=f"write it in the readers' language ({mention.why})",
        related=[Related(required, "the mention the channel requires")],
        subject=version.subject(where),
    )


def _foreign(text: str, at: int, reader: str, brand: str) -> tuple[str, str] | None:
    """The sentence of ``text`` at offset ``at`` and its language, when it is surely not the
    reader's ("Reply STOP to opt out" in an Italian SMS)."""
    from mcplan.lint import language

    for sentence in itertools.islice(language.sentences(text), language.MAX_SENTENCES):
        if sentence.start <= at < sentence.end:
            found = language.language_of(sentence.text, brand, expected=reader, min_words=3)
            if found is None:
                found = language.language_of(text, brand, expected=reader)
            return (sentence.text, found) if found and found != reader else None
    return None
