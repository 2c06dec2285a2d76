"""What the loader reads of a workspace at a revision, listed by ``git ls-tree`` and sized by
``git cat-file --batch-check``, bounded: at most :data:`MAX_FILES` files, :data:`MAX_BYTES`
of them, :data:`MAX_LISTED` entries listed; a path no checkout can have, or an object git
does not have, is a usage error that says so."""

from __future__ import annotations

import contextlib
from collections.abc import Generator
from dataclasses import dataclass

from mcplan import numbers
from mcplan.diff.gitcommand import Repository, run, said, streamed
from mcplan.errors import UsageError
from mcplan.numbers import sizes
from mcplan.printable import excerpt, printable
from mcplan.workspace.library import YAML_SUFFIXES
from mcplan.workspace.reading import LIMITS, MAX_FILE_BYTES

# What a revision may bring, at most: the loader's own bound on a whole workspace (its files,
# and their bytes: a file over MAX_FILE_BYTES is not read, and does not count), so that git
# never writes more than the loader would then read.
MAX_FILES = LIMITS.files
MAX_BYTES = LIMITS.bytes
MAX_LISTED = 10 * MAX_FILES  # entries git lists in the workspace's folders, trees included
_MAX_ENTRY = 16 * 1024  # the longest line of the listing: a mode, a hash, a size and a path
CHUNK = 64 * 1024  # bytes read of git's output at a time


@dataclass(frozen=True)
class Revision:
    """A commit of the repository that holds a workspace."""

    name: str  # as the user gave it: HEAD, origin/main, a1b2c3d
    commit: str  # its full hash
    repository: Repository
    prefix: str  # the workspace's folder in the repository ("" at its top, else "a/b/")


@dataclass(frozen=True)
class Blob:
    """A file of a revision: its mode, its content's hash and size."""

    mode: str
    hash: str
    size: int


def _entries(rev: Revision, paths: list[str]) -> Generator[tuple[str, str, str, str], None, None]:
    """The mode, kind, hash and path of each entry git lists under ``paths`` at ``rev``, trees
    included, as git lists them; at most MAX_LISTED of them."""
    args = ["ls-tree", "-r", "-t", "-z", "--full-tree", rev.commit, "--", *paths]
    listed = 0
    with streamed(rev.repository, *args) as (process, errors):
        assert process.stdout is not None
        pending = b""
        while chunk := process.stdout.read(CHUNK):
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
            raise UsageError(f"cannot list {printable(rev.name)}: {said(errors)}")


def listed(
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


def sized(rev: Revision, listed: dict[str, tuple[str, str]], taken: int = 0) -> dict[str, Blob]:
    """The ``listed`` files with the size of each (``cat-file --batch-check``, once per
    content); UsageError when git lacks one, or when those the loader would read (up to
    MAX_FILE_BYTES each) add up to more than MAX_BYTES with the ``taken`` already."""
    if not listed:
        return {}
    hashes = list(dict.fromkeys(hash_ for _, hash_ in listed.values()))
    asked = "".join(f"{hash_}\n" for hash_ in hashes).encode()
    answer = run(rev.repository, "cat-file", "--batch-check", stdin=asked)
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
        found[inside] = Blob(mode, hash_, known[hash_])
    if taken + read_bytes(found) > MAX_BYTES:
        raise UsageError(
            f"the workspace files of {printable(rev.name)} add up to more than "
            f"{sizes(MAX_BYTES)[0]}: `mcplan diff` reads at most that much of a revision"
        )
    return found


def read_bytes(files: dict[str, Blob]) -> int:
    """The bytes the loader reads of ``files``: those of each up to MAX_FILE_BYTES."""
    return sum(blob.size for blob in files.values() if blob.size <= MAX_FILE_BYTES)


def conflict(rev: Revision, files: dict[str, Blob]) -> None:
    """UsageError when a path of ``files`` is also a folder of another."""
    folders = {path.rsplit("/", n)[0] for path in files for n in range(1, path.count("/") + 1)}
    both = sorted(folders & files.keys())
    if both:
        raise UsageError(
            f"{printable(rev.name)} holds '{excerpt(rev.prefix + both[0], 200)}' both as a file "
            "and as a folder: no checkout can have it"
        )
