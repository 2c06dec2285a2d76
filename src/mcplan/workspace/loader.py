"""Find a workspace folder and load it into validated models, with every problem located.

Loading never stops at the first problem: a file that cannot be read or validated becomes a
finding and the rest of the workspace is still loaded, so one run reports everything. The steps:
the settings file (and the e-mail layout it names), then the channels (the bundled ones, the
workspace's own over what they extend), then the personas, campaigns and journeys; each folder's
files are listed and parsed by `documents`, and what loading makes is a `loaded.Workspace`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from mcplan import numbers
from mcplan.errors import WorkspaceNotFoundError
from mcplan.findings import Finding, Related
from mcplan.workspace import reading
from mcplan.workspace.campaign import Campaign
from mcplan.workspace.channel import Channel
from mcplan.workspace.documents import id_of, read_unique
from mcplan.workspace.ids import KNOWN_IDS, KnownIds
from mcplan.workspace.journey import Journey
from mcplan.workspace.library import (
    BUNDLED_PREFIX,
    MONEY_KEYS,
    ChannelDocument,
    channel_documents,
    deep_merge,
    in_currency,
)
from mcplan.workspace.loaded import EmailLayout, Loaded, Workspace
from mcplan.workspace.markets import check_regional_locale
from mcplan.workspace.persona import Persona
from mcplan.workspace.problems import error_paths, salvaged, validation_findings
from mcplan.workspace.reading import Budget, UnreadableFile, WorkspaceLimits, read_bytes, read_text
from mcplan.workspace.settings import Settings
from mcplan.workspace.sourcemap import KeyPath, SourceMap
from mcplan.workspace.structure import DUPLICATE_ID, INVALID_VALUE
from mcplan.workspace.tomlsource import SETTINGS_FILE, read_settings
from mcplan.workspace.yamlsource import Document

FOLDERS: dict[str, type[BaseModel]] = {
    "personas": Persona,
    "campaigns": Campaign,
    "journeys": Journey,
    "channel_rules": Channel,
}

Model = TypeVar("Model", bound=BaseModel)


# -- discovery ------------------------------------------------------------------------------


def find_root(start: Path) -> Path:
    """The nearest folder at or above ``start`` that looks like a workspace (like git does)."""
    start = start.resolve()
    for folder in (start, *start.parents):
        if _is_workspace(folder):
            return folder
    raise WorkspaceNotFoundError(
        f"no mcplan workspace in {start} or any folder above it: a workspace has an "
        f"{SETTINGS_FILE} file or a personas/, campaigns/, journeys/ or channel_rules/ folder "
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
    root = _root(path, discover)
    workspace = Workspace(root, prefix=_prefix(root, shown_from) if prefix is None else prefix)
    budget = Budget(reading.LIMITS if limits is None else limits)
    if its_locale:  # the default until the settings say otherwise
        numbers.set_locale(workspace.settings.locale)
    _load_settings(workspace, budget, its_locale)
    _load_models(workspace, budget)
    workspace.findings.sort()
    return workspace


def _root(path: Path | None, discover: bool) -> Path:
    """The workspace's folder: ``path`` (default: the current folder), or the one found from
    it upwards when ``discover``."""
    start = Path.cwd() if path is None else Path(path)
    if not start.is_dir():
        raise WorkspaceNotFoundError(f"workspace folder not found: {start}")
    root = find_root(start) if discover else start.resolve()
    if not _is_workspace(root):
        raise WorkspaceNotFoundError(
            f"{start} is not an mcplan workspace: a workspace has an {SETTINGS_FILE} file or a "
            "personas/, campaigns/, journeys/ or channel_rules/ folder"
        )
    return root


def _load_models(workspace: Workspace, budget: Budget) -> None:
    """The channels, then the personas that name them, then the campaigns and journeys that
    name both:
    each file checked against the ids (and names) it may name, for its did-you-mean."""
    known = KnownIds()  # ids win over names
    context = {"settings": workspace.settings, KNOWN_IDS: known}
    _load_channels(workspace, context, budget)
    known |= workspace.known("channel_rules")
    _load_folder(workspace, "personas", context, budget)
    known |= workspace.known("personas")
    _load_folder(workspace, "campaigns", context, budget)
    _load_folder(workspace, "journeys", context, budget)
    _one_kind_per_id(workspace)


def _one_kind_per_id(workspace: Workspace) -> None:
    """A journey whose id a campaign has too (S302, at the journey's id): commands that take
    either kind by its id could not tell which is meant."""
    for id_ in sorted(workspace.campaigns.keys() & workspace.journeys.keys()):
        journey = workspace.sources[("journeys", id_)].source
        campaign = workspace.sources[("campaigns", id_)].source
        message = f"id: duplicate id '{id_}', used by a campaign and a journey"
        related = [Related(campaign.locate(("id",)), f"the campaign '{id_}'")]
        workspace.findings.append(DUPLICATE_ID(journey.locate(("id",)), message, related=related))


def _load_folder(
    workspace: Workspace, folder: str, context: dict[str, Any], budget: Budget
) -> None:
    """The personas, campaigns or journeys: each file's model, or its findings (and what could
    be read of it); a file whose id another file has too is checked, and left out."""
    model = FOLDERS[folder]
    target: dict[str, Any] = getattr(workspace, folder)
    read = read_unique(workspace, folder, budget)
    for document in read.duplicates:
        _validated(workspace, model, document, context)  # its findings only
    for id_, (_, document) in read.by_id.items():
        loaded = _validated(workspace, model, document, context, folder)
        _store(workspace, target, folder, id_, loaded, document.source)


def _load_channels(workspace: Workspace, context: dict[str, Any], budget: Budget) -> None:
    """The bundled channels and the workspace's own, each merged over what it extends."""
    read = read_unique(workspace, "channel_rules", budget)
    own = {id_: document for id_, (_, document) in read.by_id.items()}
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


# -- models ---------------------------------------------------------------------------------


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
            id_ = id_of(document.data)
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


__all__ = ["FOLDERS", "find_root", "load_workspace"]
