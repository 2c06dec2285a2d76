"""Deferred imports, one way for the whole package: a name is read from the module that defines
it, and that module is imported when the name is first read (PEP 562, a module's
``__getattr__``).

So `import mcplan` loads no model, `mcplan --help` no rule, and `mcplan validate` neither the
planner nor what only `lint` needs. Two uses, one helper (:func:`_reader`):

- a package's public API, each name defined in a module of its own (:func:`defer`)::

      defer(__name__, {"plan": "mcplan.plan.planner", "CampaignPlan": "mcplan.plan.result"})

- a module that only some commands need, used inside functions (:func:`lazy`)::

      sandbox = lazy("mcplan.render.sandbox")  # imported by sandbox.compile_template(…)

A name is read from its module each time (nothing is copied), so it is always that module's.
What one function alone needs is imported in that function, as each command imports the
library it calls. `tests/test_cli.py` checks what start-up imports.
"""

# No `from __future__ import annotations`: `import mcplan` (and `mcplan --version`) imports
# this module, and imports nothing it does not need.
import importlib
import os
import sys
from collections.abc import Callable, Mapping
from types import ModuleType
from typing import Any


def defer(module: str, names: Mapping[str, str]) -> None:
    """Give the module ``module`` the names of ``names`` (a name → the module that defines it),
    each imported when first read.

    A name that is also one of the package's modules (`mcplan.lint` is the function and the
    package of the linter) stays the name: importing that module sets the package's attribute
    to it, so such a name is a property of the package's type instead, which that assignment
    does not replace (`import mcplan.lint.engine` still imports the module).
    """
    owner = sys.modules[module]
    setattr(owner, "__getattr__", _reader(module, names.get))  # noqa: B010 (PEP 562's hook)
    shadowed = {name: source for name, source in names.items() if _is_module_of(owner, name)}
    if shadowed:
        properties = {name: _kept(name, source) for name, source in shadowed.items()}
        owner.__class__ = type("Deferred", (ModuleType,), properties)


def lazy(name: str) -> ModuleType:
    """A stand-in for the module ``name``: every name read from it is that module's, and the
    module is imported when the first one is read."""
    stand_in = ModuleType(name, f"{name}, imported when one of its names is first read")

    def source_of(_: str) -> str:
        return name

    setattr(stand_in, "__getattr__", _reader(name, source_of))  # noqa: B010 (PEP 562's hook)
    return stand_in


def _reader(module: str, source_of: Callable[[str], str | None]) -> Callable[[str], Any]:
    """A module's ``__getattr__``: ``name`` read from the module ``source_of(name)``, imported
    now (an AttributeError for a name it has no module for)."""

    def __getattr__(name: str) -> Any:
        source = source_of(name)
        if source is None:
            raise AttributeError(f"module {module!r} has no attribute {name!r}")
        # An imported module is in sys.modules: a dictionary look-up, not the import system's.
        return getattr(sys.modules.get(source) or importlib.import_module(source), name)

    return __getattr__


def _is_module_of(package: ModuleType, name: str) -> bool:
    """Whether ``name`` is also a module of ``package`` (found in its folder, imported not)."""
    for folder in getattr(package, "__path__", ()):
        where = os.path.join(folder, name)
        if os.path.isfile(os.path.join(where, "__init__.py")) or os.path.isfile(where + ".py"):
            return True
    return False


def _kept(name: str, source: str) -> property:
    """``name``, read from ``source`` however often the import system sets it."""

    def get(_: ModuleType) -> Any:
        return getattr(sys.modules.get(source) or importlib.import_module(source), name)

    def ignore(_: ModuleType, value: Any) -> None:
        """The module of the same name, set by the import system: `import mcplan.lint`
        still imports it and binds `mcplan`."""

    return property(get, ignore)


__all__ = ["defer", "lazy"]
