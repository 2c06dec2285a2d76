"""Findings in every format people and CI systems read: one module per format.

A format's name is its module's name, its description the module's docstring, and its
``emit(result)`` turns a :class:`~mcplan.lint.engine.LintResult` into text or renderables.
Adding a format is adding a module here, and its golden file in the tests.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterator, Mapping

from mcplan.lint.engine import LintResult
from mcplan.output import FORMATS, Emitter


def _order(name: str) -> tuple[int, str]:
    known = list(FORMATS)
    return (known.index(name) if name in known else len(known), name)


# The format modules, in the order of the vocabulary; modules named "_…" are helpers.
NAMES = tuple(
    sorted(
        (m.name for m in pkgutil.iter_modules(__path__) if not m.name.startswith("_")), key=_order
    )
)


class _Emitters(Mapping[str, Emitter[LintResult]]):
    """The formats by name; a format's module is imported when its emitter is asked for (JUnit's
    XML library is no cost to a run that prints text)."""

    def __getitem__(self, name: str) -> Emitter[LintResult]:
        if name not in NAMES:
            raise KeyError(name)
        emitter: Emitter[LintResult] = importlib.import_module(f"{__name__}.{name}").emit
        return emitter

    def __iter__(self) -> Iterator[str]:
        return iter(NAMES)

    def __len__(self) -> int:
        return len(NAMES)


EMITTERS: Mapping[str, Emitter[LintResult]] = _Emitters()
