"""Templates (T): a channel's template parts, compiled in the sandbox and run, every failure a
finding at the template's own file and line.

A channel's parts come from its rules (bundled or the workspace's), replaced part by part by
the campaign's `templates`. A template that does not compile, reads a variable that does not
exist, does what the sandbox refuses or fails on a value stops its version from rendering:
`mcplan render` exits with 1, and `mcplan lint` reports it once (a broken channel template
fails in every campaign that uses it).
"""

from __future__ import annotations

import hashlib
import re
import traceback
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from jinja2 import TemplateSyntaxError, UndefinedError
from jinja2.exceptions import SecurityError

from mcplan import rule_examples
from mcplan.findings import Family, Finding, Level, Location, Rule, Subject
from mcplan.printable import excerpt
from mcplan.render import measure
from mcplan.suggest import did_you_mean
from mcplan.workspace import Campaign, Channel, EmailLayout, Workspace
from mcplan.workspace.sourcemap import KeyPath, SourceMap, format_path

if TYPE_CHECKING:
    from mcplan.lint.context import LintContext
    from mcplan.render import sandbox
else:  # the sandbox, its filters and babel: only when a template is compiled (not `validate`)
    from mcplan.lazy import lazy

    sandbox = lazy("mcplan.render.sandbox")

MAX_QUOTED = 300  # characters of an error's message in a finding
_ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+")

VARIABLES_HINT = (
    "template variables: m (the message), campaign, brand, persona, channel, link, and in "
    "e-mails unsubscribe"
)


def _sms_template(template: str, price: str = "") -> str:
    message = (
        rule_examples.NOEL.replace("}", f", price: {price}}}") if price else rule_examples.NOEL
    )
    more = f'templates:\n  sms: "{template}"\n'
    return rule_examples.campaign("sms 2027-12-02T10:00", message=message, more=more)


TEMPLATE_SYNTAX = Rule(
    "T101",
    "template-syntax",
    Level.ERROR,
    "A template is not valid Jinja.",
    hint="check the {{ }} and {% %} tags around this line",
    fails=_sms_template("{{ m.headline } STOP au 36111"),
    passes=_sms_template("{{ m.headline }} STOP au 36111"),
)
UNDEFINED_VARIABLE = Rule(
    "T102",
    "undefined-variable",
    Level.ERROR,
    "A template uses a variable or key that does not exist.",
    hint=VARIABLES_HINT,
    details="Undefined variables are errors, never empty text: a typo would otherwise go out "
    "to every contact as a blank.",
    fails=_sms_template("{{ m.headlin }} STOP au 36111"),
    passes=_sms_template("{{ m.headline }} STOP au 36111"),
)
UNSAFE_TEMPLATE = Rule(
    "T103",
    "unsafe-template",
    Level.ERROR,
    "A template does what the sandbox refuses: private attributes, includes, macros, huge "
    "loops or output.",
    hint="keep channel templates to text, {{ values }}, filters, if and for",
    fails=_sms_template("{{ m.__class__ }} STOP au 36111"),
    passes=_sms_template("{{ m.headline | upper }} STOP au 36111"),
)
TEMPLATE_ERROR = Rule(
    "T104",
    "template-error",
    Level.ERROR,
    "A template fails while rendering (a bad value).",
    fails=_sms_template("{{ m.headline }} à {{ m.price | money }} STOP au 36111", "gratuit"),
    passes=_sms_template("{{ m.headline }} à {{ m.price | money }} STOP au 36111", '"29.90"'),
)

_JAN = """
# personas/jan.yaml
name: Jan
market: b2c
size: 1000
stage: loyalty
locale: nl-BE
channels:
  email: {reach: 0.9, affinity: 0.6, consent: opt_in}
"""
_BILINGUAL = """
# campaigns/noel.yaml
personas: [marie, jan]
message: {headline: Joyeux Noël, starts: 2027-12-01, ends: 2027-12-24}
touches:
  - {channel: email, at: 2027-12-02T10:00}
"""
MISSING_TRANSLATION = Rule(
    "T105",
    "missing-translation",
    Level.ERROR,
    "A persona reads a language the campaign has no copy in.",
    hint="add a `locales` entry for its language (message, and variants or templates where "
    "the campaign has them), or take the persona out of the campaign",
    details="A persona reads the `locales` entry of its locale (nl-BE), else of its language "
    "(nl), else the core message when it is in its language (`locale:` of the campaign, "
    "default the workspace's). It never gets another language's copy: without a translation "
    "it gets no version, and this error.",
    fails=_JAN + _BILINGUAL,
    passes=_JAN + _BILINGUAL + "locales:\n  nl: {message: {headline: Vrolijk kerstfeest}}\n",
)
NO_TEMPLATE_IN_LANGUAGE = Rule(
    "T106",
    "no-template-in-language",
    Level.ERROR,
    "A channel has no template in a persona's language.",
    hint="give the channel a template in that language (`locales: {LANG: {template: …}}` in "
    "its file, or a file that `extends` it), or the campaign one (`templates:` in its "
    "`locales` entry)",
    details="Bundled channels have templates in French, English, Dutch, German, Spanish and "
    "Italian. A workspace's own channel file is in the workspace's language unless it says "
    "`locale:`; its other languages are `locales` entries.",
    fails=_JAN.replace("nl-BE", "pl-PL")
    + _BILINGUAL.replace("marie, jan", "jan")
    + "locales:\n  pl: {message: {headline: Wesołych Świąt}}\n",
    passes=_JAN.replace("nl-BE", "pl-PL")
    + _BILINGUAL.replace("marie, jan", "jan")
    + "locales:\n  pl:\n    message: {headline: Wesołych Świąt}\n    templates:\n"
    "      email: {subject: '{{ m.headline }}', body: '{{ m.headline }}. Wypisz się tutaj.'}\n"
    "\n# channel_rules/email.yaml\nextends: email\nlocales:\n  pl:\n    must_contain:\n"
    "      - {pattern: wypisz, ignore_case: true, why: 'ePrivacy art. 13: a free way to object'}\n",
)

RULES = (
    TEMPLATE_SYNTAX,
    UNDEFINED_VARIABLE,
    UNSAFE_TEMPLATE,
    TEMPLATE_ERROR,
    MISSING_TRANSLATION,
    NO_TEMPLATE_IN_LANGUAGE,
)


class TemplateProblem(Exception):
    """A template part that cannot be compiled or run; carries the finding."""

    def __init__(self, finding: Finding) -> None:
        super().__init__(finding.message)
        self.finding = finding


@dataclass(frozen=True)
class Template:
    """One template part, compiled, with where its text is written."""

    compiled: Any
    uses_persona: bool
    source: SourceMap
    path: KeyPath
    subject: Subject


def parts(
    value: str | dict[str, str], path: KeyPath, single: str
) -> list[tuple[str, str, KeyPath]]:
    """(part name, text, path) of a template or variant: one text, or a mapping of parts."""
    if isinstance(value, str):
        return [(single, value, path)] if value else []
    return [(name, text, (*path, name)) for name, text in value.items()]


def compile_parts(
    workspace: Workspace, campaign: Campaign, channel: Channel, locale: str | None = None
) -> dict[str, Template]:
    """The channel's template parts in ``locale`` (default: the campaign's), with the
    campaign's replacements in that language (its `templates` for its own language, its
    `locales` entry's for another), compiled.

    Empty when the channel has no template in that language and the campaign gives none.
    Raises :class:`TemplateProblem` for the first part that does not compile.
    """
    locale = locale or workspace.core_locale(campaign)
    key, template = channel.localized(locale)
    channel_source = workspace.source("channel_rules", channel.id)
    base: KeyPath = ("locales", key, "template") if key else ("template",)
    sources: dict[str, tuple[str, SourceMap, KeyPath]] = {}
    for name, text, path in parts(template, base, "text"):
        sources[name] = (text, channel_source, path)
    # The campaign's templates are in its language; a translation has its own.
    own, own_path = campaign.own("templates", channel.id, locale)
    if own is not None:
        campaign_source = workspace.source(campaign.FOLDER, campaign.id)
        main = measure.main_part(list(sources) or list(channel.parts))
        for name, text, path in parts(own, own_path, main):
            sources[name] = (text, campaign_source, path)
    return {
        name: _compile(text, source, path, campaign.subject(channel=channel.id, part=name))
        for name, (text, source, path) in sources.items()
    }


def compile_arms(workspace: Workspace, campaign: Campaign, channel: Channel) -> dict[str, Template]:
    """The arms of the campaign's test of ``channel``, by arm id, each compiled as a template
    of the part it replaces (empty when the channel has no test).

    Raises :class:`TemplateProblem` for the first arm that does not compile.
    """
    test = campaign.test_on(channel.id)
    if test is None:
        return {}
    source = workspace.source(campaign.FOLDER, campaign.id)
    index = campaign.tests.index(test)
    return {
        arm: _compile(
            text,
            source,
            ("tests", index, "arms", arm),
            campaign.subject(channel=channel.id, part=test.part, arm=arm),
        )
        for arm, text in test.arms.items()
    }


def compile_layout(layout: EmailLayout, subject: Subject) -> Template:
    """The workspace's e-mail layout, compiled in the sandbox with every value escaped.

    Raises :class:`TemplateProblem` when it does not compile, at its line in the layout file.
    """
    return _compile(layout.text, SourceMap(layout.file), ("layout",), subject, markup=True)


def _compile(
    text: str, source: SourceMap, path: KeyPath, subject: Subject, *, markup: bool = False
) -> Template:
    digest = hashlib.sha256(text.encode()).hexdigest()[:16]
    name = f"{source.file}#{format_path(path)}@{digest}"
    try:
        compiled, variables = sandbox.compile_template(text, name, markup=markup)
    except TemplateSyntaxError as exc:
        message = excerpt(exc.message or str(exc), MAX_QUOTED)
        raise _problem(TEMPLATE_SYNTAX, source, path, exc.lineno, message, subject) from exc
    except sandbox.TemplateRejected as exc:  # it may name an attribute of the template's
        message = _quoted(exc)
        raise _problem(UNSAFE_TEMPLATE, source, path, exc.lineno, message, subject) from exc
    except (RecursionError, SyntaxError) as exc:  # Python's limits on the code Jinja writes
        message = "the template nests too deeply"
        raise _problem(UNSAFE_TEMPLATE, source, path, 1, message, subject) from exc
    return Template(compiled, "persona" in variables, source, path, subject)


def run(template: Template, context: dict[str, Any]) -> str:
    """The template's output; raises :class:`TemplateProblem` when it fails."""
    error: BaseException
    try:
        return sandbox.render_bounded(template.compiled, context)
    except UndefinedError as exc:
        meant = _meant(exc.message or "", context)
        rule, message, error = UNDEFINED_VARIABLE, f"undefined: {_quoted(exc)}{meant}", exc
    except SecurityError as exc:
        rule, message, error = UNSAFE_TEMPLATE, f"refused: {_quoted(exc)}", exc
    except RecursionError as exc:
        rule, message, error = UNSAFE_TEMPLATE, "refused: the template recurses too deeply", exc
    except Exception as exc:  # a filter given a bad value, a division by zero…
        rule, message, error = TEMPLATE_ERROR, f"{type(exc).__name__}: {_quoted(exc)}", exc
    line = _line_of(error, template.compiled.filename)
    raise _problem(rule, template.source, template.path, line, message, template.subject)


def _quoted(error: BaseException) -> str:
    """An error's message as a finding quotes it: bounded and printable (it may quote a value
    of the template's, of any size), without the addresses of Python's notation
    (``<… object at 0x7f…>``)."""
    return excerpt(_ADDRESS.sub("", str(error)[: MAX_QUOTED * 2]), MAX_QUOTED)


def _meant(message: str, context: dict[str, Any]) -> str:
    """`` (did you mean 'headline'?)`` for a mistyped variable or key, from Jinja's message."""
    if match := re.search(r"has no attribute '([^']+)'", message):
        keys = [k for value in context.values() if isinstance(value, dict) for k in value]
        return did_you_mean(match[1], keys)
    if match := re.fullmatch(r"'([^']+)' is undefined", message):
        return did_you_mean(match[1], context)
    return ""


def _problem(
    rule: Rule,
    source: SourceMap,
    path: KeyPath,
    lineno: int | None,
    message: str,
    subject: Subject,
) -> TemplateProblem:
    start = source.locate(path)
    where = Location(start.file, start.line + (lineno or 1) - 1, start.column)
    return TemplateProblem(rule(where, f"{format_path(path)}: {message}", subject=subject))


def _line_of(error: BaseException, filename: str) -> int | None:
    """The template line where ``error`` happened, from Jinja's rewritten traceback."""
    lines = [n for frame, n in traceback.walk_tb(error.__traceback__)
             if frame.f_code.co_filename == filename]  # fmt: skip
    return lines[-1] if lines else None


def check_campaign(context: LintContext, campaign: str) -> Iterator[Finding]:
    """Every template that fails in the campaign's versions, as its rendering found it."""
    yield from context.rendering(campaign).findings


def first_of_each(findings: Iterable[Finding]) -> Iterator[Finding]:
    """The first of each: a broken channel template fails in every campaign."""
    seen = set()
    for item in findings:
        key = (item.location, item.rule, item.message)
        if key not in seen:
            seen.add(key)
            yield item


FAMILY = Family(
    "T",
    "templates",
    "every template part compiles in the sandbox and runs, in every language it is read in",
    __doc__ or "",
    RULES,
    check_campaign=check_campaign,
    merge=first_of_each,
)
