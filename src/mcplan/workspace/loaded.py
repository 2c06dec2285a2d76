"""The loaded workspace: its settings, personas, campaigns and channels as models, where each
value was written, what went wrong, and the questions every later step asks of it (which
personas a touch reaches, a channel under a country's law, the ids a file may name).

:func:`~mcplan.workspace.loader.load_workspace` makes it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path
from typing import Any

from mcplan.findings import Finding
from mcplan.workspace.campaign import Campaign, Touch
from mcplan.workspace.channel import Channel
from mcplan.workspace.countries import ChannelLaw, channel_law, country_of
from mcplan.workspace.fields import Consent
from mcplan.workspace.ids import KnownIds
from mcplan.workspace.journey import Journey
from mcplan.workspace.persona import Persona
from mcplan.workspace.persona_index import PersonaIndex
from mcplan.workspace.reading import SourceLines
from mcplan.workspace.settings import Settings
from mcplan.workspace.sourcemap import KeyPath, SourceMap


@dataclass(frozen=True)
class Loaded:
    """A file's model with the source map that locates each of its values."""

    model: Any
    source: SourceMap
    origin: str = "workspace"  # "bundled", "workspace", or "extends <id>"


@dataclass(frozen=True)
class EmailLayout:
    """The workspace's own MJML layout of its e-mails (`[email] layout`), as read."""

    file: str  # as findings name it
    text: str


@dataclass
class Workspace:
    """A loaded workspace: settings, personas, campaigns, journeys and channels, and what went
    wrong."""

    root: Path
    prefix: str = ""  # before every file name: the workspace's folder seen from the user's
    settings: Settings = field(default_factory=Settings)
    settings_file: str | None = None
    settings_source: SourceMap | None = None  # where each key of the settings file is
    # The keys (or tables, or the whole file: ``()``) the settings file writes that could not
    # be read: a line that is not TOML, a value that is not valid. See `settings_unread`.
    settings_lost: frozenset[KeyPath] = frozenset()
    email_layout: EmailLayout | None = None  # None: the bundled layout
    personas: dict[str, Persona] = field(default_factory=dict)
    campaigns: dict[str, Campaign] = field(default_factory=dict)
    journeys: dict[str, Journey] = field(default_factory=dict)
    channels: dict[str, Channel] = field(default_factory=dict)
    sources: dict[tuple[str, str], Loaded] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    # (folder, id) of files that exist but failed to load: other files may name them without
    # an "unknown id" finding on top of the file's own findings.
    failed: set[tuple[str, str]] = field(default_factory=set)
    files: list[str] = field(default_factory=list)  # every file read, relative to root
    lines: SourceLines = field(init=False)  # their text, read once (snippets, suppressions)
    # What could be read of the files that failed to validate (see `problems.salvaged`): the
    # checks look at it too, so that one run reports every problem.
    salvaged: dict[tuple[str, str], Loaded] = field(default_factory=dict)
    # What each channel's rules take from the workspace's own files (not from the bundled
    # library), as written: it goes over a country's law (see `countries`).
    written: dict[str, dict[str, Any]] = field(default_factory=dict)
    _laws: dict[tuple[str, str | None], ChannelLaw] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )
    _known: dict[str, tuple[tuple[int, ...], KnownIds]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )
    _index: PersonaIndex | None = field(default=None, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self.lines = SourceLines(self.root, self.prefix)

    def path(self, file: str) -> Path:
        """The file a finding or a source map names (``marketing/campaigns/x.yaml``)."""
        return self.root / self.relative(file)

    def display(self, path: Path) -> str:
        """The name findings give a path of the workspace: the inverse of :meth:`path`."""
        return self.prefix + path.relative_to(self.root).as_posix()

    def relative(self, file: str) -> str:
        """A file's name relative to the workspace (``campaigns/x.yaml``), as configuration
        globs and baselines name it."""
        return file.removeprefix(self.prefix)

    def exists(self, folder: str, id_: str) -> bool:
        """Whether a persona/campaign/channel of that id exists, loaded or not."""
        return (folder, id_) in self.sources or (folder, id_) in self.failed

    def settings_unread(self, *path: str) -> bool:
        """Whether the settings file writes ``path`` (or the table that holds it) but it could
        not be read: a finding already says why, and a check that would say the key is missing
        says nothing (its value is not known, not absent)."""
        return any(path[: len(lost)] == lost for lost in self.settings_lost)

    def source(self, kind: str, id_: str) -> SourceMap:
        """The source map of a persona, campaign or channel (``kind`` is its folder name)."""
        return self.sources[(kind, id_)].source

    def targets(self, campaign: Campaign, touch: Touch) -> list[Persona]:
        """The personas a touch reaches: its `personas`, else the campaign's (those that exist)."""
        ids = touch.personas if touch.personas is not None else campaign.personas
        return [self.personas[p] for p in ids if p in self.personas]

    def reached(self, campaign: Campaign, channel_id: str) -> list[Persona]:
        """The campaign's personas its touches on a channel go to (in the campaign's order);
        for a channel it names but does not touch yet, those that list the channel."""
        touches = [t for t in campaign.touches if t.channel == channel_id]
        if touches:
            ids = [p for p in campaign.personas if p in self.personas]
            going = {p.id for t in touches for p in self.targets(campaign, t)}
            return [self.personas[p] for p in ids if p in going]
        return list(self.index().listing(self.personas, campaign.personas, channel_id))

    def index(self) -> PersonaIndex:
        """Each persona's locale and country, and who lists a channel, read once (see
        `persona_index`); read again when the personas or the workspace's locale change."""
        if self._index is None or not self._index.indexes(self.personas, self.settings.locale):
            self._index = PersonaIndex.of(self.personas, self.settings.locale)
        return self._index

    def persona_locale(self, persona: Persona) -> str:
        """The locale a persona reads: its own, else the workspace's."""
        return persona.locale or self.settings.locale

    def core_locale(self, campaign: Campaign) -> str:
        """The language of a campaign's core message: its own, else the workspace's."""
        return campaign.locale or self.settings.locale

    def campaign_channels(self, campaign: Campaign) -> list[str]:
        """The channels a campaign uses: its `channels`, then those its touches name; without
        either (the plan is not made yet), every channel its personas use. Known ones only."""
        chosen = campaign.named_channels
        if not chosen:
            personas = [self.personas[p] for p in campaign.personas if p in self.personas]
            chosen = list(dict.fromkeys(chain.from_iterable(p.channels for p in personas)))
        return [c for c in chosen if c in self.channels]

    def channel_lookup(self) -> dict[str, str]:
        """What an export may call each channel, folded to lower case → channel id.

        The channel's name (in any language it has one), or its id (which is also the
        utm_source of its links); ids win over names, and of two channels with the same name
        the first id wins.
        """
        known = self.known("channel_rules")
        return {k.casefold(): v for k, v in known.items() if v in self.channels}

    def known(self, folder: str) -> KnownIds:
        """{id or name: id} of the personas or channels (``folder``), those whose file failed
        to load included, for a did-you-mean; ids win over names, and of two with the same
        name the first id. Made once (a check asks for every unknown id it finds)."""
        models: Mapping[str, Persona | Channel] = (
            self.personas if folder == "personas" else self.channels
        )
        made_of = (len(models), len(self.sources), len(self.failed))
        if folder in self._known and self._known[folder][0] == made_of:
            return self._known[folder][1]
        names: dict[str, str] = {}
        for id_, model in sorted(models.items()):
            for name in (model.name, *getattr(model, "names", {}).values()):  # a channel's
                if name.strip():
                    names.setdefault(name.strip(), id_)
        ids = [id_ for f, id_ in (*self.sources, *self.failed) if f == folder]
        known = KnownIds(names | {id_: id_ for id_ in sorted(ids)})
        self._known[folder] = (made_of, known)
        return known

    def checked(self) -> Workspace:
        """The workspace as the checks see it: with what could be read of the files that have
        errors (the commands that plan, render or write leave those files out)."""
        if not self.salvaged:
            return self
        kinds: dict[str, dict[str, Any]] = {
            "personas": dict(self.personas),
            "campaigns": dict(self.campaigns),
            "journeys": dict(self.journeys),
            "channel_rules": dict(self.channels),
        }
        for (folder, id_), loaded in self.salvaged.items():
            kinds[folder][id_] = loaded.model
        return dataclasses.replace(
            self,
            personas=kinds["personas"],
            campaigns=kinds["campaigns"],
            journeys=kinds["journeys"],
            channels=dict(sorted(kinds["channel_rules"].items())),
            sources={**self.sources, **self.salvaged},
            salvaged={},
        )

    def law(self, channel_id: str, persona: Persona) -> ChannelLaw:
        """The channel as ``persona``'s country's law leaves it: its generic settings with the
        law over them (see `countries`)."""
        return self.law_in(channel_id, country_of(persona))

    def law_in(self, channel_id: str, country: str | None) -> ChannelLaw:
        """The channel under ``country``'s law (None: its generic settings), with the
        workspace's own keys over the law's; computed once per channel and country."""
        key = (channel_id, country)
        if key not in self._laws:
            written = self.written.get(channel_id, {})
            self._laws[key] = channel_law(self.channels[channel_id], country, written)
        return self._laws[key]

    def consent_needed(self, persona: Persona, channel_id: str) -> Consent:
        """The consent ``persona`` needs on a channel, in its market, under its country's law."""
        needed: Consent = getattr(
            self.law(channel_id, persona).channel.consent, persona.market.value
        )
        return needed

    def consents(self, persona: Persona, channel_id: str) -> bool:
        """Whether ``persona`` has the consent a channel it lists needs (see
        :meth:`consent_needed`)."""
        needed = self.consent_needed(persona, channel_id)
        return persona.channels[channel_id].consent.satisfies(needed)

    def origin(self, channel_id: str) -> str:
        """Where a channel's rules come from: bundled, workspace, or ``extends <id>``."""
        return self.sources[("channel_rules", channel_id)].origin


__all__ = ["EmailLayout", "Loaded", "Workspace"]
