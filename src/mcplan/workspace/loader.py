"""Find a workspace folder and load it into validated models, with every problem located.

Loading never stops at the first problem: a file that cannot be read or validated becomes a
finding and the rest of the workspace is still loaded, so one run reports everything.
"""

from __future__ import annotations

import functools
import re
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from mcplan.errors import WorkspaceNotFoundError
from mcplan.findings import Finding, Level, Location
from mcplan.workspace.campaign import Campaign, Touch
from mcplan.workspace.channel import Channel
from mcplan.workspace.persona import Persona
from mcplan.workspace.problems import unknown_reference, validation_findings
from mcplan.workspace.settings import Settings
from mcplan.workspace.yamlsource import Document, SourceMap, YamlLoadError, parse, read_text

SETTINGS_FILE = "mcplan.toml"
FOLDERS = {"personas": Persona, "campaigns": Campaign, "channel_rules": Channel}
YAML_SUFFIXES = (".yaml", ".yml")
BUNDLED_PREFIX = "<bundled>/"

Model = TypeVar("Model", bound=BaseModel)


@dataclass(frozen=True)
class Loaded:
    """A file's model with the source map that locates each of its values."""

    model: Any
    source: SourceMap
    origin: str = "workspace"  # "bundled", "workspace", or "extends <id>"


@dataclass
class Workspace:
    """A loaded workspace: settings, personas, campaigns and channels, and what went wrong."""

    root: Path
    settings: Settings = field(default_factory=Settings)
    settings_file: str | None = None
    personas: dict[str, Persona] = field(default_factory=dict)
    campaigns: dict[str, Campaign] = field(default_factory=dict)
    channels: dict[str, Channel] = field(default_factory=dict)
    sources: dict[tuple[str, str], Loaded] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    # (folder, id) of files that exist but failed to load: other files may name them without
    # an "unknown id" finding on top of the file's own findings.
    failed: set[tuple[str, str]] = field(default_factory=set)
    files: list[str] = field(default_factory=list)  # every file read, relative to root

    def exists(self, folder: str, id_: str) -> bool:
        """Whether a persona/campaign/channel of that id exists, loaded or not."""
        return (folder, id_) in self.sources or (folder, id_) in self.failed

    def source(self, kind: str, id_: str) -> SourceMap:
        """The source map of a persona, campaign or channel (``kind`` is its folder name)."""
        return self.sources[(kind, id_)].source

    def targets(self, campaign: Campaign, touch: Touch) -> list[Persona]:
        """The personas a touch reaches: its `personas`, else the campaign's (those that exist)."""
        ids = touch.personas if touch.personas is not None else campaign.personas
        return [self.personas[p] for p in ids if p in self.personas]

    def channel_lookup(self) -> dict[str, str]:
        """What an export may call each channel, folded to lower case → channel id.

        The channel's name, or its id (which is also the utm_source of its links); ids win
        over names, and of two channels with the same name the first id wins.
        """
        names: dict[str, str] = {}
        for channel_id in sorted(self.channels):
            name = self.channels[channel_id].name.strip().casefold()
            if name:
                names.setdefault(name, channel_id)
        return names | {channel_id.casefold(): channel_id for channel_id in self.channels}

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
    if (folder / SETTINGS_FILE).is_file() or any((folder / n).is_dir() for n in FOLDERS):
        return True
    pyproject = folder / "pyproject.toml"
    try:
        return pyproject.is_file() and "[tool.mcplan" in pyproject.read_text("utf-8", "replace")
    except OSError:
        return False


def load_workspace(path: Path | None = None, *, discover: bool = True) -> Workspace:
    """Load the workspace at ``path`` (or found from ``path`` upwards when ``discover``).

    Raises :class:`WorkspaceNotFoundError` when there is no such folder; every other problem
    is a finding in :attr:`Workspace.findings`.
    """
    start = Path.cwd() if path is None else Path(path)
    if not start.is_dir():
        raise WorkspaceNotFoundError(f"workspace folder not found: {start}")
    root = find_root(start) if discover else start.resolve()
    workspace = Workspace(root)
    _load_settings(workspace)
    context = {"settings": workspace.settings}
    _load_channels(workspace, context)
    for folder, model, target in (
        ("personas", Persona, workspace.personas),
        ("campaigns", Campaign, workspace.campaigns),
    ):
        for id_, (_, document) in _read_unique(workspace, folder).items():
            _store(
                workspace,
                target,
                folder,
                id_,
                _validated(workspace, model, document, context),
                document.source,
            )
    workspace.findings.sort()
    return workspace


# -- settings -------------------------------------------------------------------------------


def _load_settings(workspace: Workspace) -> None:
    root = workspace.root
    candidates = [(root / SETTINGS_FILE, ()), (root / "pyproject.toml", ("tool", "mcplan"))]
    for path, prefix in candidates:
        if not path.is_file():
            continue
        display = path.name
        workspace.files.append(display)
        try:
            text = read_text(path, display)
            table: Any = tomllib.loads(text)
        except YamlLoadError as exc:
            workspace.findings.append(exc.finding)
            return
        except tomllib.TOMLDecodeError as exc:
            workspace.findings.append(_toml_error(exc, display))
            return
        for key in prefix:
            table = table.get(key) if isinstance(table, dict) else None
        if table is None:
            continue
        source = _toml_positions(text, display, prefix)
        settings = _validated(workspace, Settings, Document(table, source), {})
        if settings is not None:
            workspace.settings = settings
        workspace.settings_file = display
        return


def _toml_error(exc: tomllib.TOMLDecodeError, display: str) -> Finding:
    message = str(exc)
    match = re.search(r"\(at line (\d+), column (\d+)\)$", message)
    where = Location(display, int(match[1]), int(match[2])) if match else Location(display)
    problem = message[: match.start()].strip() if match else message
    return Finding(where, "S101", Level.ERROR, f"invalid TOML: {problem}", unreadable=True)


_TOML_TABLE = re.compile(r"^\s*\[\[?\s*([^\]]+?)\s*\]\]?\s*(?:#.*)?$")
_TOML_KEY = re.compile(r"^(\s*)([A-Za-z0-9_.\"' -]+?)\s*=")


def _toml_positions(text: str, display: str, prefix: tuple[str, ...]) -> SourceMap:
    """Approximate key positions in a TOML file (tomllib does not report them).

    Tables (``[a.b]``) and ``key = value`` lines are recognised; that covers settings files as
    people write them. Anything else falls back to the nearest table or the top of the file.
    """
    source = SourceMap(display)
    table: tuple[str, ...] = ()
    for number, line in enumerate(text.splitlines(), start=1):
        if m := _TOML_TABLE.match(line):
            table = tuple(part.strip().strip("\"'") for part in m[1].split("."))
            path: tuple[str, ...] = table
            column = line.index("[") + 1
        elif m := _TOML_KEY.match(line):
            path = table + tuple(part.strip().strip("\"'") for part in m[2].split("."))
            column = len(m[1]) + 1
        else:
            continue
        if path[: len(prefix)] != prefix or len(path) == len(prefix):
            continue
        where = Location(display, number, column)
        source.values.setdefault(path[len(prefix) :], where)
        source.keys.setdefault(path[len(prefix) :], where)
    return source


# -- files ----------------------------------------------------------------------------------


def _read_folder(workspace: Workspace, folder: str) -> Iterator[tuple[str, Document]]:
    """Every YAML file under ``folder`` (recursively, in a stable order), parsed."""
    base = workspace.root / folder
    if not base.is_dir():
        return
    files = sorted(
        p
        for p in base.rglob("*")
        if p.suffix in YAML_SUFFIXES
        and p.is_file()
        and not any(part.startswith(".") for part in p.relative_to(base).parts)
    )
    for path in files:
        display = path.relative_to(workspace.root).as_posix()
        workspace.files.append(display)
        try:
            document = parse(read_text(path, display), display)
        except YamlLoadError as exc:
            workspace.findings.append(exc.finding)
            workspace.failed.add((folder, path.stem))  # its id is likely the default one
            continue
        workspace.findings.extend(document.problems)
        if not isinstance(document.data, dict):
            workspace.failed.add((folder, path.stem))
            workspace.findings.append(
                Finding(
                    document.source.locate(()),
                    "S203",
                    Level.ERROR,
                    "expected a mapping of keys (like `id: …`) at the top of the file",
                )
            )
            continue
        document.data.setdefault("id", path.stem)
        yield display, document


def _read_unique(workspace: Workspace, folder: str) -> dict[str, tuple[str, Document]]:
    """The folder's documents by id; ids used by several files are reported and left out."""
    by_id: dict[str, list[tuple[str, Document]]] = {}
    for display, document in _read_folder(workspace, folder):
        by_id.setdefault(str(document.data["id"]), []).append((display, document))
    unique = {}
    for id_, files in by_id.items():
        if len(files) == 1:
            unique[id_] = files[0]
            continue
        workspace.failed.add((folder, id_))
        names = " and ".join(display for display, _ in files)
        for _, document in files:
            workspace.findings.append(
                Finding(
                    document.source.locate(("id",)),
                    "S302",
                    Level.ERROR,
                    f"id: duplicate id '{id_}', used by {names}",
                    "give each file its own id (the file name is the default id)",
                )
            )
    return unique


def _validated(
    workspace: Workspace, model: type[Model], document: Document, context: dict[str, Any]
) -> Model | None:
    """The document as a model, or None after recording why it is not valid."""
    try:
        return model.model_validate(document.data, context=context)
    except ValidationError as exc:
        workspace.findings.extend(validation_findings(exc, model, document.data, document.source))
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


# -- channels -------------------------------------------------------------------------------


@functools.cache
def bundled_documents() -> dict[str, Document]:
    """The channel library shipped with mcplan, parsed once per process."""
    library = resources.files("mcplan") / "channel_library"
    documents = {}
    for entry in sorted(library.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(YAML_SUFFIXES):
            display = BUNDLED_PREFIX + entry.name
            document = parse(entry.read_text("utf-8"), display)
            document.data.setdefault("id", entry.name.rsplit(".", 1)[0])
            documents[document.data["id"]] = document
    return documents


def _load_channels(workspace: Workspace, context: dict[str, Any]) -> None:
    bundled = bundled_documents()
    own = _read_unique(workspace, "channel_rules")

    resolved: dict[str, Document | None] = {}

    def resolve(channel_id: str, chain: tuple[str, ...] = ()) -> Document | None:
        """The channel's full data: its own file merged over what it extends."""
        if channel_id not in resolved:
            resolved[channel_id] = extend(channel_id, chain)
        return resolved[channel_id]

    def extend(channel_id: str, chain: tuple[str, ...]) -> Document | None:
        document = own[channel_id][1]
        base_id = document.data.get("extends")
        if not isinstance(base_id, str):
            return document  # no extends (or a wrong type, which the model reports)
        base: Document | None
        if base_id != channel_id and base_id in own:
            if base_id in chain:
                workspace.findings.append(
                    Finding(
                        document.source.locate(("extends",)),
                        "S307",
                        Level.ERROR,
                        "extends: channels extend each other in a circle: "
                        + " → ".join((*chain, channel_id, base_id)),
                    )
                )
                return None
            base = resolve(base_id, (*chain, channel_id))
        elif base_id in bundled:
            base = bundled[base_id]
        else:
            known = sorted({*own, *bundled} - {channel_id})
            workspace.findings.append(
                unknown_reference(document.source, ("extends",), "channel", base_id, known)
            )
            return None
        if base is None:
            return None
        data = _deep_merge(base.data, document.data)
        return Document(data, base.source.merged(document.source, data))

    channels = workspace.channels
    for channel_id, document in bundled.items():
        if channel_id not in own:
            channel = _validated(workspace, Channel, document, context)
            _store(
                workspace,
                channels,
                "channel_rules",
                channel_id,
                channel,
                document.source,
                "bundled",
            )
    for channel_id, (_, document) in sorted(own.items()):
        full = resolve(channel_id)
        base_id = document.data.get("extends")
        channel = _validated(workspace, Channel, full, context) if full else None
        _store(
            workspace,
            channels,
            "channel_rules",
            channel_id,
            channel,
            full.source if full else document.source,
            f"extends {base_id}" if base_id else "workspace",
        )
    workspace.channels = dict(sorted(workspace.channels.items()))


def _deep_merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    """``override`` on top of ``base``: mappings merge key by key, anything else is replaced."""
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _deep_merge(merged[key], value)
        else:
            merged[key] = value
    return merged


__all__ = ["Loaded", "Workspace", "find_root", "load_workspace"]
