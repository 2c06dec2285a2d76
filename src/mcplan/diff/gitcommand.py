"""Git run on a repository named to it, with a minimal environment: nothing discovered,
configured or fetched from anywhere else, no variable of the caller's (CI's secrets) but
those needed to start a program, no transport, no hooks, no fsmonitor; and stopped when it
has not answered in :data:`TIMEOUT` seconds (see `mcplan.diff.git`)."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import tempfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from mcplan import numbers
from mcplan.errors import UsageError
from mcplan.printable import excerpt

# Git's configuration, over whatever the repository's says (the command line wins).
_CONFIG = (
    "safe.bareRepository=explicit",  # never a bare repository found by discovery
    "core.fsmonitor=false",  # a program run to list changed files
    f"core.hooksPath={os.devnull}",
    "protocol.allow=never",
    "credential.helper=",
    "gc.auto=0",
    "maintenance.auto=false",
)
_KEPT = ("PATH", "SYSTEMROOT")  # of the environment: what starting a program needs
# Each git process answers in milliseconds; one that has not ended in this many seconds (a
# FIFO where git reads a file of its repository) is stopped.
TIMEOUT = 30.0


@dataclass(frozen=True)
class Repository:
    """A git repository: the top folder of its working tree and its git folder."""

    top: Path
    git_dir: Path


def _environment(repository: Repository) -> dict[str, str]:
    """What git runs with: the repository named, nothing discovered, configured or fetched
    from anywhere else, and no variable of the caller's (CI's secrets) but those needed to
    start a program."""
    env = {name: os.environ[name] for name in _KEPT if name in os.environ}
    return env | {
        "GIT_DIR": str(repository.git_dir),
        "GIT_WORK_TREE": str(repository.top),
        "GIT_CEILING_DIRECTORIES": str(repository.top.parent),
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_ATTR_NOSYSTEM": "1",
        "GIT_NO_REPLACE_OBJECTS": "1",
        "GIT_NO_LAZY_FETCH": "1",
        "GIT_ALLOW_PROTOCOL": "",  # no transport at all, whatever protocol.<name>.allow says
        "GIT_PROTOCOL_FROM_USER": "0",
        "GIT_TERMINAL_PROMPT": "0",
        "GIT_ASKPASS": "",  # empty: no program, whatever core.askPass says
        "SSH_ASKPASS": "",
        "GIT_PAGER": "cat",
        "GIT_OPTIONAL_LOCKS": "0",
        "GIT_LITERAL_PATHSPECS": "1",
        "LC_ALL": "C",
    }


def _command(*args: str) -> list[str]:
    found = shutil.which("git")
    if found is None:
        raise UsageError("git is not installed: `mcplan diff` reads revisions through git")
    return [found, *(part for setting in _CONFIG for part in ("-c", setting)), *args]


def run(
    repository: Repository, *args: str, stdin: bytes | None = None
) -> subprocess.CompletedProcess[bytes]:
    """Git run to its end on ``repository`` with ``args`` (and ``stdin``), its output kept."""
    try:
        return subprocess.run(
            _command(*args),
            input=stdin,
            stdin=None if stdin is not None else subprocess.DEVNULL,
            capture_output=True,
            check=False,
            cwd=repository.top,
            env=_environment(repository),
            timeout=TIMEOUT,
        )
    except subprocess.TimeoutExpired:
        raise _late(repository) from None


def _late(repository: Repository) -> UsageError:
    return UsageError(
        f"git did not answer within {numbers.number(TIMEOUT)} s in the repository at "
        f"{repository.top}"
    )


@contextlib.contextmanager
def streamed(
    repository: Repository, *args: str, stdin: bool = False
) -> Iterator[tuple[subprocess.Popen[bytes], IO[bytes]]]:
    """Git running ``args``, its output read as it comes, and the file its errors go to;
    killed if it has not ended when the reading stops, or after TIMEOUT seconds."""
    with (
        tempfile.TemporaryFile() as errors,
        subprocess.Popen(
            _command(*args),
            stdin=subprocess.PIPE if stdin else subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=errors,
            cwd=repository.top,
            env=_environment(repository),
        ) as process,
    ):
        late = threading.Event()

        def stop() -> None:
            late.set()
            process.kill()

        timer = threading.Timer(TIMEOUT, stop)
        timer.start()
        try:
            yield process, errors
        finally:
            timer.cancel()
            if process.poll() is None:
                process.kill()
            if late.is_set():
                raise _late(repository)  # whatever the reading made of it


def said(errors: IO[bytes]) -> str:
    """What git said of an error, bounded and printable."""
    errors.seek(0)
    return excerpt(errors.read(4096).decode("utf-8", "replace").strip(), 300)
