"""The files an engine is handed, each checked by `mcplan.exports` before any engine starts,
and how a message names them: as the user did, never by the path a link resolves to."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from mcplan.attribution.columns import COLUMNS
from mcplan.errors import UsageError
from mcplan.exports import ENGINE_MAX_BYTES, GLOB, ExportFile, export_file, export_files
from mcplan.printable import excerpt
from mcplan.tabular import first_line, folded

PARQUET = (".parquet", ".pq")


@dataclass(frozen=True)
class Source:
    """The files of an export, each checked (`mcplan.exports`): one file, or the Parquet
    files of a folder or a glob with the folder they are in (``root``: their partitions'
    base)."""

    source: str  # as the user named it
    display: str  # the same, for messages
    files: list[ExportFile]
    parquet: bool
    root: Path | None = None


def source(named: str) -> Source:
    """The files ``named`` names: a file, a folder of Parquet files or a glob of them."""
    display = excerpt(named, 200)
    glob = bool(GLOB.search(named))
    if glob and not named.lower().endswith(PARQUET):
        raise UsageError(f"{display}: a pattern names Parquet files (*.parquet)")
    if glob or Path(named).is_dir():
        root, files = export_files(named, suffixes=PARQUET)
        if not files:
            what = "no file matches this pattern" if glob else "no Parquet file in this folder"
            raise UsageError(f"{display}: {what}")
        return Source(named, display, files, True, root)
    file = export_file(named, max_bytes=ENGINE_MAX_BYTES)
    return Source(named, file.display, [file], named.lower().endswith(PARQUET))


def is_paths(named: str, file: ExportFile) -> bool:
    """Whether a CSV file is a paths file (the row reader reads those: they are small; one
    too big for it is a touch log, for DuckDB)."""
    from mcplan.attribution.data import MAX_BYTES
    from mcplan.tabular import read_table

    if file.size > MAX_BYTES:
        return False
    with read_table(Path(named), max_bytes=MAX_BYTES, needs="data rows") as table:
        names = {folded(h) for h in table.header}
    return bool(names & set(COLUMNS["path"]))


def shown(found: Source, file: str) -> str | None:
    """A file of the export ``found`` as the user named it; None for the export itself."""
    named = next((f.display for f in found.files if str(f.path) == file), excerpt(file, 200))
    return None if named == found.display else named


def said(error: BaseException, found: Source) -> str:
    """What an engine says of the files: the first line of its message, each file's path
    as the user named it, bounded and escaped (DuckDB's CSV reader quotes lines)."""
    text = first_line(error)
    for file in found.files:
        if str(file.path) in text:
            text = text.replace(str(file.path), file.display)
    return excerpt(text, 160)
