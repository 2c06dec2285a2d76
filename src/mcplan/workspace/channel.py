"""Channel rules: what a channel costs, how it performs, and the rules it must follow."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from pydantic import Field, ValidationInfo, field_validator, model_validator

from mcplan import numbers
from mcplan.patterns import compile_pattern
from mcplan.workspace.fields import (
    Amount,
    Colour,
    Consent,
    Count,
    Direction,
    FileModel,
    Flag,
    Fraction,
    Locale,
    ObjectiveKind,
    Parts,
    Positive,
    Pressure,
    Stage,
    StrictModel,
    Text,
    Window,
    cross_checking,
    disagree,
)
from mcplan.workspace.ids import Id, Ref
from mcplan.workspace.markets import language, same_language
from mcplan.workspace.sourcemap import KeyPath


class Kind(StrEnum):
    """What a channel's messages look like; the preview's mockup and the `.eml` follow it."""

    EMAIL = "email"
    SMS = "sms"
    PUSH = "push"
    SOCIAL = "social"
    VOICE = "voice"
    LETTER = "letter"
    POSTER = "poster"
    WEB = "web"


class Billing(StrEnum):
    """What `cost_per_contact` pays for: one message, or one SMS segment of it."""

    PER_MESSAGE = "per_message"
    PER_SEGMENT = "per_segment"


class Needed(StrEnum):
    """What every version on a channel must carry from the core message."""

    LINK = "link"
    CTA = "cta"
    CODE = "code"


class Rates(StrictModel):
    """Forecast rates, each a share of the contacts a touch reaches."""

    delivery: Fraction = Field(
        1.0, description="Share of sends that reach the contact (delivered, not bounced)."
    )
    open: Fraction = Field(description="Share of reached contacts who open, read or see it.")
    click: Fraction = Field(
        description="Share of reached contacts who act on it: click, call back, come in."
    )
    conversion: Fraction = Field(description="Share of reached contacts who convert.")

    @model_validator(mode="after")
    def _funnel(self, info: ValidationInfo) -> Rates:
        if self.click > self.open and cross_checking(info):
            raise disagree(
                f"click ({numbers.number(self.click)}) cannot be higher than open "
                f"({numbers.number(self.open)}): both are "
                "shares of the contacts reached"
            )
        return self


class Fit(StrictModel):
    """How well the channel serves each objective and lifecycle stage, 0 to 1 (missing: 0)."""

    objectives: dict[ObjectiveKind, Fraction] = Field(
        default_factory=dict, description="Fit per objective kind."
    )
    stages: dict[Stage, Fraction] = Field(
        default_factory=dict, description="Fit per lifecycle stage."
    )


class ChannelConsent(StrictModel):
    """The least consent needed to contact someone on this channel, per market."""

    b2c: Consent = Field(Consent.NONE, description="Consent needed for consumers.")
    b2b: Consent = Field(Consent.NONE, description="Consent needed for professionals.")
    why: Text = Field("", description="Where the consent rules come from (a law), for findings.")


class Limits(StrictModel):
    """Length and format limits of the channel's texts; absent means no limit."""

    max_chars: Positive | None = Field(
        None, description="Most characters in the main text (body, caption, SMS, script)."
    )
    visible_chars: Positive | None = Field(
        None,
        description="Characters shown before the text is cut ('… more', a collapsed notification).",
    )
    segments: Positive | None = Field(
        None, description="SMS: most parts (160 GSM-7 or 70 UCS-2 characters; 153/67 when split)."
    )
    subject_chars: Positive | None = Field(
        None, description="Email: most characters in the subject."
    )
    preheader_chars: Positive | None = Field(
        None, description="Email: most characters in the preheader."
    )
    title_chars: Positive | None = Field(None, description="Push: most characters in the title.")
    line_chars: Positive | None = Field(
        None, description="Most characters on one line (email header lines: 998, RFC 5322)."
    )
    url_chars: Positive | None = Field(
        None, description="Characters each link counts for, whatever its length (X: 23)."
    )
    hashtags: Count | None = Field(None, description="Most hashtags in a post.")
    duration_seconds: Positive | None = Field(
        None, description="Voice: longest spoken script, at about 150 words a minute."
    )


class MustContain(StrictModel):
    """A mention the channel's text must carry (an opt-out, a legal notice)."""

    pattern: Text = Field(
        description="Regular expression searched in the rendered text (RE2 syntax: no "
        "lookarounds or backreferences, so that any pattern runs in linear time)."
    )
    why: Text = Field(description="Why it is mandatory, shown when it is missing.")
    part: Id | None = Field(None, description="Only this template part. Default: any part.")
    ignore_case: Flag = Field(False, description="Match regardless of letter case.")

    @field_validator("pattern")
    @classmethod
    def _compiles(cls, value: str) -> str:
        compile_pattern(value)  # ValueError: refused, at its line
        return value


class ChannelTranslation(StrictModel):
    """A channel's copy in one language (`en`) or locale (`en-IE`)."""

    template: Parts = Field(
        "",
        description="The template in this language: all its parts, like `template` (no part "
        "is taken from another language).",
    )
    must_contain: list[MustContain] | None = Field(
        None,
        description="Mandatory mentions of texts in this language. Default: the channel's "
        "`must_contain` if its `locale` is this language; none otherwise (then, on a channel "
        "that has mentions in other languages, lint says none is known: C104).",
    )


class Channel(FileModel):
    """A channel's rules (bundled, or `channel_rules/<id>.yaml` in a workspace)."""

    id: Id = Field(description="Unique id used by personas and campaigns. Default: the file name.")
    name: Text = Field(
        "",
        description="Display name, in any language that `names` does not give (a bundled "
        "channel's is English). Default: the id.",
    )
    names: dict[Locale, Text] = Field(
        default_factory=dict,
        description="Display name by language (it) or locale (de-CH), for reports in that "
        "language: the workspace's locale, else its language, else `name`. A file that "
        "extends another and writes its own `name` has that name in every language, unless "
        "it writes `names` too.",
    )
    description: Text = Field("", description="Strengths, weaknesses and specifics.")
    colour: Colour | None = Field(
        None,
        description="Its colour on the calendar page (#RRGGBB). Default: a bundled channel's "
        "colour, picked by its id.",
    )
    extends: Ref | None = Field(
        None,
        description="Start from this channel's rules and change only the keys written here "
        "(mappings are merged key by key). A file whose id is a bundled channel overrides it "
        "entirely unless it extends it.",
    )
    direction: Direction = Field(
        description="outbound (direct: the brand reaches out) or inbound (indirect)."
    )
    kind: Kind | None = Field(
        None,
        description="What its messages look like: email, sms, push, social, voice, letter, "
        "poster or web. The preview shows them in that mockup, and an email is also written "
        "as an .eml file; a channel that `extends` another has its kind. Default: none, a "
        "plain card.",
    )
    cost_per_contact: Amount = Field(
        description="Cost of one touch to one contact, in the workspace currency (of one "
        "segment of it, for a channel billed per segment)."
    )
    billed: Billing = Field(
        Billing.PER_MESSAGE,
        description="per_message: a touch costs `cost_per_contact` per contact; per_segment "
        "(SMS): it costs `cost_per_contact` for each segment its text is sent in, as measured "
        "on the rendered versions. Default: per_message.",
    )
    fixed_cost: Amount = Field(
        0.0,
        description="Cost of using the channel at all in a campaign (set-up, creative), in "
        "the workspace currency.",
    )
    rates: Rates = Field(description="Forecast rates.")
    fit: Fit = Field(default_factory=Fit, description="Fit with objectives and stages.")
    consent: ChannelConsent = Field(
        default_factory=ChannelConsent, description="Least consent needed, per market."
    )
    window: Window = Field(default_factory=Window, description="Allowed days and hours.")
    pressure: Pressure = Field(
        default_factory=Pressure, description="Contact pressure caps for this channel alone."
    )
    limits: Limits = Field(default_factory=Limits, description="Length and format limits.")
    must_contain: list[MustContain] = Field(default_factory=list, description="Mandatory mentions.")
    requires: list[Needed] = Field(
        default_factory=list,
        description="What every text on this channel must carry, when the message has it: "
        "link (the campaign URL), cta (the call to action), code (the promo code).",
    )
    utm_medium: Text = Field(
        "",
        description="utm_medium of the campaign links rendered for this channel (email, sms, "
        "social, push…); utm_source is the channel id. Default: the channel id.",
    )
    template: Parts = Field(
        "",
        description="Default Jinja template, in the channel's `locale`: one text, or named "
        "parts (email: subject, preheader, body).",
    )
    locale: Locale | None = Field(
        None,
        description="Language of `template` and `must_contain`, like fr. Default: the "
        "workspace's (a file that extends another and writes its own template is in the "
        "workspace's language unless it says otherwise).",
    )
    locales: dict[Locale, ChannelTranslation] = Field(
        default_factory=dict,
        description="The template (and mandatory mentions) in other languages, by language "
        "(en) or locale (en-IE). A persona reads the entry of its locale, else the template "
        "if it is in its language, else the entry of its language.",
    )

    @model_validator(mode="before")
    @classmethod
    def _locale_from_workspace(cls, data: Any, info: ValidationInfo) -> Any:
        settings = (info.context or {}).get("settings")
        if isinstance(data, dict) and not data.get("locale") and settings is not None:
            data = {**data, "locale": settings.locale.split("-")[0]}
        return data

    @model_validator(mode="after")
    def _segments_are_sms(self, info: ValidationInfo) -> Channel:
        if (
            self.billed is Billing.PER_SEGMENT
            and self.kind is not Kind.SMS
            and cross_checking(info)
        ):
            raise disagree(
                "per_segment counts SMS segments: only a channel of kind sms is billed "
                f"per segment (this one's kind is {self.kind.value if self.kind else 'not set'})",
                at="billed",
            )
        return self

    def title(self, locale: str) -> str:
        """Its name for a reader of ``locale`` (``it-IT``, ``it``): ``names`` of the locale,
        else of its language, else ``name``, else the id."""
        locale = locale.replace("_", "-")
        for key in (locale, language(locale)):
            if self.names.get(key):
                return self.names[key]
        return self.name or self.id

    @property
    def parts(self) -> tuple[str, ...]:
        """The names of its template's parts (``text`` for a template of one text)."""
        return template_parts(self.template)

    def localized(self, locale: str) -> tuple[str | None, Parts]:
        """(`locales` key, or None for the channel's own, and template) for texts in
        ``locale``: the entry of the locale, else the channel's template if it is in that
        language, else the entry of the language. An empty template: none in that language.
        """
        lang = language(locale)
        own = same_language(locale, self.locale) and bool(self.template)
        for key in [locale] if own else [locale, lang]:
            entry = self.locales.get(key)
            if entry is not None and entry.template:
                return key, entry.template
        return None, self.template if same_language(locale, self.locale) else ""

    def mentions(self, locale: str) -> tuple[KeyPath, list[MustContain]] | None:
        """Where the mandatory mentions of texts in ``locale`` are written, and them: the entry
        of the locale, else the channel's own if they are in that language, else the entry of
        the language. None when the channel has mentions in other languages only."""
        own = same_language(locale, self.locale)
        for key in [locale] if own else [locale, language(locale)]:
            entry = self.locales.get(key)
            if entry is not None and entry.must_contain is not None:
                return ("locales", key, "must_contain"), entry.must_contain
        if own or (
            not self.must_contain and all(e.must_contain is None for e in self.locales.values())
        ):
            return ("must_contain",), self.must_contain
        return None


def template_parts(template: Parts) -> tuple[str, ...]:
    """The part names of a template (``text`` for one text)."""
    if isinstance(template, dict):
        return tuple(template)
    return ("text",) if template else ()
