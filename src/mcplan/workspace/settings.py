"""Workspace settings (`mcplan.toml` or `[tool.mcplan]` in `pyproject.toml`)."""

from __future__ import annotations

import re
from pathlib import PurePosixPath
from typing import Annotated, Literal

from pydantic import AfterValidator, Field, Strict, WithJsonSchema

from mcplan.printable import excerpt
from mcplan.workspace.fields import (
    Colour,
    CountryCode,
    CurrencyCode,
    Pressure,
    RegionalLocale,
    StrictModel,
    Text,
    TimeZoneName,
    Url,
    url_host,
)

SELECTOR_PATTERN = r"^(ALL|[A-Z][0-9]{0,3})$"
_SELECTOR = re.compile(SELECTOR_PATTERN)


def _check_selector(value: str) -> str:
    # Whether the rule exists is the linter's to say (`mcplan.lint.config`): the models do not
    # know the rules.
    if not _SELECTOR.match(value):
        raise ValueError(
            f"'{value}' is not a rule selector: give a code (P101), a family or prefix (P, P1), "
            "or ALL"
        )
    return value


RuleSelector = Annotated[
    str,
    AfterValidator(_check_selector),
    WithJsonSchema({"type": "string", "pattern": SELECTOR_PATTERN}),
]
CODE_PATTERN = r"^[A-Z][0-9]{3}$"


def _check_code(value: str) -> str:
    if not re.match(CODE_PATTERN, value):
        raise ValueError(
            f"'{value}' is not a rule code: write a letter and three digits, like P104"
        )
    return value


RuleCode = Annotated[
    str, AfterValidator(_check_code), WithJsonSchema({"type": "string", "pattern": CODE_PATTERN})
]
LevelName = Literal["error", "warning", "info", "off"]
FailLevelName = Literal["error", "warning", "info", "never"]


class LintSettings(StrictModel):
    """What `mcplan lint` reports (`[lint]` in mcplan.toml, `[tool.mcplan.lint]`)."""

    select: list[RuleSelector] = Field(
        default_factory=lambda: ["ALL"],
        description="Rules to run, by code (P101), prefix (P, P1) or ALL. Default: ALL.",
    )
    ignore: list[RuleSelector] = Field(
        default_factory=list, description="Rules not to run, by code or prefix."
    )
    levels: dict[RuleCode, LevelName] = Field(
        default_factory=dict,
        description="A level per rule code: error, warning, info, or off.",
    )
    per_path_ignores: dict[Text, list[RuleSelector]] = Field(
        default_factory=dict,
        description="Rules not to report in files matching a glob, relative to the workspace "
        '(`"campaigns/archive/**" = ["P"]`).',
    )
    fail_level: FailLevelName = Field(
        "error",
        description="Lowest level that fails the run: error, warning, info or never. The "
        "--fail-level option overrides it.",
    )


class ExperimentSettings(StrictModel):
    """How message tests and holdouts are judged (`[experiments]` in mcplan.toml)."""

    alpha: Annotated[float, Strict(), Field(gt=0, le=0.5, allow_inf_nan=False)] = Field(
        0.05,
        description="The chance of calling a difference that is noise (two-sided); the "
        "confidence intervals are at 1 - alpha. Default: 0.05.",
    )
    power: Annotated[float, Strict(), Field(ge=0.5, lt=1, allow_inf_nan=False)] = Field(
        0.8,
        description="The chance of detecting a lift of `min_lift` when there is one. Default: 0.8.",
    )


def _check_sender(value: str) -> str:
    from email.utils import parseaddr

    _, address = parseaddr(value)
    if value and ("@" not in address or any(c in value for c in "\r\n")):
        raise ValueError(f"'{value}' is not a sender: write \"Name <address@domain>\"")
    return value


def _check_address(value: str) -> str:
    """An e-mail address (``désinscription@exemple.fr``): a local part, an @ and a domain with
    a dot, nothing else (a full check would need the DNS; this catches a URL or a name)."""
    if value and not re.fullmatch(r"[^@\s<>,;:\"]+@[^@\s<>,;:\"]+\.[^@\s<>,;:\".]+", value):
        raise ValueError(f"'{value}' is not an e-mail address: write it like unsubscribe@brand.com")
    return value


# A sending platform's merge tag, which it replaces per recipient: Brevo's {{ unsubscribe }},
# HubSpot's {{ unsubscribe_link }}, Postmark's {{{ pm:unsubscribe }}}, Klaviyo's
# {% unsubscribe_url %}, Mailchimp's *|UNSUB|*, Salesforce's %%unsub_center_url%%, Mailgun's
# %unsubscribe_url%, SendGrid's [unsubscribe] and <%asm_group_unsubscribe_raw_url%>,
# Mailjet's [[UNSUB_LINK_EN]], Braze's ${set_user_to_unsubscribed_url}.
_TAG_NAME = r"\s*[A-Za-z_][\w.:-]*\s*"
MERGE_TAG = re.compile(
    rf"\{{\{{\{{?{_TAG_NAME}\}}?\}}\}}|\{{%{_TAG_NAME}%\}}|\*\|{_TAG_NAME}\|\*|%%?{_TAG_NAME}%?%"
    rf"|\[\[?{_TAG_NAME}\]?\]|<%{_TAG_NAME}%>|\$\{{{_TAG_NAME}\}}"
)
# An https address (merge tags in it stand for a word): no space, quote, angle bracket,
# backslash, control character or bidirectional override, which would end it or change it
# where it is written (or how it reads).
_NOT_IN_URL = "\\s\"'<>\\\\\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069"
_HTTPS = re.compile(f"https://[^/?#{_NOT_IN_URL}]+(?:[/?#][^{_NOT_IN_URL}]*)?", re.I)


def _check_unsubscribe(value: str) -> str:
    """A link that unsubscribes in one click: a merge tag, or an https address. Not
    ``javascript:``, ``data:`` or ``http:``: it is the href of every e-mail's footer link and
    the List-Unsubscribe header that mail clients follow."""
    if not value or MERGE_TAG.fullmatch(value):
        return value
    plain = MERGE_TAG.sub("x", value)
    if not (_HTTPS.fullmatch(plain) and "." in url_host(plain).strip(".")):
        raise ValueError(
            f"'{excerpt(value)}' is not an unsubscribe link: give an https:// address or the "
            'sending platform\'s merge tag ("{{ unsubscribe }}", "*|UNSUB|*"); a mailto: goes '
            "in unsubscribe_mailto"
        )
    return value


def _check_layout(value: str) -> str:
    path = PurePosixPath(value)
    if value and (path.is_absolute() or ".." in path.parts or "\\" in value):
        raise ValueError(f"'{value}' is not a path inside the workspace: write layouts/email.mjml")
    if value and path.suffix != ".mjml":
        raise ValueError(f"'{value}' is not an MJML file: its name ends with .mjml")
    return value


Sender = Annotated[Text, AfterValidator(_check_sender)]
UnsubscribeUrl = Annotated[Text, AfterValidator(_check_unsubscribe)]
Address = Annotated[Text, AfterValidator(_check_address)]
LayoutFile = Annotated[Text, AfterValidator(_check_layout)]


class EmailSettings(StrictModel):
    """How marketing e-mails are sent (`[email]` in mcplan.toml): who sends them, how to
    unsubscribe, and the brand's colour and logo in their HTML."""

    sender: Sender = Field(
        "", description='The From of the e-mails: "Maison Lumen <news@maison-lumen.fr>".'
    )
    reply_to: Sender = Field("", description="Where replies go. Default: the sender.")
    unsubscribe_url: UnsubscribeUrl = Field(
        "",
        description="The one-click unsubscribe link, usually the sending platform's merge "
        'tag, kept as written ("{{ unsubscribe_url }}", "*|UNSUB|*"), or an https URL (merge '
        "tags in it are kept too).",
    )
    unsubscribe_mailto: Address = Field(
        "", description="An address that unsubscribes whoever writes to it."
    )
    color: Colour = Field("#1d4ed8", description="The brand's colour: buttons and links.")
    logo: Url = Field("", description="The brand's logo (https://…), at the top of the HTML.")
    layout: LayoutFile = Field(
        "",
        description="The workspace's own MJML layout for the HTML part (a .mjml file of the "
        "workspace, with Jinja as the bundled one: docs/email.md). Default: the bundled one.",
    )

    @property
    def unsubscribe_link(self) -> str:
        """Where an e-mail's unsubscribe link goes: the URL, else the mailto, else ''."""
        if self.unsubscribe_url:
            return self.unsubscribe_url
        return f"mailto:{self.unsubscribe_mailto}" if self.unsubscribe_mailto else ""


class Settings(StrictModel):
    """Workspace-wide defaults."""

    locale: RegionalLocale = Field(
        "fr-FR",
        description="Default language and region of personas (the region is their country "
        "unless they say otherwise).",
    )
    timezone: TimeZoneName = Field(
        "Europe/Paris", description="Default IANA time zone of personas."
    )
    country: CountryCode | None = Field(
        None,
        description="Default country of personas, whose public holidays and law apply: an ISO "
        "3166 code, or a region of it (ISO 3166-2), like GB-SCT or DE-BY. Default: the "
        "locale's region. A persona whose own locale is of another country keeps that one.",
    )
    currency: CurrencyCode = Field("EUR", description="ISO 4217 currency of costs and budgets.")
    brand: Text = Field("", description="Default brand name of campaigns.")
    pressure: Pressure = Field(
        default_factory=lambda: Pressure(max_per_week=3),
        description="Default contact pressure caps per persona, across every channel and "
        "campaign. Default: at most 3 touches in any 7 days.",
    )
    lint: LintSettings = Field(
        default_factory=LintSettings, description="What `mcplan lint` reports."
    )
    email: EmailSettings = Field(
        default_factory=EmailSettings, description="How marketing e-mails are sent."
    )
    experiments: ExperimentSettings = Field(
        default_factory=ExperimentSettings,
        description="How message tests and holdouts are planned and read.",
    )
