"""A workspace folder's YAML documents: every entry listed (hidden ones left out, each one
counted, a link to a folder out of the workspace refused), read as every workspace file is,
parsed, and one per id (S302 for an id that several files give themselves).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mcplan.findings import Location, Related
from mcplan.workspace.library import YAML_SUFFIXES
from mcplan.workspace.loaded import Workspace
from mcplan.workspace.reading import Budget, UnreadableFile, read_text
from mcplan.workspace.sourcemap import source_text
from mcplan.workspace.structure import DUPLICATE_ID, INVALID_VALUE, REFUSED_FILE
from mcplan.workspace.yamlsource import Document, parse


@dataclass
class Unique:
    """A folder's documents by id (with the name of the file), and those of the ids that
    several files give themselves (left out: reported, and checked on their own)."""

    by_id: dict[str, tuple[str, Document]] = field(default_factory=dict)
    duplicates: list[Document] = field(default_factory=list)


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


def id_of(data: dict[str, Any]) -> str:
    """A document's id as its model reads it: ``id: 0012`` is '0012', not 12."""
    return str(source_text(data.get("id", "")))


def read_unique(workspace: Workspace, folder: str, budget: Budget) -> Unique:
    """The folder's documents by id; ids used by several files are reported (S302) and left
    out, and handed back all the same, so that what else is wrong in them is reported in the
    same run."""
    by_id: dict[str, list[tuple[str, Document]]] = {}
    for display, document in _read_folder(workspace, folder, budget):
        by_id.setdefault(id_of(document.data), []).append((display, document))
    unique = Unique()
    for id_, files in by_id.items():
        if len(files) == 1:
            unique.by_id[id_] = files[0]
            continue
        workspace.failed.add((folder, id_))
        names = " and ".join(display for display, _ in files)
        places = [document.source.locate(("id",)) for _, document in files]
        for where in places:
            others = [Related(p, f"also id '{id_}'") for p in places if p != where]
            message = f"id: duplicate id '{id_}', used by {names}"
            workspace.findings.append(DUPLICATE_ID(where, message, related=others))
        unique.duplicates.extend(document for _, document in files)
    return unique
