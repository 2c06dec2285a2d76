"""mcplan's own Jinja templates, package data (the preview and calendar pages, the e-mail
layout; never a workspace's templates, which run in `mcplan.render.sandbox`): rendered with
autoescaping on, so that every text from the workspace is escaped and nothing is marked
safe."""

from __future__ import annotations

import functools
from collections.abc import Callable
from importlib import resources
from typing import Any

import jinja2


@functools.cache
def template(package: str, name: str, **filters: Callable[..., Any]) -> jinja2.Template:
    """The page template ``name`` of ``package``, with ``filters``; compiled once."""
    source = (resources.files(package) / name).read_text("utf-8")
    environment = jinja2.Environment(
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    environment.filters.update(filters)
    return environment.from_string(source)
