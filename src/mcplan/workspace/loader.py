"""Find a workspace folder and load it into validated models, with every problem located.

Loading never stops at the first problem: a file that cannot be read or validated becomes a
finding and the rest of the workspace is still loaded, so one run reports everything.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from mcplan import numbers
from mcplan.errors import WorkspaceNotFoundError
from mcplan.findings import Finding, Location, Related
from mcplan.workspace import reading
from mcplan.workspace.campaign import Campaign, Touch
from mcplan.workspace.channel import Channel
from mcplan.workspace.countries import ChannelLaw, channel_law, country_of
from mcplan.workspace.fields import KNOWN_IDS, KnownIds, source_text
from mcplan.workspace.library import (
    BUNDLED_PREFIX,
    MONEY_KEYS,
    YAML_SUFFIXES,
    ChannelDocument,
    channel_documents,
    deep_merge,
    in_currency,
)
from mcplan.workspace.markets import check_regional_locale
from mcplan.workspace.persona import Persona
from mcplan.workspace.problems import error_paths, salvaged, validation_findings
from mcplan.workspace.reading import (
    Budget,
    SourceLines,
    UnreadableFile,
    WorkspaceLimits,
    read_bytes,
    read_text,
)
from mcplan.workspace.settings import Settings
from mcplan.workspace.sourcemap import KeyPath, SourceMap
from mcplan.workspace.structure import DUPLICATE_ID, INVALID_VALUE, REFUSED_FILE
from mcplan.workspace.tomlsource import SETTINGS_FILE, read_settings
from mcplan.workspace.yamlsource import Document, parse

FOLDERS = {"personas": Persona, "campaigns": Campaign, "channel_rules": Channel}

Model = TypeVar("Model", bound=BaseModel)


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
    """A loaded workspace: settings, personas, campaigns and channels, and what went wrong."""

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
        ids = [p for p in campaign.personas if p in self.personas]
        touches = [t for t in campaign.touches if t.channel == channel_id]
        if touches:
            going = {p.id for t in touches for p in self.targets(campaign, t)}
            return [self.personas[p] for p in ids if p in going]
        return [self.personas[p] for p in ids if channel_id in self.personas[p].channels]

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
            chosen = list(dict.fromkeys(c for p in personas for c in p.channels))
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
            "channel_rules": dict(self.channels),
        }
        for (folder, id_), loaded in self.salvaged.items():
            kinds[folder][id_] = loaded.model
        return dataclasses.replace(
            self,
            personas=kinds["personas"],
            campaigns=kinds["campaigns"],
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

    def origin(self, channel_id: str) -> str:
        """Where a channel's rules come from: bundled, workspace, or ``extends <id>``."""
        return self.sources[("channel_rules", channel_id)].origin


# -- discovery ------------------------------------------------------------------------------


def find_root(start: Path) -> Path:
    """The nearest folder at or above ``start`` that looks like a workspace (like git does)."""
    start = start.resolve()
    for folder in (start, *start.parents):
        if _is_workspace(folder):
            return folder
    raise WorkspaceNotFoundError(
        f"no mcplan workspace in {start} or any folder above it: a workspace has an "
        f"{SETTINGS_FILE} file or a personas/, campaigns/ or channel_rules/ folder "
        "(or pass --workspace DIR)"
    )


def _is_workspace(folder: Path) -> bool:
    if (folder / SETTINGS_FILE).exists() or any((folder / n).is_dir() for n in FOLDERS):
        return True
    try:
        return b"[tool.mcplan" in read_bytes(folder / "pyproject.toml", "pyproject.toml", folder)
    except UnreadableFile:
        return False


def load_workspace(
    path: Path | None = None,
    *,
    discover: bool = True,
    shown_from: Path | None = None,
    prefix: str | None = None,
    limits: WorkspaceLimits | None = None,
    its_locale: bool = False,
) -> Workspace:
    """Load the workspace at ``path`` (or found from ``path`` upwards when ``discover``).

    Files are named relative to the workspace, or, with ``shown_from`` (the current folder
    of the command line), relative to that folder when one is inside the other: a workspace
    in ``marketing/`` has ``marketing/campaigns/noel.yaml``, the name CI systems and editors
    find the file by, and from its ``campaigns/`` folder ``../campaigns/noel.yaml``. Raises
    :class:`WorkspaceNotFoundError` when there is no such folder, or it is not a workspace;
    every other problem is a finding in :attr:`Workspace.findings`. ``prefix`` names the files
    as another copy of the workspace does (a revision read into a temporary folder).

    Raises :class:`~mcplan.workspace.reading.WorkspaceTooLarge` as soon as the workspace holds
    more than ``limits`` allows (default: :data:`~mcplan.workspace.reading.LIMITS`): a usage
    error, so that no command checks, plans or reports on a part of it as if it were all.

    ``its_locale``: from the moment its settings say it, numbers are written in the
    workspace's locale (:func:`mcplan.numbers.set_locale`, until the context ends), its own
    findings' among them: the command line's way, so that every number of a command reads
    alike. Without it, the caller's locale (the library's default) is left as it is.
    """
    start = Path.cwd() if path is None else Path(path)
    if not start.is_dir():
        raise WorkspaceNotFoundError(f"workspace folder not found: {start}")
    root = find_root(start) if discover else start.resolve()
    if not _is_workspace(root):
        raise WorkspaceNotFoundError(
            f"{start} is not an mcplan workspace: a workspace has an {SETTINGS_FILE} file or a "
            "personas/, campaigns/ or channel_rules/ folder"
        )
    workspace = Workspace(root, prefix=_prefix(root, shown_from) if prefix is None else prefix)
    budget = Budget(reading.LIMITS if limits is None else limits)
    if its_locale:  # the default until the settings say otherwise
        numbers.set_locale(workspace.settings.locale)
    _load_settings(workspace, budget, its_locale)
    known = KnownIds()  # what a file may name, for did-you-mean: ids win over names
    context = {"settings": workspace.settings, KNOWN_IDS: known}
    _load_channels(workspace, context, budget)
    known |= workspace.known("channel_rules")
    for folder, kind, target in (
        ("personas", Persona, workspace.personas),
        ("campaigns", Campaign, workspace.campaigns),
    ):
        read = _read_unique(workspace, folder, budget, checked=(kind, context))
        for id_, (_, document) in read.items():
            model = _validated(workspace, kind, document, context, folder)
            _store(workspace, target, folder, id_, model, document.source)
        if folder == "personas":
            known |= workspace.known("personas")
    workspace.findings.sort()
    return workspace


def _load_channels(workspace: Workspace, context: dict[str, Any], budget: Budget) -> None:
    """The bundled channels and the workspace's own, each merged over what it extends."""
    read = _read_unique(workspace, "channel_rules", budget)
    own = {id_: document for id_, (_, document) in read.items()}
    documents = channel_documents(own, workspace.findings)
    for id_, channel in documents.items():
        full = _in_currency(channel.document, workspace.settings.currency)
        model = _validated(workspace, Channel, full, context, "channel_rules") if full else None
        source = full.source if full else channel.own.source
        _store(workspace, workspace.channels, "channel_rules", id_, model, source, channel.origin)
        workspace.written[id_] = _written(id_, documents)
    workspace.channels = dict(sorted(workspace.channels.items()))


def _in_currency(document: Document | None, currency: str) -> Document | None:
    """The channel with the costs it takes from the library in the workspace's currency (see
    `library.EURO_RATES`); the costs its own files write are the workspace's already."""
    if document is None:
        return None
    data = dict(document.data)
    for key in MONEY_KEYS:
        where = document.source.values.get((key,))
        amount = data.get(key)
        if where is None or not where.file.startswith(BUNDLED_PREFIX):
            continue
        if isinstance(amount, int | float) and not isinstance(amount, bool):
            converted = in_currency(float(amount), currency)
            if converted is not None:
                data[key] = converted
    return Document(data, document.source) if data != document.data else document


def _written(id_: str, documents: Mapping[str, ChannelDocument], depth: int = 0) -> dict[str, Any]:
    """What a channel takes from the workspace's files: its own file, over the workspace
    channel it extends (a cycle, already a finding, stops the chain)."""
    channel = documents.get(id_)
    if channel is None or channel.origin == "bundled" or depth > len(documents):
        return {}
    base = channel.own.data.get("extends")
    under = _written(base, documents, depth + 1) if isinstance(base, str) and base != id_ else {}
    return deep_merge(under, channel.own.data)


def _prefix(root: Path, shown_from: Path | None) -> str:
    """The workspace's folder seen from ``shown_from``: ``marketing/`` when the workspace is
    inside it, ``../`` when ``shown_from`` is the workspace's ``campaigns/``, else nothing (file
    names are then relative to the workspace)."""
    if shown_from is None:
        return ""
    here = shown_from.resolve()
    if root.is_relative_to(here):
        inside = root.relative_to(here)
        return "" if inside == Path(".") else inside.as_posix() + "/"
    if here.is_relative_to(root):
        return "../" * len(here.relative_to(root).parts)
    return ""


def _with_meant(settings: Settings, meant: tuple[tuple[str, str], ...]) -> Settings:
    """The settings with what each broken line meant (``locale = en-GB``: en-GB), where that
    key accepts it: its S101 is reported all the same, and nothing else is checked against
    a default in its place."""
    update: dict[str, Any] = {}
    for key, value in meant:
        if key in Settings.model_fields:
            try:
                update[key] = getattr(Settings.model_validate({key: value}), key)
            except ValidationError:
                continue
    if not update:
        return settings
    try:
        return Settings.model_validate({**settings.model_dump(exclude_unset=True), **update})
    except ValidationError:  # a check across keys: each value is right on its own
        return settings.model_copy(update=update)


def _load_settings(workspace: Workspace, budget: Budget, its_locale: bool = False) -> None:
    found = read_settings(
        workspace.root, workspace.files, workspace.prefix, workspace.lines, budget
    )
    if isinstance(found, Finding):
        workspace.findings.append(found)
        workspace.settings_lost = frozenset({()})
    elif found is not None:
        workspace.findings.extend(found.problems)
        document = Document(found.data, found.source)
        if its_locale:  # the settings' own findings, in the locale they write
            numbers.set_locale(
                _written_locale(found.data, found.meant) or workspace.settings.locale
            )
        try:
            settings: Settings | None = Settings.model_validate(document.data)
            invalid: set[KeyPath] = set()
        except ValidationError as exc:
            workspace.findings.extend(
                validation_findings(exc, Settings, document.data, document.source)
            )
            invalid = error_paths(exc, document.data)
            partial = salvaged(exc, Settings, document.data, {})
            settings = partial[0] if partial else None  # better than the defaults
        if settings is not None:
            settings = _with_meant(settings, found.meant)
            workspace.settings = settings
        workspace.settings_lost = found.lost | (invalid if settings else {()})
        if its_locale:
            numbers.set_locale(workspace.settings.locale)
        workspace.settings_file = found.display
        workspace.settings_source = found.source
        _load_layout(workspace, found.source, budget)


def _written_locale(data: object, meant: tuple[tuple[str, str], ...] = ()) -> str | None:
    """The locale a settings file writes (or meant, on a broken line), when it is one, before
    the file is checked."""
    value = data.get("locale") if isinstance(data, Mapping) else None
    value = value if value is not None else dict(meant).get("locale")
    try:
        return check_regional_locale(value) if isinstance(value, str) else None
    except ValueError:
        return None


def _load_layout(workspace: Workspace, source: SourceMap, budget: Budget) -> None:
    """The e-mail layout the settings name, read as every workspace file is (in the
    workspace, a regular file, bounded, UTF-8); a missing one is an S203 on `layout`."""
    name = workspace.settings.email.layout
    if not name:
        return
    path = workspace.root / name
    display = workspace.display(path)
    if not path.exists() and not path.is_symlink():
        workspace.findings.append(
            INVALID_VALUE(
                source.locate(("email", "layout")),
                f"email.layout: there is no file {display}",
                hint="give the path of the layout from the workspace's folder",
            )
        )
        return
    try:
        text = read_text(path, display, workspace.root, budget=budget)
    except UnreadableFile as unreadable:
        workspace.findings.append(unreadable.finding)
        workspace.lines.keep(display, None)
        return
    workspace.lines.keep(display, text)
    workspace.files.append(display)
    workspace.email_layout = EmailLayout(display, text)


# -- files ----------------------------------------------------------------------------------


def _read_folder(
    workspace: Workspace, folder: str, budget: Budget
) -> Iterator[tuple[str, Document]]:
    """Every YAML file under ``folder`` (recursively, in a stable order), parsed; what cannot
    or may not be read is a finding (see :func:`~mcplan.workspace.reading.read_bytes`)."""
    base = workspace.root / folder
    if not base.is_dir():
        return
    for path in _yaml_entries(workspace, base, budget):
        display = workspace.display(path)
        workspace.files.append(display)
        try:
            text = read_text(path, display, workspace.root, budget=budget)
            workspace.lines.keep(display, text)
            document = parse(text, display, budget)
        except UnreadableFile as exc:
            workspace.findings.append(exc.finding)
            workspace.failed.add((folder, path.stem))  # its id is likely the default one
            continue
        workspace.findings.extend(document.problems)
        if not isinstance(document.data, dict):
            workspace.failed.add((folder, path.stem))
            message = "expected a mapping of keys (like `id: …`) at the top of the file"
            workspace.findings.append(INVALID_VALUE(document.source.locate(()), message))
            continue
        document.data.setdefault("id", path.stem)
        yield display, document


def _yaml_entries(workspace: Workspace, base: Path, budget: Budget) -> list[Path]:
    """The YAML entries under ``base``, hidden ones left out, in a stable order: files, and
    whatever else bears a YAML name (a folder, a link, a FIFO: reading refuses it). Folders
    named like a file and links to folders are not followed (one that leads out of the
    workspace is a finding), nor is a folder that cannot be listed (a finding too). Every
    entry listed is counted in ``budget``, so that a folder of millions is not listed to
    its end."""
    found = []
    folders = [base]
    while folders:
        here = folders.pop()
        shown = workspace.display(here)
        try:
            with os.scandir(here) as listing:
                entries = []
                for entry in listing:
                    budget.listed(shown)
                    if not entry.name.startswith("."):
                        entries.append(entry)
        except OSError as error:
            message = f"a folder that cannot be listed: {error.strerror or error}"
            workspace.findings.append(REFUSED_FILE(Location(shown), message))
            continue
        for entry in entries:
            path = Path(entry.path)
            named_yaml = path.suffix in YAML_SUFFIXES
            if not _is_folder(entry):
                if named_yaml:
                    found.append(path)  # a file, or a link or a FIFO that reading refuses
            elif named_yaml:
                found.append(path)  # a folder, or a link to one, named like a file: refused
            elif not entry.is_symlink():
                folders.append(path)
            elif not path.resolve().is_relative_to(workspace.root.resolve()):
                message = "a link to a folder out of the workspace: it is not followed"
                workspace.findings.append(REFUSED_FILE(Location(workspace.display(path)), message))
    return sorted(found)


def _is_folder(entry: os.DirEntry[str]) -> bool:
    """Whether an entry is a folder, or a link to one."""
    try:
        return entry.is_dir()
    except OSError:
        return False


def _id_of(data: dict[str, Any]) -> str:
    """A document's id as its model reads it: ``id: 0012`` is '0012', not 12."""
    return str(source_text(data.get("id", "")))


def _read_unique(
    workspace: Workspace,
    folder: str,
    budget: Budget,
    checked: tuple[type[BaseModel], dict[str, Any]] | None = None,
) -> dict[str, tuple[str, Document]]:
    """The folder's documents by id; ids used by several files are reported and left out
    (each checked against its model and ``checked``'s context all the same, so that what
    else is wrong in them is reported in the same run)."""
    by_id: dict[str, list[tuple[str, Document]]] = {}
    for display, document in _read_folder(workspace, folder, budget):
        by_id.setdefault(_id_of(document.data), []).append((display, document))
    unique = {}
    for id_, files in by_id.items():
        if len(files) == 1:
            unique[id_] = files[0]
            continue
        workspace.failed.add((folder, id_))
        names = " and ".join(display for display, _ in files)
        places = [document.source.locate(("id",)) for _, document in files]
        for where in places:
            others = [Related(p, f"also id '{id_}'") for p in places if p != where]
            message = f"id: duplicate id '{id_}', used by {names}"
            workspace.findings.append(DUPLICATE_ID(where, message, related=others))
        if checked is not None:
            for _, document in files:
                _validated(workspace, checked[0], document, checked[1])  # its findings only
    return unique


def _validated(
    workspace: Workspace,
    model: type[Model],
    document: Document,
    context: dict[str, Any],
    folder: str = "",
) -> Model | None:
    """The document as a model, or None after recording why it is not valid (and what could
    be read of it, for the checks)."""
    try:
        return model.model_validate(document.data, context=context)
    except ValidationError as exc:
        workspace.findings.extend(validation_findings(exc, model, document.data, document.source))
        partial = salvaged(exc, model, document.data, context) if folder else None
        if partial is not None:
            id_ = _id_of(document.data)
            read, renumbered = partial
            source = dataclasses.replace(document.source, renumbered=renumbered)
            workspace.salvaged[(folder, id_)] = Loaded(read, source)
        return None


def _store(
    workspace: Workspace,
    target: dict[str, Any],
    folder: str,
    id_: str,
    model: BaseModel | None,
    source: SourceMap,
    origin: str = "workspace",
) -> None:
    if model is None:
        workspace.failed.add((folder, id_))
    else:
        target[id_] = model
        workspace.sources[(folder, id_)] = Loaded(model, source, origin)


__all__ = ["Loaded", "Workspace", "find_root", "load_workspace"]
