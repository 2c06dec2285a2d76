"""Channel limits (L): every rendered text against its channel's `limits`.

`mcplan render` shows each check, passed or not; `mcplan lint` reports those that fail, at the
text's source (the hand-written variant, the campaign's template, the workspace's channel
template, or, for a bundled template, the campaign's channel entry), with the limit's line in
the channel file as a related location.

- **L101 too-long**: over `max_chars` (X counts a link as 23, and a caption counts its
  hashtags), the email subject, the push title, a line over 998 characters (RFC 5322), or a
  voice script over its spoken time.
- **L102 sms-segments**: more SMS segments than the channel's budget. One emoji, a ’ or a ç
  switches the whole SMS to UCS-2 (70 characters, 67 per part): the finding names them.
- **L103 hashtags**: more hashtags than the channel allows.
- **L104 cut-off**: longer than what shows before the text is cut (a caption's "… more", a
  collapsed notification, a preheader).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from mcplan import numbers, rule_examples
from mcplan.findings import Family, Finding, Level, Location, Related, Rule
from mcplan.numbers import plural
from mcplan.render.measure import Measures, main_part, post_text, weighted_length
from mcplan.workspace import Channel

if TYPE_CHECKING:
    from mcplan.lint.context import LintContext


def _instagram(caption: str, hashtags: str) -> str:
    variant = f'variants:\n  instagram: {{caption: "{caption}", hashtags: "{hashtags}"}}\n'
    return rule_examples.campaign("instagram 2027-12-02T12:00", more=variant)


def _email_subject(subject: str) -> str:
    return rule_examples.campaign(
        "email 2027-12-02T10:00", more=f'templates:\n  email:\n    subject: "{subject}"\n'
    )


def _sms(text: str) -> str:
    return rule_examples.campaign("sms 2027-12-02T10:00", more=f"variants:\n  sms: {text}\n")


TOO_LONG = Rule(
    "L101",
    "too-long",
    Level.ERROR,
    "A text over its channel's length limit (characters, subject, title, line, time).",
    hint="shorten the text, or the message fields it uses",
    fails=_email_subject(
        "{{ m.headline }} : toutes nos idées cadeaux pour la famille, livrées avant le 24 !"
    ),
    passes=_email_subject("{{ m.headline }} : nos idées cadeaux"),
)
SMS_SEGMENTS = Rule(
    "L102",
    "sms-segments",
    Level.ERROR,
    "An SMS over its segment budget (one emoji or a missing accent switches to UCS-2).",
    hint="shorten the SMS, or pass free text through the gsm filter ({{ m.headline | gsm }})",
    fails=_sms(
        ">-\n"
        "    Maison Lumen 🎄 : pour Noël, toutes nos guirlandes et nos suspensions sont à -30 %\n"
        "    en boutique et sur maison-lumen.fr/noel jusqu'au 24 décembre. Livraison offerte\n"
        "    dès 50 €. STOP au 36111"
    ),
    passes=_sms('"Maison Lumen : Joyeux Noël ! maison-lumen.fr/noel STOP au 36111"'),
)
HASHTAGS = Rule(
    "L103",
    "hashtags",
    Level.ERROR,
    "More hashtags than the channel allows.",
    hint="keep the hashtags the channel allows",
    fails=_instagram(
        caption="Les soldes d'hiver", hashtags="#soldes #deco #lampe #maison #hiver #promo"
    ),
    passes=_instagram(caption="Les soldes d'hiver", hashtags="#soldes #deco #lampe"),
)
CUT_OFF = Rule(
    "L104",
    "cut-off",
    Level.INFO,
    "A text longer than what shows before it is cut (caption fold, preheader).",
    hint="put what matters in the first characters",
    details="An info: a long caption is fine when its first characters say what matters.",
    fails=_instagram(
        caption="Les soldes d'hiver sont là : toute la collection de luminaires, de lampes et de "
        "suspensions pour chaque pièce de la maison, jusqu'au 9 février",
        hashtags="#soldes",
    ),
    passes=_instagram(caption="Les soldes d'hiver sont là", hashtags="#soldes"),
)

RULES = (TOO_LONG, SMS_SEGMENTS, HASHTAGS, CUT_OFF)

# Each limit of a channel's `limits`: the rule it breaks, and how to count it.
_RULES = {"segments": SMS_SEGMENTS, "hashtags": HASHTAGS, "visible_chars": CUT_OFF}
_RULES["preheader_chars"] = CUT_OFF
_UNITS = {
    "max_chars": ("character", "characters"),
    "segments": ("SMS segment", "SMS segments"),
    "subject_chars": ("character", "characters"),
    "preheader_chars": ("character", "characters"),
    "title_chars": ("character", "characters"),
    "line_chars": ("character on its longest line", "characters on its longest line"),
    "hashtags": ("hashtag", "hashtags"),
    "duration_seconds": ("second spoken", "seconds spoken"),
}
_HASHTAG = re.compile(r"(?<![\w&])#\w+")


@dataclass(frozen=True)
class Check:
    """One limit of the channel, and whether the text keeps to it."""

    limit: str  # the key in the channel's `limits`
    part: str
    allowed: float
    actual: float
    where: Location  # the limit in the channel file
    counted: str = ""  # what is counted, when more than the part: "caption + hashtags"

    @property
    def what(self) -> str:
        return self.counted or self.part

    @property
    def rule(self) -> Rule:
        return _RULES.get(self.limit, TOO_LONG)

    @property
    def level(self) -> Level:
        return self.rule.level

    @property
    def ok(self) -> bool:
        return self.actual <= self.allowed

    @property
    def message(self) -> str:
        actual, allowed = _number(self.actual), _number(self.allowed)
        if self.limit == "visible_chars":
            if self.ok:
                shown = plural(self.actual, "character", shown=actual)
                return f"{self.what}: all {shown} show before it is cut ({allowed})"
            shown = plural(self.actual, "character", shown=actual)
            return f"{self.what}: only {allowed} of {shown} show before it is cut"
        one, many = _UNITS[self.limit]
        return f"{self.what}: {actual} {one if self.actual == 1 else many} (limit {allowed})"


def _number(value: float) -> str:
    return numbers.number(value)


def check(
    channel: Channel,
    texts: dict[str, str],
    measures: dict[str, Measures],
    locate: dict[str, Location],
) -> list[Check]:
    """Every limit of ``channel`` that applies to these parts, passed or not.

    ``locate`` gives where each limit key is written in the channel's file.
    """
    limits = channel.limits
    main = main_part(list(texts))
    post = post_text(texts, main)
    checks = []

    def add(limit: str, part: str, allowed: int | None, actual: float, counted: str = "") -> None:
        if allowed is not None and part in texts:
            checks.append(Check(limit, part, allowed, actual, locate[limit], counted))

    length = weighted_length(post, limits.url_chars) if limits.url_chars else len(post)
    # A post shows its hashtags after its caption: the length limit counts both.
    both = f"{main} + hashtags" if post != texts.get(main, "") else ""
    add("max_chars", main, limits.max_chars, length, both)
    add("visible_chars", main, limits.visible_chars, len(texts.get(main, "")))
    if main in measures and (sms := measures[main].sms) is not None:
        add("segments", main, limits.segments, sms.segments)
    if main in measures and (seconds := measures[main].seconds) is not None:
        add("duration_seconds", main, limits.duration_seconds, seconds)
    add("subject_chars", "subject", limits.subject_chars, len(texts.get("subject", "")))
    add("preheader_chars", "preheader", limits.preheader_chars, len(texts.get("preheader", "")))
    add("title_chars", "title", limits.title_chars, len(texts.get("title", "")))
    tags = "hashtags" if "hashtags" in texts else main
    add("hashtags", tags, limits.hashtags, len(_HASHTAG.findall(post)))
    if limits.line_chars is not None:
        for part in texts:
            add("line_chars", part, limits.line_chars, measures[part].longest_line)
    return checks


def check_campaign(context: LintContext, campaign: str) -> Iterator[Finding]:
    """Each check of the campaign's versions that fails, at the text's source, with the line
    of the limit as a related location."""
    for version in context.rendering(campaign).versions:
        for item in version.checks:
            if item.ok:
                continue
            message = item.message
            if item.limit == "segments":
                sms = next(p for p in version.parts if p.name == item.part).measures.sms
                if sms is not None and sms.non_gsm:
                    message += f", in UCS-2 because of {' '.join(repr(c) for c in sms.non_gsm)}"
            yield item.rule(
                version.where(item.part),
                f"{version.label} {message}",
                related=[Related(item.where, f"the limit: {item.limit} {_number(item.allowed)}")],
                subject=version.subject(item.part),
            )


FAMILY = Family(
    "L",
    "channel-limits",
    "every rendered text within its channel's limits: length, SMS segments, hashtags, what "
    "shows before the cut",
    __doc__ or "",
    RULES,
    check_campaign=check_campaign,
)
