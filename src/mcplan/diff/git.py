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
  revision runs no program and touches no network (`mcplan.diff.gitcommand`).

No checkout and no clone: ``git ls-tree`` lists what the loader reads at the revision (the
settings file, the YAML files of ``personas/``, ``campaigns/`` and ``channel_rules/``, and the
e-mail layout the settings name), ``git cat-file --batch-check`` gives their sizes
(`mcplan.diff.listing`) and ``git cat-file --batch`` streams their content into a temporary
folder, removed when the comparison is done (`mcplan.diff.tempcopy`). A link or a submodule
at the revision is left out; a file over the size the loader reads is written as a sparse
file of its size, so that the loader reports it as too big (S103) without a byte of it being
read. A revision that holds more than :data:`~mcplan.diff.listing.MAX_FILES` such files or
:data:`~mcplan.diff.listing.MAX_BYTES` of them, a path no checkout can have (a file and a
folder of one name, an empty name) or an object git does not have is a usage error that says
so; the listing itself stops at :data:`~mcplan.diff.listing.MAX_LISTED` entries.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from mcplan.diff import tempcopy
from mcplan.diff.gitcommand import Repository, run
from mcplan.diff.listing import Revision, conflict, listed, read_bytes, sized
from mcplan.errors import UsageError
from mcplan.printable import printable
from mcplan.workspace.loader import FOLDERS
from mcplan.workspace.tomlsource import CANDIDATES

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
    kind = run(repository, "cat-file", "-t", f"HEAD:{inside}")
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
    found = run(repo, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{name}^{{commit}}")
    if found.returncode != 0:
        if run(repo, "rev-parse", "--verify", "--quiet", "HEAD").returncode != 0:
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


@contextlib.contextmanager
def checked_out(rev: Revision) -> Iterator[Path | None]:
    """A temporary folder holding the workspace as it is at ``rev`` (None when the workspace
    did not exist then), removed afterwards."""
    files = sized(rev, listed(rev, [name for name, _ in CANDIDATES], list(FOLDERS)))
    if not files:
        yield None
        return
    with tempfile.TemporaryDirectory(prefix="mcplan-diff-") as folder:
        root = Path(folder)
        conflict(rev, files)
        tempcopy.write(rev, root, files)
        layout = tempcopy.layout(root)
        if layout is not None and layout not in files:
            more = sized(rev, listed(rev, [layout], [], len(files)), read_bytes(files))
            conflict(rev, files | more)
            tempcopy.write(rev, root, more)
        yield root
