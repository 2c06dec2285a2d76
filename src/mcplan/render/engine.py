"""Render one campaign's core message into a version per channel (and per persona if needed).

A channel's template parts come from its rules (bundled or the workspace's), replaced part by
part by the campaign's `templates`; a hand-written `variants` text replaces the rendered part
outright. A version is rendered once for all the campaign's personas on that channel, or once
per persona when a template uses `persona` or when the personas do not share a locale.
"""

from __future__ import annotations

import hashlib
import traceback
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from babel import Locale
from jinja2 import TemplateSyntaxError, UndefinedError
from jinja2.exceptions import SecurityError

from mcplan.errors import UsageError
from mcplan.findings import Finding, Level, Location
from mcplan.render import links, measure, sandbox
from mcplan.render.filters import RenderState, rendering
from mcplan.suggest import did_you_mean
from mcplan.workspace import Campaign, Channel, Persona, Workspace
from mcplan.workspace.yamlsource import KeyPath, SourceMap, format_path

TEMPLATE_SYNTAX = "T101"
UNDEFINED_VARIABLE = "T102"
UNSAFE_TEMPLATE = "T103"
TEMPLATE_ERROR = "T104"


@dataclass(frozen=True)
class Part:
    """One named part of a version (an email's subject, an SMS's text…)."""

    name: str
    text: str
    measures: measure.Measures
    origin: str  # "template" or "variant"


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
    checks: tuple[measure.Check, ...]
    gsm_changes: tuple[tuple[str, str, int], ...] = ()  # (from, to, times) by the gsm filter

    @property
    def key(self) -> str:
        """``sms`` or ``sms--marie-citadine``: unique within a rendering, safe as a file name."""
        return self.channel if self.persona is None else f"{self.channel}--{self.persona}"

    @property
    def label(self) -> str:
        """`sms`, or `sms (marie-citadine)` for a version rendered for one persona."""
        return self.channel if self.persona is None else f"{self.channel} ({self.persona})"

    def text(self, part: str) -> str:
        return next((p.text for p in self.parts if p.name == part), "")


@dataclass
class Rendering:
    """Every version of a campaign, and the template problems that stopped some of them."""

    campaign: Campaign
    versions: list[Version] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)


@dataclass(frozen=True)
class _Template:
    """One template part, compiled, with where its text is written."""

    compiled: Any
    uses_persona: bool
    source: SourceMap
    path: KeyPath


def campaign_channels(workspace: Workspace, campaign: Campaign) -> list[str]:
    """The channels a campaign uses: its `channels`, then those its touches name.

    Without either (the plan is not made yet), every channel its personas use.
    """
    chosen = list(
        dict.fromkeys([*(campaign.channels or []), *(t.channel for t in campaign.touches)])
    )
    if not chosen:
        personas = [workspace.personas[p] for p in campaign.personas if p in workspace.personas]
        chosen = list(dict.fromkeys(c for p in personas for c in p.channels))
    return [c for c in chosen if c in workspace.channels]


def render_campaign(
    workspace: Workspace,
    campaign_id: str,
    *,
    channels: Sequence[str] | None = None,
    personas: Sequence[str] | None = None,
) -> Rendering:
    """Render ``campaign_id`` for ``channels`` (default: the campaign's) and its personas.

    ``personas`` limits the rendering to those personas and renders one version for each.
    Raises :class:`UsageError` for an unknown campaign, channel or persona.
    """
    campaign = _lookup(workspace.campaigns, campaign_id, "campaign", workspace)
    for channel_id in channels or []:
        _lookup(workspace.channels, channel_id, "channel", workspace)
    for persona_id in personas or []:
        _lookup(workspace.personas, persona_id, "persona", workspace)
    rendering = Rendering(campaign)
    for channel_id in channels or campaign_channels(workspace, campaign):
        channel = workspace.channels[channel_id]
        try:
            templates = _templates(workspace, campaign, channel)
        except _Problem as problem:
            rendering.findings.append(problem.finding)
            continue
        for targets, per_persona in _audiences(workspace, campaign, channel, templates, personas):
            try:
                rendering.versions.append(
                    _render(workspace, campaign, channel, templates, targets, per_persona)
                )
            except _Problem as problem:
                rendering.findings.append(problem.finding)
                break  # the same template would fail for the next persona too
    rendering.findings.sort()
    return rendering


def _lookup(collection: dict[str, Any], id_: str, kind: str, workspace: Workspace) -> Any:
    if id_ in collection:
        return collection[id_]
    folder = {"campaign": "campaigns", "persona": "personas", "channel": "channel_rules"}[kind]
    if workspace.exists(folder, id_):
        raise UsageError(f"{kind} '{id_}' has errors; run `mcplan validate` to see them")
    raise UsageError(f"unknown {kind} '{id_}'{did_you_mean(id_, collection)}")


class _Problem(Exception):
    def __init__(self, finding: Finding) -> None:
        super().__init__(finding.message)
        self.finding = finding


# -- templates ------------------------------------------------------------------------------


def _templates(workspace: Workspace, campaign: Campaign, channel: Channel) -> dict[str, _Template]:
    """The channel's template parts, with the campaign's replacements, compiled."""
    channel_source = workspace.source("channel_rules", channel.id)
    sources: dict[str, tuple[str, SourceMap, KeyPath]] = {}
    for name, text, path in _parts(channel.template, ("template",)):
        sources[name] = (text, channel_source, path)
    if channel.id in campaign.templates:
        campaign_source = workspace.source("campaigns", campaign.id)
        main = measure.main_part(list(sources))
        own = _parts(campaign.templates[channel.id], ("templates", channel.id), main)
        for name, text, path in own:
            sources[name] = (text, campaign_source, path)
    return {
        name: _compile(text, source, path, channel.id)
        for name, (text, source, path) in sources.items()
    }


def _parts(
    value: str | dict[str, str], path: KeyPath, single: str = "text"
) -> list[tuple[str, str, KeyPath]]:
    """(part name, text, path) of a template or variant: one text, or a mapping of parts."""
    if isinstance(value, str):
        return [(single, value, path)] if value else []
    return [(name, text, (*path, name)) for name, text in value.items()]


def _compile(text: str, source: SourceMap, path: KeyPath, channel_id: str) -> _Template:
    digest = hashlib.sha256(text.encode()).hexdigest()[:16]
    name = f"{source.file}#{format_path(path)}@{digest}"
    try:
        compiled, variables = sandbox.compile_template(text, name)
    except TemplateSyntaxError as exc:
        raise _Problem(
            _template_finding(source, path, exc.lineno, TEMPLATE_SYNTAX, exc.message or str(exc))
        ) from exc
    except sandbox.TemplateRejected as exc:
        raise _Problem(
            _template_finding(source, path, exc.lineno, UNSAFE_TEMPLATE, str(exc))
        ) from exc
    except RecursionError as exc:
        raise _Problem(
            _template_finding(source, path, 1, UNSAFE_TEMPLATE, "the template nests too deeply")
        ) from exc
    return _Template(compiled, "persona" in variables, source, path)


def _template_finding(
    source: SourceMap, path: KeyPath, lineno: int | None, rule: str, message: str
) -> Finding:
    start = source.locate(path)
    where = Location(start.file, start.line + (lineno or 1) - 1, start.column)
    level = Level.ERROR
    hint = {
        TEMPLATE_SYNTAX: "check the {{ }} and {% %} tags around this line",
        UNDEFINED_VARIABLE: "template variables: m (the message), campaign, brand, persona, "
        "channel, link",
        UNSAFE_TEMPLATE: "keep channel templates to text, {{ values }}, filters, if and for",
    }.get(rule, "")
    return Finding(where, rule, level, f"{format_path(path)}: {message}", hint)


# -- audiences and rendering ----------------------------------------------------------------


def _audiences(
    workspace: Workspace,
    campaign: Campaign,
    channel: Channel,
    templates: dict[str, _Template],
    only: Sequence[str] | None,
) -> Iterable[tuple[list[Persona], bool]]:
    """Who each version is for, and whether it is rendered per persona."""
    if only:
        targets = [workspace.personas[p] for p in only]
        return [([p], True) for p in targets]
    ids = [p for p in campaign.personas if p in workspace.personas]
    reached = {p for t in campaign.touches if t.channel == channel.id for p in t.personas or ids}
    targets = [
        workspace.personas[p]
        for p in ids
        if channel.id in workspace.personas[p].channels or p in reached
    ]
    locales = {p.locale for p in targets}
    if any(t.uses_persona for t in templates.values()) or len(locales) > 1:
        return [([p], True) for p in targets]
    return [(targets, False)]


def _render(
    workspace: Workspace,
    campaign: Campaign,
    channel: Channel,
    templates: dict[str, _Template],
    targets: list[Persona],
    per_persona: bool,
) -> Version:
    persona = targets[0] if per_persona else None
    locale_name = targets[0].locale if targets and targets[0].locale else workspace.settings.locale
    link = links.tag(
        campaign.message.url,
        source=channel.id,
        medium=channel.utm_medium or channel.id,
        campaign=campaign.id,
    )
    context: dict[str, Any] = {
        "m": {**campaign.message.model_dump(), **(campaign.message.model_extra or {})},
        "campaign": {
            "id": campaign.id,
            "name": campaign.name,
            "description": campaign.description,
            "brand": campaign.brand,
            "starts": campaign.first_day,
            "ends": campaign.last_day,
        },
        "brand": campaign.brand,
        "channel": {"id": channel.id, "name": channel.name},
        "link": link,
    }
    if persona is not None:
        context["persona"] = persona.model_dump(mode="json", exclude={"channels", "pressure"})
    state = RenderState(
        locale=Locale.parse(locale_name, sep="-"),
        currency=workspace.settings.currency,
        gsm_safe=channel.limits.segments is not None,
    )
    texts: dict[str, str] = {}
    origins: dict[str, str] = {}
    with rendering(state):
        for name, template in templates.items():
            texts[name] = _run(template, context).strip()
            origins[name] = "template"
    if channel.id in campaign.variants:
        main = measure.main_part(list(texts))
        for name, text, _ in _parts(campaign.variants[channel.id], ("variants",), main):
            texts[name] = text.strip()
            origins[name] = "variant"
    main = measure.main_part(list(texts))
    measures = {name: measure.measure(text, channel, name, main) for name, text in texts.items()}
    return Version(
        campaign=campaign.id,
        channel=channel.id,
        persona=persona.id if persona else None,
        personas=tuple(p.id for p in targets),
        locale=locale_name,
        link=link,
        parts=tuple(Part(n, texts[n], measures[n], origins[n]) for n in texts),
        checks=tuple(measure.check(channel, texts, measures)),
        gsm_changes=tuple((a, b, n) for (a, b), n in sorted(state.gsm_changes.items())),
    )


def _run(template: _Template, context: dict[str, Any]) -> str:
    error: BaseException
    try:
        return sandbox.render_bounded(template.compiled, context)
    except UndefinedError as exc:
        rule, message, error = UNDEFINED_VARIABLE, f"undefined: {exc.message}", exc
    except SecurityError as exc:
        rule, message, error = UNSAFE_TEMPLATE, f"refused: {exc}", exc
    except RecursionError as exc:
        rule, message, error = UNSAFE_TEMPLATE, "refused: the template recurses too deeply", exc
    except Exception as exc:  # a filter given a bad value, a division by zero…
        rule, message, error = TEMPLATE_ERROR, f"{type(exc).__name__}: {exc}", exc
    line = _line_of(error, template.compiled.filename)
    raise _Problem(_template_finding(template.source, template.path, line, rule, message))


def _line_of(error: BaseException, filename: str) -> int | None:
    """The template line where ``error`` happened, from Jinja's rewritten traceback."""
    lines = [n for frame, n in traceback.walk_tb(error.__traceback__)
             if frame.f_code.co_filename == filename]  # fmt: skip
    return lines[-1] if lines else None
