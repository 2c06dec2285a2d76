"""Read a workspace as it is at a git revision, through git itself.

No checkout and no clone: ``git ls-tree`` lists the workspace's files at the revision and
``git cat-file --batch`` gives their content, which is written into a temporary folder that
is removed when the comparison is done. Only what a workspace is made of is written
(``.yaml``, ``.yml`` and ``.toml`` files, and ``.mjml`` e-mail layouts, as regular files: a
link or a submodule at the revision is left out), each cut one byte over the size the loader
reads, so that a huge file is reported as too big (S103) rather than copied whole.
"""

from __future__ import annotations

import contextlib
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from mcplan.errors import UsageError
from mcplan.workspace.files import MAX_FILE_BYTES

SUFFIXES = (".yaml", ".yml", ".toml", ".mjml")  # .mjml: an e-mail layout
_BLOBS = ("100644", "100755")  # regular files; 120000 is a link, 160000 a submodule


@dataclass(frozen=True)
class Revision:
    """A commit of the repository that holds a workspace."""

    name: str  # as the user gave it: HEAD, origin/main, a1b2c3d
    commit: str  # its full hash
    repository: Path  # the repository's top folder
    prefix: str  # the workspace's folder in the repository ("" at its top, else "a/b/")


def _git(
    repository: Path, *args: str, stdin: bytes | None = None
) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(
            ["git", "-C", str(repository), *args], input=stdin, capture_output=True, check=False
        )
    except FileNotFoundError:
        raise UsageError(
            "git is not installed: `mcplan diff` reads revisions through git"
        ) from None


def repository(folder: Path) -> tuple[Path, str]:
    """The top folder of the repository that holds ``folder``, and ``folder``'s path in it."""
    found = _git(folder, "rev-parse", "--show-toplevel")
    if found.returncode != 0:
        raise UsageError(f"{folder} is not in a git repository: `mcplan diff` compares revisions")
    top = Path(found.stdout.decode("utf-8", "replace").strip()).resolve()
    inside = folder.resolve().relative_to(top).as_posix()
    return top, "" if inside == "." else inside + "/"


def revision(folder: Path, name: str) -> Revision:
    """The commit ``name`` names in the repository of ``folder``; UsageError when it names
    none (or the repository has no commit yet)."""
    top, prefix = repository(folder)
    if name.startswith("-"):
        raise UsageError(f"'{name}' is not a revision (it would be read as an option of git)")
    found = _git(top, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{name}^{{commit}}")
    if found.returncode != 0:
        if _git(top, "rev-parse", "--verify", "--quiet", "HEAD").returncode != 0:
            raise UsageError(
                f"the repository at {top} has no commit yet: there is nothing to compare with "
                "(commit the workspace first)"
            )
        raise UsageError(
            f"'{name}' is not a revision of the repository at {top} (a branch, a tag, a commit "
            "or HEAD~1; in CI, fetch the base branch first: `git fetch origin main`)"
        )
    return Revision(name, found.stdout.decode().strip(), top, prefix)


def files(rev: Revision) -> dict[str, tuple[str, str]]:
    """The workspace's files at ``rev``: path in the workspace → (mode, blob hash)."""
    args = ["ls-tree", "-r", "-z", "--full-tree", rev.commit]
    if rev.prefix:
        args += ["--", rev.prefix]
    listed = _git(rev.repository, *args)
    if listed.returncode != 0:
        raise UsageError(
            f"cannot list {rev.name}: {listed.stderr.decode(errors='replace').strip()}"
        )
    found = {}
    for entry in listed.stdout.split(b"\0"):
        if not entry:
            continue
        meta, _, raw = entry.partition(b"\t")
        mode, kind, blob = meta.decode().split()
        path = raw.decode("utf-8", "replace")
        if kind != "blob" or not path.startswith(rev.prefix):
            continue
        inside = path[len(rev.prefix) :]
        if PurePosixPath(inside).suffix in SUFFIXES and ".." not in PurePosixPath(inside).parts:
            found[inside] = (mode, blob)
    return found


def _contents(rev: Revision, blobs: list[str]) -> list[bytes]:
    """Each blob's content, in order, at most one byte over what the loader reads (a blob
    over that size is read only that far)."""
    if not blobs:
        return []
    asked = "".join(f"{b}\n" for b in blobs).encode()
    sizes = [
        int(line.split()[2])
        for line in _git(
            rev.repository, "cat-file", "--batch-check", stdin=asked
        ).stdout.splitlines()
    ]
    small = [b for b, size in zip(blobs, sizes, strict=True) if size <= MAX_FILE_BYTES]
    out = _git(
        rev.repository, "cat-file", "--batch", stdin="".join(f"{b}\n" for b in small).encode()
    )
    data, at, read = out.stdout, 0, {}
    for blob in small:
        header_end = data.index(b"\n", at)
        start = header_end + 1
        end = start + int(data[at:header_end].split()[2])
        read[blob] = data[start:end]
        at = end + 1  # the newline after each content
    return [read[b] if b in read else _head(rev, b) for b in blobs]


def _head(rev: Revision, blob: str) -> bytes:
    """The first bytes of a blob too big to read, enough for the loader to say so."""
    with subprocess.Popen(
        ["git", "-C", str(rev.repository), "cat-file", "blob", blob], stdout=subprocess.PIPE
    ) as process:
        assert process.stdout is not None
        head = process.stdout.read(MAX_FILE_BYTES + 1)
        process.kill()
    return head


@contextlib.contextmanager
def checked_out(rev: Revision) -> Iterator[Path | None]:
    """A temporary folder holding the workspace as it is at ``rev`` (None when the workspace
    did not exist then), removed afterwards."""
    found = files(rev)
    if not found:
        yield None
        return
    with tempfile.TemporaryDirectory(prefix="mcplan-diff-") as folder:
        root = Path(folder)
        regular = {path: blob for path, (mode, blob) in found.items() if mode in _BLOBS}
        for path, content in zip(regular, _contents(rev, list(regular.values())), strict=True):
            target = root / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)
        yield root
