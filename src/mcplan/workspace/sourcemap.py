"""Where each value of a file was written: a map from key paths to file:line:col.

A key path is the way to a value through the document: ``("touches", 2, "channel")`` is the
channel of the third touch, written ``touches[2].channel`` in messages.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from mcplan.findings import Location

KeyPath = tuple[str | int, ...]
Renumbered = dict[KeyPath, tuple[int, ...]]


class SourceInt(int):
    """An integer read from YAML that remembers how it was written (``0012``, ``0x1F``)."""

    source: str

    def __new__(cls, value: int, source: str) -> SourceInt:
        self = super().__new__(cls, value)
        self.source = source
        return self


# What a whole number of more than 300 digits stands for: more than any float holds, and far
# past every ceiling of the models (the largest is 10¹²).
HUGE = 10**300


class HugeInt(SourceInt):
    """A whole number written with more than 300 digits: it stands for ±10³⁰⁰ and shows as
    written.

    Python reads a number of n digits in time n², and refuses to read (or write) one of more
    than 4,300 (`sys.int_info`); a 1 MB file may write one of a million. Such a number is
    past every ceiling all the same, so a field that takes numbers refuses it at its line
    (S203), a text field gets it as written, and nothing ever converts its digits.
    """

    def __new__(cls, value: int, source: str) -> HugeInt:
        return super().__new__(cls, HUGE if value >= 0 else -HUGE, source)  # type: ignore[return-value]

    def __str__(self) -> str:
        return self.source

    __repr__ = __str__

    def __format__(self, spec: str) -> str:
        return self.source if not spec else super().__format__(spec)


class SourceFloat(float):
    """A float read from YAML that remembers how it was written (``1.10``)."""

    source: str

    def __new__(cls, value: float, source: str) -> SourceFloat:
        self = super().__new__(cls, value)
        self.source = source
        return self


@dataclass
class SourceMap:
    """Where each value (and each mapping key) of a document was written."""

    file: str
    values: dict[KeyPath, Location] = field(default_factory=dict)
    keys: dict[KeyPath, Location] = field(default_factory=dict)
    # For what could be read of a broken file (its bad list items left out): the index in the
    # file of each item of a list that lost some, by the list's path in what was read.
    renumbered: Renumbered = field(default_factory=dict)

    def locate(self, path: KeyPath, *, key: bool = False) -> Location:
        """The location of ``path``, or of its nearest ancestor that has one.

        With ``key=True`` the mapping key is preferred to its value (an unknown key is reported
        on the key itself).
        """
        path = self.written(path)
        for end in range(len(path), -1, -1):
            prefix = path[:end]
            if key and prefix in self.keys:
                return self.keys[prefix]
            if prefix in self.values:
                return self.values[prefix]
        return Location(self.file)

    def written(self, path: KeyPath) -> KeyPath:
        """``path`` as the file writes it: ``personas[1]`` is ``personas[2]`` when the item
        before it was left out (see :attr:`renumbered`)."""
        if not self.renumbered:
            return path
        out: list[str | int] = []
        for end, part in enumerate(path):
            origin = self.renumbered.get(path[:end])
            out.append(
                origin[part] if origin and isinstance(part, int) and part < len(origin) else part
            )
        return tuple(out)

    def name(self, path: KeyPath) -> str:
        """``touches[2].channel``, for a message about ``path``, as the file writes it."""
        return format_path(self.written(path))

    def merged(self, other: SourceMap, data: Any) -> SourceMap:
        """Positions for ``data``, the deep merge of this map's document with ``other``'s.

        Every path of the merged data was written by ``other`` if ``other`` has it, else by
        this map (used when a channel file ``extends`` another channel).
        """
        merged = SourceMap(other.file)
        for path, _ in walk(data):
            for source in (other, self):
                if path in source.values:
                    merged.values[path] = source.values[path]
                    if path in source.keys:
                        merged.keys[path] = source.keys[path]
                    break
        return merged


def format_path(path: KeyPath) -> str:
    """``("touches", 2, "channel")`` → ``touches[2].channel``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out or "(top level)"


def walk(data: Any) -> Iterator[tuple[KeyPath, Any]]:
    """Every (path, value) pair below ``data``, depth first, in file order."""
    stack: list[tuple[KeyPath, Any]] = [((), data)]
    while stack:
        path, value = stack.pop()
        yield path, value
        if isinstance(value, dict):
            stack.extend(reversed([((*path, k), v) for k, v in value.items()]))
        elif isinstance(value, list):
            stack.extend(reversed([((*path, i), v) for i, v in enumerate(value)]))


def source_text(value: Any) -> Any:
    """A number written in YAML where text is expected keeps its exact spelling (`1.10`)."""
    if isinstance(value, SourceInt | SourceFloat):
        return value.source
    return value
