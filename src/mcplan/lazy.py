"""A module imported on first use, for what only some commands need."""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import Any


class lazy:
    """Stands for the module `name`, which is imported when one of its names is first read."""

    def __init__(self, name: str) -> None:
        self._name = name
        self._module: ModuleType | None = None

    def __getattr__(self, attribute: str) -> Any:
        if self._module is None:
            self._module = importlib.import_module(self._name)
        return getattr(self._module, attribute)
