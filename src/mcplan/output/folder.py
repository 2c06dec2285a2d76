"""Write rendered versions into a folder: atomically, never outside it, never by surprise."""

from __future__ import annotations

import re
from pathlib import Path

from mcplan.errors import UsageError
from mcplan.files import write_atomic
from mcplan.output.rendering import FILES, Rendered, extra_files

_SAFE = re.compile(r"[a-z0-9][a-z0-9_-]*(?:--[a-z0-9][a-z0-9_-]*)?(?:@[a-z0-9][a-z0-9_-]*)?")
# Names Windows reserves for devices, whatever the extension.
_RESERVED = {"con", "prn", "aux", "nul"} | {f"{d}{i}" for d in ("com", "lpt") for i in range(10)}


def safe_name(name: str) -> str:
    """``name`` if it is safe as a file name on every system; UsageError otherwise."""
    if not _SAFE.fullmatch(name) or name.split("--")[0] in _RESERVED or len(name) > 130:
        raise UsageError(f"'{name}' cannot be used as a file name")
    return name


def prepare_folder(folder: Path, *, force: bool) -> None:
    """Make sure ``folder`` may be written: new, empty, or ``force`` was given."""
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"{folder} exists and is not a folder")
    try:
        if folder.is_dir() and any(folder.iterdir()) and not force:
            raise UsageError(f"{folder} already has files; add --force to overwrite them")
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"cannot write into {folder}: {exc.strerror or exc}") from None


def write_rendering(result: Rendered, folder: Path, fmt: str, *, force: bool = False) -> list[Path]:
    """Write one file per version (``sms.txt``, ``email--marie.txt``…, in format ``fmt``),
    an e-mail's ``.eml`` beside its text, and return the paths.

    Everything is produced before the first file is written, and each file is replaced
    atomically, so an error leaves the folder as it was.
    """
    extension, content = FILES[fmt]
    files: dict[Path, str | bytes] = {}
    root = folder.resolve()
    for version in result.rendering.versions:
        name = safe_name(version.key)
        outputs: dict[str, str | bytes] = {extension: content(version, result)}
        if fmt == "text":
            outputs |= extra_files(version, result)
        for suffix, data in outputs.items():
            path = root / f"{name}.{suffix}"
            if path in files:  # a channel 'sms--marie' and the 'sms' version for 'marie'
                raise UsageError(f"two versions would be written to {path.name}; nothing is")
            files[path] = data
    for path in files:
        if path.parent != root:  # safe_name already prevents this; never trust one check
            raise UsageError(f"refusing to write outside {folder}: {path}")
    prepare_folder(folder, force=force)
    try:
        for path, data in files.items():
            write_atomic(path, data)
    except OSError as exc:
        raise UsageError(f"cannot write into {folder}: {exc.strerror or exc}") from None
    return list(files)
