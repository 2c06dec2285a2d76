"""Findings in every format people and CI systems read: one module per format.

A format's name is its module's name (a module named ``_…`` is a helper), its description the
module's docstring, and its ``emit(result)`` turns a :class:`~mcplan.lint.engine.LintResult`
into text or renderables. :data:`NAMES` is read from this folder, no format imported, so that
`mcplan --help` lists the formats for nothing; a format's module is imported when its emitter
is first called. Adding a format is adding a module here (and its golden file in the tests):
`lint`, `validate` and `lint --output` offer it.
"""

from __future__ import annotations

import pkgutil
from typing import TYPE_CHECKING

from mcplan.lazy import lazy
from mcplan.output import FORMATS

if TYPE_CHECKING:
    from mcplan.lint.engine import LintResult
    from mcplan.output import Emitted, Emitter


def _order(name: str) -> tuple[int, str]:
    """Where a format comes in a list: as the vocabulary has it, then by name."""
    known = list(FORMATS)
    return (known.index(name) if name in known else len(known), name)


# The format modules, in the order of the vocabulary; modules named "_…" are helpers.
NAMES = tuple(
    sorted(
        (m.name for m in pkgutil.iter_modules(__path__) if not m.name.startswith("_")), key=_order
    )
)


def _emitter(name: str) -> Emitter[LintResult]:
    """The format ``name``'s ``emit``, its module imported when it is first called (JUnit's
    XML library is no cost to a run that prints text)."""
    module = lazy(f"{__name__}.{name}")

    def emit(result: LintResult) -> Emitted:
        emitted: Emitted = module.emit(result)
        return emitted

    return emit


EMITTERS: dict[str, Emitter[LintResult]] = {name: _emitter(name) for name in NAMES}
