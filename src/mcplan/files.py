"""Writing files safely: a reader never sees half a file, and a failed write leaves no trace."""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

from mcplan.errors import UsageError


def write_atomic(target: Path, data: str | bytes) -> None:
    """Write ``data`` (text as UTF-8 with \\n line ends) to ``target`` in one step.

    The data goes to a temporary file beside ``target``, which then replaces it; replacing a
    symbolic link replaces the link itself, never the file it points to. A file replaced keeps
    its permissions; a new one gets those the umask gives (the temporary file is private).
    """
    payload = data.encode("utf-8") if isinstance(data, str) else data
    mode = _mode(target)
    fd, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        os.fchmod(fd, mode)
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _mode(target: Path) -> int:
    """The permissions of the file being replaced, or of a new file under the umask."""
    try:
        return stat.S_IMODE(os.stat(target).st_mode)
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def write_file(target: Path, data: str | bytes, *, force: bool = False) -> None:
    """Write one output file the user named: never over an existing one unless ``force``.

    Raises :class:`UsageError` when the file exists, or cannot be written.
    """
    if target.exists() and not force:
        raise UsageError(f"{target} already exists; add --force to overwrite it")
    try:
        write_atomic(target, data)
    except OSError as exc:
        raise UsageError(f"cannot write {target}: {exc.strerror or exc}") from None
