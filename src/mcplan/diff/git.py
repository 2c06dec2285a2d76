"""Read a workspace as it is at a git revision, through git itself, trusting nothing in it.

CI runs `mcplan diff` on a pull request's files with secrets in its environment, and git runs
programs its configuration names (a promisor remote's ``core.sshCommand``, ``core.fsmonitor``,
hooks). So:

- **The repository is the user's checkout, found from the workspace's folder up.** Only a
  folder's ``.git`` (a folder, or a file ``gitdir: …``) makes a repository: a folder that
  merely looks like a bare one (``HEAD``, ``objects/``, ``refs/``, ``config``), which a pull
  request can add anywhere, never does. Of several, the outermost whose HEAD holds the
  workspace's folder wins (a ``.git`` inside the checkout is below it), else the nearest.
- **Git is told that repository** (``GIT_DIR``, ``GIT_WORK_TREE``, ``GIT_CEILING_DIRECTORIES``),
  so it discovers nothing, and runs with a minimal environment (no secret of CI's), no system
  or global configuration, no transport of any kind (``GIT_ALLOW_PROTOCOL`` empty: a missing
  object is an error, never fetched), no lazy fetch, no hooks, no fsmonitor, no replace
  objects, no bare repository found by discovery: whatever a configuration says, reading a
  revision runs no program and touches no network.

No checkout and no clone: ``git ls-tree`` lists what the loader reads at the revision (the
settings file, the YAML files of ``personas/``, ``campaigns/`` and ``channel_rules/``, and the
e-mail layout the settings name), ``git cat-file --batch-check`` gives their sizes and ``git
cat-file --batch`` streams their content into a temporary folder, removed when the comparison
is done. A link or a submodule at the revision
is left out; a file over the size the loader reads is written as a sparse file of its size,
so that the loader reports it as too big (S103) without a byte of it being read. A revision
that holds more than :data:`MAX_FILES` such files or :data:`MAX_BYTES` of them, a path no
checkout can have (a file and a folder of one name, an empty name) or an object git does not
have is a usage error that says so; the listing itself stops at :data:`MAX_LISTED` entries.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import tempfile
import threading
from collections.abc import Generator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from mcplan import numbers
from mcplan.errors import UsageError
from mcplan.numbers import sizes
from mcplan.printable import excerpt, printable
from mcplan.workspace.library import YAML_SUFFIXES
from mcplan.workspace.loader import FOLDERS
from mcplan.workspace.reading import LIMITS, MAX_FILE_BYTES
from mcplan.workspace.tomlsource import CANDIDATES, SettingsFile, read_settings

# What a revision may bring, at most: the loader's own bound on a whole workspace (its files,
# and their bytes: a file over MAX_FILE_BYTES is not read, and does not count), so that git
# never writes more than the loader would then read.
MAX_FILES = LIMITS.files
MAX_BYTES = LIMITS.bytes
MAX_LISTED = 10 * MAX_FILES  # entries git lists in the workspace's folders, trees included
_MAX_ENTRY = 16 * 1024  # the longest line of the listing: a mode, a hash, a size and a path
_CHUNK = 64 * 1024

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


@dataclass(frozen=True)
class Revision:
    """A commit of the repository that holds a workspace."""

    name: str  # as the user gave it: HEAD, origin/main, a1b2c3d
    commit: str  # its full hash
    repository: Repository
    prefix: str  # the workspace's folder in the repository ("" at its top, else "a/b/")


@dataclass(frozen=True)
class _Blob:
    mode: str
    hash: str
    size: int


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


def _git(
    repository: Repository, *args: str, stdin: bytes | None = None
) -> subprocess.CompletedProcess[bytes]:
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
def _streamed(
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


def _said(errors: IO[bytes]) -> str:
    """What git said of an error, bounded and printable."""
    errors.seek(0)
    return excerpt(errors.read(4096).decode("utf-8", "replace").strip(), 300)


# -- the repository -------------------------------------------------------------------------


def _git_dir(dot_git: Path) -> Path | None:
    """The git folder a ``.git`` entry is or names (``gitdir: …``, a linked worktree or a
    submodule), None when it is neither."""
    try:
        if dot_git.is_dir():
            return dot_git
        if not dot_git.is_file():
            return None
        with dot_git.open("rb") as file:
            first = file.read(4096).split(b"\n", 1)[0].strip()
    except OSError:
        return None
    if not first.startswith(b"gitdir:"):
        return None
    named = Path(os.fsdecode(first.removeprefix(b"gitdir:").strip()))
    folder = named if named.is_absolute() else dot_git.parent / named
    return folder if folder.is_dir() else None


def _repositories(folder: Path) -> list[Repository]:
    """The repositories whose working tree holds ``folder``, nearest first: each folder at
    or above it with a ``.git``; never one that looks like a bare repository."""
    found = []
    for top in (folder, *folder.parents):
        git_dir = _git_dir(top / ".git")
        if git_dir is not None:
            found.append(Repository(top, git_dir))
    return found


def _holds(repository: Repository, inside: str) -> bool:
    """Whether the repository's HEAD has the folder ``inside`` (a folder, not a submodule)."""
    kind = _git(repository, "cat-file", "-t", f"HEAD:{inside}")
    return kind.returncode == 0 and kind.stdout.strip() == b"tree"


def repository(folder: Path) -> tuple[Repository, str]:
    """The repository that holds ``folder`` (see the module's docstring: the outermost whose
    HEAD holds it, else the nearest), and ``folder``'s path in it ("" or "a/b/")."""
    folder = folder.resolve()
    found = _repositories(folder)
    if not found:
        raise UsageError(f"{folder} is not in a git repository: `mcplan diff` compares revisions")
    inside = {r: folder.relative_to(r.top).as_posix() for r in found}
    inside = {r: "" if path == "." else path for r, path in inside.items()}
    chosen = next((r for r in reversed(found) if _holds(r, inside[r])), found[0])
    return chosen, inside[chosen] + "/" if inside[chosen] else ""


def revision(folder: Path, name: str) -> Revision:
    """The commit ``name`` names in the repository of ``folder``; UsageError when it names
    none (or the repository has no commit yet)."""
    repo, prefix = repository(folder)
    if name.startswith("-"):
        raise UsageError(
            f"'{printable(name)}' is not a revision (it would be read as an option of git)"
        )
    found = _git(repo, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{name}^{{commit}}")
    if found.returncode != 0:
        if _git(repo, "rev-parse", "--verify", "--quiet", "HEAD").returncode != 0:
            raise UsageError(
                f"the repository at {repo.top} has no commit yet: there is nothing to compare "
                "with (commit the workspace first)"
            )
        raise UsageError(
            f"'{printable(name)}' is not a revision of the repository at {repo.top} (a branch, "
            "a tag, a commit or HEAD~1; in CI, fetch the base branch first: "
            "`git fetch origin main`)"
        )
    return Revision(name, found.stdout.decode().strip(), repo, prefix)


# -- the workspace's files at a revision ----------------------------------------------------


def _entries(rev: Revision, paths: list[str]) -> Generator[tuple[str, str, str, str], None, None]:
    """The mode, kind, hash and path of each entry git lists under ``paths`` at ``rev``, trees
    included, as git lists them; at most MAX_LISTED of them."""
    args = ["ls-tree", "-r", "-t", "-z", "--full-tree", rev.commit, "--", *paths]
    listed = 0
    with _streamed(rev.repository, *args) as (process, errors):
        assert process.stdout is not None
        pending = b""
        while chunk := process.stdout.read(_CHUNK):
            *done, pending = (pending + chunk).split(b"\0")
            for entry in done:
                listed += 1
                if listed > MAX_LISTED:
                    raise UsageError(
                        f"{printable(rev.name)} lists more than {numbers.count(MAX_LISTED)} "
                        "entries in the workspace's folders: `mcplan diff` lists at most that many"
                    )
                meta, _, raw = entry.partition(b"\t")
                mode, kind, hash_ = meta.decode("ascii", "replace").split()
                yield mode, kind, hash_, raw.decode("utf-8", "backslashreplace")
            if len(pending) > _MAX_ENTRY:
                raise UsageError(
                    f"{printable(rev.name)} holds a path longer than "
                    f"{numbers.count(_MAX_ENTRY)} bytes in the workspace's folders: no checkout "
                    "can have it"
                )
        if process.wait() != 0:
            raise UsageError(f"cannot list {printable(rev.name)}: {_said(errors)}")


def _listed(
    rev: Revision, files: list[str], folders: list[str], taken: int = 0
) -> dict[str, tuple[str, str]]:
    """What the loader reads of ``files`` and ``folders`` (paths in the workspace) at
    ``rev``: path in the workspace → (mode, hash) of regular files, each of ``files`` and the
    YAML files under ``folders`` whose names are not hidden; at most MAX_FILES of them, with
    the ``taken`` already listed."""
    found: dict[str, tuple[str, str]] = {}
    paths = [rev.prefix + path for path in (*files, *folders)]
    with contextlib.closing(_entries(rev, paths)) as entries:
        for mode, kind, hash_, path in entries:
            inside = path.removeprefix(rev.prefix)
            regular = kind == "blob" and mode.startswith("100")  # not a link (120000)
            if not (
                regular and path.startswith(rev.prefix) and _wanted(rev, inside, files, folders)
            ):
                continue
            if inside in found:
                raise UsageError(
                    f"{printable(rev.name)} holds '{excerpt(path, 200)}' twice: no checkout can "
                    "have it"
                )
            found[inside] = (mode, hash_)
            if len(found) + taken > MAX_FILES:
                raise UsageError(
                    f"{printable(rev.name)} holds more than {numbers.count(MAX_FILES)} workspace "
                    "files: `mcplan diff` reads at most that many of a revision"
                )
    return found


def _wanted(rev: Revision, inside: str, files: list[str], folders: list[str]) -> bool:
    parts = inside.split("/")
    if "" in parts:
        raise UsageError(
            f"{printable(rev.name)} holds a path no checkout can have: "
            f"'{excerpt(rev.prefix + inside, 200)}' (an empty name in it)"
        )
    return inside in files or (
        parts[0] in folders
        and len(parts) > 1
        and inside.endswith(YAML_SUFFIXES)
        and not any(part.startswith(".") for part in parts)  # "." and ".." too
    )


def _sized(rev: Revision, listed: dict[str, tuple[str, str]], taken: int = 0) -> dict[str, _Blob]:
    """The ``listed`` files with the size of each (``cat-file --batch-check``, once per
    content); UsageError when git lacks one, or when those the loader would read (up to
    MAX_FILE_BYTES each) add up to more than MAX_BYTES with the ``taken`` already."""
    if not listed:
        return {}
    hashes = list(dict.fromkeys(hash_ for _, hash_ in listed.values()))
    asked = "".join(f"{hash_}\n" for hash_ in hashes).encode()
    answer = _git(rev.repository, "cat-file", "--batch-check", stdin=asked)
    known = {}
    for line in answer.stdout.decode("ascii", "replace").splitlines():
        hash_, kind, *size = line.split()
        if kind == "blob" and size:
            known[hash_] = int(size[0])
    found = {}
    for inside, (mode, hash_) in listed.items():
        if hash_ not in known:
            raise UsageError(
                f"cannot read '{excerpt(rev.prefix + inside, 200)}' at {printable(rev.name)}: "
                "git does not have its content (a shallow or partial clone: fetch the revision "
                "first)"
            )
        found[inside] = _Blob(mode, hash_, known[hash_])
    read = taken + sum(blob.size for blob in found.values() if blob.size <= MAX_FILE_BYTES)
    if read > MAX_BYTES:
        raise UsageError(
            f"the workspace files of {printable(rev.name)} add up to more than "
            f"{sizes(MAX_BYTES)[0]}: `mcplan diff` reads at most that much of a revision"
        )
    return found


def _conflict(rev: Revision, files: dict[str, _Blob]) -> None:
    """UsageError when a path of ``files`` is also a folder of another."""
    folders = {path.rsplit("/", n)[0] for path in files for n in range(1, path.count("/") + 1)}
    both = sorted(folders & files.keys())
    if both:
        raise UsageError(
            f"{printable(rev.name)} holds '{excerpt(rev.prefix + both[0], 200)}' both as a file "
            "and as a folder: no checkout can have it"
        )


def _create(root: Path, inside: str) -> IO[bytes]:
    """A new file at ``inside`` of ``root``, its folders made (only folders and regular files
    are ever made there, so no link can lead out)."""
    target = root.joinpath(*inside.split("/"))
    target.parent.mkdir(parents=True, exist_ok=True)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    return os.fdopen(os.open(target, flags, 0o600), "wb")


def _write(rev: Revision, root: Path, files: dict[str, _Blob]) -> None:
    """Write ``files`` into ``root``: the content of each, streamed from one ``cat-file
    --batch``, or for one over MAX_FILE_BYTES a sparse file of its size."""
    by_hash: dict[str, list[str]] = {}
    for inside, blob in files.items():
        try:
            if blob.size > MAX_FILE_BYTES:
                with _create(root, inside) as file:
                    _sparse(file, blob.size)
            else:
                by_hash.setdefault(blob.hash, []).append(inside)
        except OSError as error:
            _unwritable(rev, inside, error)
    if not by_hash:
        return
    with _streamed(rev.repository, "cat-file", "--batch", stdin=True) as (process, _):
        assert process.stdin is not None
        assert process.stdout is not None
        for hash_, paths in by_hash.items():
            blob_size = files[paths[0]].size
            process.stdin.write(f"{hash_}\n".encode())
            process.stdin.flush()
            header = process.stdout.readline(200).split()
            if len(header) != 3 or header[1] != b"blob" or header[2] != str(blob_size).encode():
                raise UsageError(
                    f"cannot read '{excerpt(rev.prefix + paths[0], 200)}' at "
                    f"{printable(rev.name)}: git does not have its content (a shallow or "
                    "partial clone: fetch the revision first)"
                )
            left = blob_size
            try:
                with _create(root, paths[0]) as file:
                    while left:
                        chunk = process.stdout.read(min(left, _CHUNK))
                        if not chunk:
                            raise UsageError(f"cannot read {printable(rev.name)}: git stopped")
                        file.write(chunk)
                        left -= len(chunk)
                process.stdout.read(1)  # the newline after each content
                first = root.joinpath(*paths[0].split("/"))
                for inside in paths[1:]:
                    with _create(root, inside) as file, first.open("rb") as content:
                        shutil.copyfileobj(content, file)
            except OSError as error:
                _unwritable(rev, paths[0], error)
        process.stdin.close()
        process.wait()


def _sparse(file: IO[bytes], size: int) -> None:
    """Make ``file`` ``size`` bytes long without writing them (over what the file system
    allows, one byte over what the loader reads: it is too big all the same)."""
    try:
        file.truncate(size)
    except OSError:
        file.truncate(MAX_FILE_BYTES + 1)


def _unwritable(rev: Revision, inside: str, error: OSError) -> None:
    raise UsageError(
        f"cannot copy '{excerpt(rev.prefix + inside, 200)}' of {printable(rev.name)} into a "
        f"temporary folder: {error.strerror or error}"
    ) from None


def _layout(root: Path) -> str | None:
    """The e-mail layout the settings written in ``root`` name, as the loader would read it
    (a path inside the workspace), or None."""
    found = read_settings(root, [])
    if not isinstance(found, SettingsFile):
        return None
    email = found.data.get("email")
    layout = email.get("layout") if isinstance(email, dict) else None
    if not isinstance(layout, str) or not layout.endswith(".mjml") or "\\" in layout:
        return None
    parts = layout.split("/")
    return layout if all(part not in ("", ".", "..") for part in parts) else None


@contextlib.contextmanager
def checked_out(rev: Revision) -> Iterator[Path | None]:
    """A temporary folder holding the workspace as it is at ``rev`` (None when the workspace
    did not exist then), removed afterwards."""
    files = _sized(rev, _listed(rev, [name for name, _ in CANDIDATES], list(FOLDERS)))
    if not files:
        yield None
        return
    with tempfile.TemporaryDirectory(prefix="mcplan-diff-") as folder:
        root = Path(folder)
        _conflict(rev, files)
        _write(rev, root, files)
        layout = _layout(root)
        if layout is not None and layout not in files:
            read = sum(blob.size for blob in files.values() if blob.size <= MAX_FILE_BYTES)
            more = _sized(rev, _listed(rev, [layout], [], len(files)), read)
            _conflict(rev, files | more)
            _write(rev, root, more)
        yield root
