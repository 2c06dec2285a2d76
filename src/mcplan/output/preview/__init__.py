"""`mcplan preview`: one self-contained HTML page showing every version of a rendered campaign.

Each version gets a card: a mockup of how the channel shows it (a phone's SMS thread, a mail
client, a social post, a lock screen…) beside its measures, its limit checks and its findings.

The page speaks the workspace's language (`settings.locale`: its words, dates and numbers);
each mockup speaks its version's, as the reader's own apps would. Every word the page writes
itself is in one catalogue, :mod:`mcplan.words`; findings keep their rules'
messages.

A journey's page shows its diagram (:mod:`.diagram`) and its steps as a list above the cards,
and the cards of each send step under a heading, the anchor its box links to.

The page is our own Jinja template (package data, not a user template), rendered with
autoescaping on: every text that comes from the workspace is escaped by Jinja, and nothing is
marked safe (the journey's SVG is a second template of the same kind, which the page
includes). Links are built from that escaped text, and only for http(s) URLs. The page has no
script and loads nothing: its Content-Security-Policy allows inline styles and data: images only.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import jinja2

from mcplan.errors import McplanError, UsageError
from mcplan.findings import Finding
from mcplan.lint.engine import lint
from mcplan.output.preview import text
from mcplan.output.preview.cards import Card, card, note
from mcplan.output.preview.diagram import Drawing, journey_diagram, svg_template
from mcplan.output.preview.diagram.steps import SendNode, sends_of
from mcplan.packaged import template
from mcplan.plan.journey import JourneyForecast, forecast_journey
from mcplan.render.engine import Rendering, Version
from mcplan.render.steps import render_any
from mcplan.words import Reader
from mcplan.workspace import Campaign, Experiment, Workspace
from mcplan.workspace.journey import Journey
from mcplan.writing import write_file


def preview_html(
    workspace: Workspace,
    rendering: Rendering,
    *,
    findings: Mapping[str, Sequence[Finding]] | None = None,
    drawing: Drawing | None = None,
) -> str:
    """One self-contained HTML page showing every version of a rendered campaign or journey.

    ``findings`` (by version key) are listed in that version's card, after its failed checks:
    the place for lint findings. A journey's diagram (``drawing``, default: drawn with its
    forecast) is shown above the cards, which come under a heading per send step (its anchor,
    ``#step-ID``, is where the diagram's boxes link).
    """
    campaign = rendering.campaign
    reader = Reader.of(workspace.settings.locale)
    journey = rendering.journey
    if drawing is None and journey is not None:
        drawing = journey_drawing(workspace, journey, reader)
    cards = [
        card(workspace, rendering.campaign_of(v), v, (findings or {}).get(v.key, ()), reader)
        for v in rendering.versions
    ]
    heads = {node.step: node for node in sends_of(drawing.tree)} if drawing else {}
    return _template().render(
        groups=_groups(campaign, cards, heads),
        drawing=drawing,
        diagram_template=svg_template(),
        anchors={c.step for c in cards if c.step},
        lang=reader.language,
        t=reader.words,
        part_name=reader.part,
        campaign=campaign,
        title=campaign.name or campaign.id,
        brand=campaign.brand or campaign.name or campaign.id,
        eyebrow=reader.words["journey_preview" if journey else "campaign_preview"],
        dates=_dates(*_period(campaign, journey), reader),
        message=campaign.message,
        template_findings=[note(f) for f in rendering.findings],
        cards=cards,
    )


@dataclass(frozen=True)
class Group:
    """Cards shown together: one version, or the arms of a test side by side."""

    cards: list[Card]
    test: Experiment | None = None
    step: SendNode | None = None  # a journey's send step, whose first cards these are


def _groups(
    campaign: Campaign, cards: list[Card], heads: Mapping[str, SendNode] | None = None
) -> list[Group]:
    """The cards in order, the arms of one test for one audience in one group; the first
    group of each of a journey's send steps (``heads``) carries the step's heading."""
    groups: list[Group] = []
    headed: set[str] = set()
    for one in cards:
        version = one.version
        head = (heads or {}).get(one.step) if one.step not in headed else None
        headed.add(one.step)
        last = groups[-1].cards[-1] if groups else None
        same = last is not None and (last.version.channel, last.version.persona, last.step) == (
            version.channel,
            version.persona,
            one.step,
        )
        if version.arm is not None and same and groups[-1].test is not None:
            groups[-1].cards.append(one)
        elif version.arm is not None:
            groups.append(Group([one], campaign.test_on(version.channel), head))
        else:
            groups.append(Group([one], step=head))
    return groups


def write_preview(
    workspace: Workspace,
    campaign: str,
    target: Path,
    *,
    channels: Sequence[str] | None = None,
    personas: Sequence[str] | None = None,
    force: bool = False,
) -> Rendering:
    """Render a campaign, lint the workspace, and write the page with each version's findings
    into ``target`` (never over an existing file unless ``force``)."""
    rendering = render_any(workspace, campaign, channels=channels, personas=personas)
    if os.path.lexists(target) and not force:  # before the lint; write_file checks again
        raise UsageError(f"{target} already exists; add --force to overwrite it")
    beside = findings_by_version(lint(workspace).findings, rendering)
    write_file(
        target,
        preview_html(workspace, rendering, findings=beside),
        force=force,
        root=workspace.root,
    )
    return rendering


def findings_by_version(
    findings: Sequence[Finding], rendering: Rendering
) -> dict[str, list[Finding]]:
    """The lint findings about each version's text, by version key.

    A finding is about a version's text when its subject names a part, the version's campaign
    and channel, and (when it names one) a persona the version is for.
    """
    by_key: dict[str, list[Finding]] = {}
    for version in rendering.versions:
        mine = [f for f in findings if _about(f, version)]
        if mine:
            by_key[version.key] = mine
    return by_key


def _about(finding: Finding, version: Version) -> bool:
    subject = finding.subject
    return (
        subject.part is not None
        and (subject.campaign, subject.journey, subject.step) == _whose(version)
        and subject.channel == version.channel
        and (subject.persona is None or subject.persona in version.personas)
        and (version.persona is None or subject.persona in (None, version.persona))
        and subject.arm in (None, version.arm)
    )


def _whose(version: Version) -> tuple[str | None, str | None, str | None]:
    """The campaign, or the journey and step, a finding about ``version`` names."""
    if version.step is None:
        return version.campaign, None, None
    return None, version.campaign, version.step


def _template() -> jinja2.Template:
    return template(
        "mcplan.output.preview",
        "page.html.j2",
        paragraphs=text.paragraphs,
        lines=text.lines,
        cut=text.cut,
        banner=text.banner,
        initials=text.initials,
        handle=text.handle,
        fill=_fill,
    )


def _fill(template: str, **values: object) -> str:
    """``{{ t.for_audience | fill(audience=…) }}``: a catalogue text with its placeholders
    filled (the result is escaped like any other text)."""
    return template.format(**values)


def journey_drawing(workspace: Workspace, journey: Journey, reader: Reader) -> Drawing:
    """The journey's diagram with its forecast's weekly sends (unknown for a journey the
    forecast refuses, whose problem validate reports)."""
    try:
        forecast: JourneyForecast | None = forecast_journey(workspace, journey)
    except McplanError:
        forecast = None
    return journey_diagram(workspace, journey, forecast, reader)


def _period(campaign: Campaign, journey: Journey | None) -> tuple[date | None, date | None]:
    """When the campaign runs, or the journey is live."""
    if journey is not None:
        return journey.entry.from_, journey.entry.until
    return campaign.first_day, campaign.last_day


def _dates(first_day: date | None, last_day: date | None, reader: Reader) -> str:
    """When the campaign runs, as a sentence of the page's language: "du … au …"."""
    first = reader.long_date(first_day) if first_day else ""
    last = reader.long_date(last_day) if last_day else ""
    if first and last:
        return reader.say("dates_from_to", first=first, last=last)
    if first:
        return reader.say("dates_from", first=first)
    if last:
        return reader.say("dates_until", last=last)
    return ""
