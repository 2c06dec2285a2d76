"""Write rendered versions into a folder: atomically, never outside it, never by surprise."""

from __future__ import annotations

import re
from pathlib import Path

from mcplan.errors import UsageError
from mcplan.output.rendering import FILES, Rendered, extra_files
from mcplan.writing import open_folder

_SAFE = re.compile(r"[a-z0-9][a-z0-9_-]*(?:--[a-z0-9][a-z0-9_-]*)?(?:@[a-z0-9][a-z0-9_-]*)?")
# Names Windows reserves for devices, whatever the extension.
_RESERVED = {"con", "prn", "aux", "nul"} | {f"{d}{i}" for d in ("com", "lpt") for i in range(10)}


def safe_name(name: str) -> str:
    """``name`` if it is safe as a file name on every system; UsageError otherwise."""
    if not _SAFE.fullmatch(name) or name.split("--")[0] in _RESERVED or len(name) > 130:
        raise UsageError(f"'{name}' cannot be used as a file name")
    return name


def write_rendering(result: Rendered, folder: Path, fmt: str, *, force: bool = False) -> list[Path]:
    """Write one file per version (``sms.txt``, ``email--marie.txt``…, in format ``fmt``),
    an e-mail's ``.eml`` beside its text, and return the paths.

    Everything is produced before the first file is written, and each file is replaced
    atomically, so an error leaves the folder as it was. Only files of those names in the
    folder are touched (a link among them is replaced, not followed), and the folder is
    reached without following a link in the workspace or below the current folder.
    """
    extension, content = FILES[fmt]
    files: dict[str, str | bytes] = {}
    for version in result.rendering.versions:
        name = safe_name(version.key)
        outputs: dict[str, str | bytes] = {extension: content(version, result)}
        if fmt == "text":
            outputs |= extra_files(version, result)
        for suffix, data in outputs.items():
            file = f"{name}.{suffix}"
            if file in files:  # a channel 'sms--marie' and the 'sms' version for 'marie'
                raise UsageError(f"two versions would be written to {file}; nothing is")
            files[file] = data
    try:
        with open_folder(folder, root=result.workspace.root, create=True) as into:
            if into.names() and not force:
                raise UsageError(f"{folder} already has files; add --force to overwrite them")
            for file, data in files.items():
                into.write(file, data)
    except OSError as exc:
        raise UsageError(f"cannot write into {folder}: {exc.strerror or exc}") from None
    return [folder / file for file in files]
