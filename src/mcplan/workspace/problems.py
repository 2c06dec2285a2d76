"""Turn pydantic validation errors into findings a marketer can act on.

Pydantic reports ``loc=('touches', 2, 'at')`` and ``"Input should be a valid datetime"``; users
need ``campaigns/noel.yaml:14:9: touches[2].at: '13/01/2027' is not a date and time: write
YYYY-MM-DDTHH:MM``. This module walks each error's location through the data that was
validated (dropping pydantic's internal steps such as union branch names), finds the position
in the :class:`~mcplan.yamlsource.SourceMap`, and rewrites the message.
"""

from __future__ import annotations

import re
import types
import typing
from collections.abc import Mapping
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from mcplan import numbers
from mcplan.findings import NOTHING, Finding, Rule, Subject
from mcplan.numbers import plural
from mcplan.printable import excerpt
from mcplan.suggest import closest, did_you_mean
from mcplan.workspace.fields import CROSS_CHECK, SALVAGING
from mcplan.workspace.ids import suggest_id
from mcplan.workspace.sourcemap import (
    HUGE,
    KeyPath,
    Renumbered,
    SourceFloat,
    SourceInt,
    SourceMap,
    format_path,
    walk,
)
from mcplan.workspace.structure import INVALID_VALUE, MISSING_KEY, UNKNOWN_KEY, UNKNOWN_REFERENCE

Model = TypeVar("Model", bound=BaseModel)

_TYPE_NAMES = {
    "int_type": "a whole number",
    "int_parsing": "a whole number",
    "float_type": "a number",
    "float_parsing": "a number",
    "bool_type": "true or false",
    "bool_parsing": "true or false",
    "string_type": "text",
    "dict_type": "a mapping (key: value lines)",
    "model_type": "a mapping (key: value lines)",
    "model_attributes_type": "a mapping (key: value lines)",
    "list_type": "a list",
    "tuple_type": "a list",
}


def validation_findings(
    exc: ValidationError, model: type[BaseModel], data: Any, source: SourceMap
) -> list[Finding]:
    """One finding per distinct problem in ``exc``, located through ``source``.

    A required key written with a typo is one problem: the unknown key says which key it
    means, and the missing key is not reported again.
    """
    findings: dict[tuple[Any, ...], Finding] = {}
    errors = exc.errors(include_url=False)
    misspelt = set()
    for error in errors:
        if error["type"] == "extra_forbidden":
            path = _data_path(data, tuple(error["loc"]))
            if path:
                meant = closest(str(path[-1]), _known_keys(model, path[:-1]))
                misspelt.add((path[:-1], meant))
    for error in errors:
        loc = tuple(error["loc"])
        path = _data_path(data, loc)
        kind = error["type"]
        if kind == "missing" and (path, loc[-1]) in misspelt:
            continue
        at = (error.get("ctx") or {}).get("at") if kind == CROSS_CHECK else None
        if at and (*path, at) in source.values:
            path = (*path, at)  # the field that says what disagrees
        # Unknown keys, bad mapping keys and problems with a whole block point at the key.
        is_key = kind == "extra_forbidden" or "[key]" in loc or _is_block(data, path)
        where = source.locate(path, key=is_key)
        rule, message = _describe(error, model, path, loc)
        prefix = format_path(path) + ": " if path else ""
        finding = rule(where, prefix + message)
        # A value that fails both branches of a union is reported once.
        findings.setdefault((where, path), finding)
    return list(findings.values())


def error_paths(exc: ValidationError, data: Any) -> set[KeyPath]:
    """The paths in ``data`` of the values ``exc`` finds wrong (a missing key: the mapping
    that lacks it)."""
    return {_data_path(data, tuple(error["loc"])) for error in exc.errors(include_url=False)}


def salvaged(
    exc: ValidationError, model: type[Model], data: Any, context: dict[str, Any]
) -> tuple[Model, Renumbered] | None:
    """What can be read of a document that does not validate: the model of the document less
    what is wrong in it (an unknown key, a bad value, a list item that holds one), or None
    when a required part is wrong.

    So that one run checks everything else in the file (the ids it names, its touches) and
    reports every problem, not only the first ones. A required key the model has a stand-in
    for (``STAND_INS``, a value no check reads) gets it in place of a wrong or missing value.
    With the model comes, for each list that
    lost items, the index in the file of each item left (see
    :attr:`~mcplan.workspace.sourcemap.SourceMap.renumbered`): ``personas[1]`` of the model
    may be ``personas[2]`` of the file.
    """
    lenient = {**context, SALVAGING: True}  # checks across fields stand aside
    stand_ins: dict[str, Any] = getattr(model, "STAND_INS", {})
    for _ in range(_ROUNDS):
        data = _pruned(data, exc, set(stand_ins))
        if data is None:
            return None
        data = {**stand_ins, **data}
        try:
            return model.model_validate(data, context=lenient), _renumbered(data)
        except ValidationError as again:
            exc = again
    return None


class _Numbered(list[Any]):
    """A list that knows the index in the file of each of its items."""

    origin: list[int]


def _renumbered(data: Any) -> Renumbered:
    return {
        path: tuple(value.origin)
        for path, value in walk(data)
        if isinstance(value, _Numbered) and value.origin != list(range(len(value)))
    }


_ROUNDS = 8  # an item dropped may leave its list too short, then the list goes, then its parent


def _pruned(data: Any, exc: ValidationError, standing_in: set[str]) -> Any:
    """A copy of ``data`` without the values the errors are about (the item or key that holds
    a missing one, unless a stand-in takes its place); None when that would be the whole
    document."""
    paths = set()
    for error in exc.errors(include_url=False):
        if error["type"] == CROSS_CHECK:
            continue  # each value is right: keep them all (see `salvaged`)
        if error["type"] == "missing" and tuple(error["loc"]) in {(k,) for k in standing_in}:
            continue
        # The part of the error's location that is in the data: for a missing key, the item
        # or mapping that lacks it.
        path = _data_path(data, tuple(error["loc"]))
        if not path:
            return None
        paths.add(path)
    copy = _copied(data)
    # Deepest first, and the last items of a list before the first, so indexes stay right.
    order = [(len(p), [(0, x, "") if isinstance(x, int) else (1, 0, x) for x in p]) for p in paths]
    for _, path in sorted(zip(order, paths, strict=True), reverse=True):
        parent = copy
        for part in path[:-1]:
            parent = parent[part]
        if isinstance(parent, dict):
            parent.pop(path[-1], None)
        elif isinstance(parent, _Numbered) and isinstance(path[-1], int) and path[-1] < len(parent):
            del parent[path[-1]]
            del parent.origin[path[-1]]
    return copy


def _copied(data: Any) -> Any:
    """A copy of the containers of ``data``, its lists numbered; the scalars are shared (they
    are immutable)."""
    if isinstance(data, dict):
        return {k: _copied(v) for k, v in data.items()}
    if isinstance(data, list):
        copy = _Numbered(_copied(v) for v in data)
        copy.origin = list(data.origin) if isinstance(data, _Numbered) else list(range(len(data)))
        return copy
    return data


def unknown_reference(
    source: SourceMap,
    path: KeyPath,
    kind: str,
    value: str,
    known: Mapping[str, str],
    *,
    key: bool = False,
    subject: Subject = NOTHING,
) -> Finding:
    """``touches[2].channel: unknown channel 'smss' (did you mean 'sms'?)``.

    ``known`` maps the ids, and the names, of what exists to its id. ``key=True`` when the id
    is a mapping key (``channels: {smss: …}``).
    """
    return UNKNOWN_REFERENCE(
        source.locate(path, key=key),
        f"{source.name(path)}: unknown {kind} '{excerpt(value)}'{suggest_id(value, known)}",
        hint=f"use the id of an existing {kind}; `mcplan {kind}s` lists them",
        subject=subject,
    )


def _is_block(data: Any, path: KeyPath) -> bool:
    for part in path:
        data = data[part]
    return isinstance(data, dict | list)


def _data_path(data: Any, loc: tuple[Any, ...]) -> KeyPath:
    """The part of ``loc`` that exists in ``data`` (pydantic adds steps of its own)."""
    path: list[str | int] = []
    current = data
    for part in loc:
        in_mapping = isinstance(current, dict) and isinstance(part, str) and part in current
        in_list = isinstance(current, list) and isinstance(part, int) and 0 <= part < len(current)
        if in_mapping or in_list:
            current = current[part]
            path.append(part)
    return tuple(path)


def _describe(
    error: Any, model: type[BaseModel], path: KeyPath, loc: tuple[Any, ...]
) -> tuple[Rule, str]:
    """The rule an error breaks (a key unknown or missing, else a value not valid), and what
    its finding says."""
    kind = error["type"]
    if kind == "extra_forbidden":
        key = str(path[-1]) if path else str(loc[-1])
        known = _known_keys(model, path[:-1])
        return UNKNOWN_KEY, f"unknown key '{excerpt(key)}'{did_you_mean(key, known)}"
    if kind == "missing":
        return MISSING_KEY, f"missing required key '{loc[-1]}'"
    return INVALID_VALUE, _why_invalid(error)


def _why_invalid(error: Any) -> str:
    """What is wrong with a value, as a marketer reads it (not as pydantic says it)."""
    kind = error["type"]
    value = error.get("input")
    ctx = error.get("ctx") or {}
    if kind in ("enum", "literal_error"):
        allowed = re.findall(r"'([^']*)'", str(ctx.get("expected", "")))
        return (
            f"{_show(value)} is not one of: {', '.join(allowed)}{did_you_mean(str(value), allowed)}"
        )
    if kind in ("value_error", "assertion_error"):
        return str(ctx.get("error", error["msg"]))
    if kind == CROSS_CHECK:
        return str(ctx["reason"])
    if kind in _TYPE_NAMES:
        return _wrong_type(kind, value)
    if kind in _BOUNDS:
        return _out_of_bounds(kind, value, ctx)
    if kind in ("too_short", "too_long"):
        return _wrong_length(kind, ctx)
    if "date" in kind or "time" in kind:
        detail = ctx.get("error", "")
        return f"{_show(value)} is not a valid date or time" + (f" ({detail})" if detail else "")
    return f"{error['msg'][:1].lower()}{error['msg'][1:]}, got {_show(value)}"


def _wrong_type(kind: str, value: Any) -> str:
    message = f"expected {_TYPE_NAMES[kind]}, got {_show(value)}"
    if kind == "string_type" and isinstance(value, bool):
        message += f" (write it in quotes: '{str(value).lower()}')"
    return message


# What a number must be, by pydantic's error, and the context keys that hold its bound.
_BOUNDS = {
    "greater_than_equal": ("at least", ("ge", "gt")),
    "greater_than": ("more than", ("ge", "gt")),
    "less_than_equal": ("at most", ("le", "lt")),
    "less_than": ("less than", ("le", "lt")),
}


def _out_of_bounds(kind: str, value: Any, ctx: dict[str, Any]) -> str:
    words, keys = _BOUNDS[kind]
    return f"must be {words} {_limit(ctx, *keys)}, got {_show(value)}"


def _wrong_length(kind: str, ctx: dict[str, Any]) -> str:
    if kind == "too_short" and ctx.get("min_length") == 1:
        return "must not be empty"
    return (
        f"expected {_items(ctx.get('min_length'), ctx.get('max_length'))}, "
        f"got {numbers.count(ctx.get('actual_length') or 0)}"
    )


def _items(low: int | None, high: int | None) -> str:
    if low == high:
        return f"exactly {plural(low or 0, 'item')}"
    if high is None:
        return f"at least {plural(low or 0, 'item')}"
    return f"at most {plural(high, 'item')}"


def _limit(ctx: dict[str, Any], *keys: str) -> str:
    """A bound in a finding, in the locale of the command: ``10 000 000 000`` in French."""
    return numbers.number(next(ctx[k] for k in keys if k in ctx))


def number_text(value: float) -> str:
    """A bound as the schemas and their documentation write it, whatever the locale:
    ``10,000,000,000``, ``8,784``, ``0.5``."""
    return f"{int(value):,}" if value == int(value) else f"{value:g}"


def _show(value: Any) -> str:
    if isinstance(value, SourceInt | SourceFloat) and len(value.source) > 40:
        return f"a number of {numbers.count(len(value.source))} characters"
    if isinstance(value, SourceInt | SourceFloat):
        return value.source
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int) and abs(value) >= HUGE:  # TOML's: never written out in full
        return "a number of more than 300 digits"
    if value is None:
        return "nothing"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    text = str(value)
    if len(text) > 40:
        text = text[:37] + "…"
    return f"'{text}'" if isinstance(value, str) else text


def _known_keys(model: type[BaseModel], path: KeyPath) -> list[str]:
    """The keys allowed in the mapping at ``path`` of a ``model`` document."""
    current: Any = model
    for part in path:
        current = _step(current, part)
        if current is None:
            return []
    found = _model_in(current)
    return list(found.model_fields) if found else []


def _step(tp: Any, part: str | int) -> Any:
    model = _model_in(tp)
    if model is not None and isinstance(part, str):
        field = model.model_fields.get(part)
        return field.annotation if field else None
    for arg in _unwrap(tp):
        origin = typing.get_origin(arg)
        if origin is list and isinstance(part, int):
            return typing.get_args(arg)[0]
        if origin is dict and isinstance(part, str):
            return typing.get_args(arg)[1]
    return None


def _model_in(tp: Any) -> type[BaseModel] | None:
    for arg in _unwrap(tp):
        if isinstance(arg, type) and issubclass(arg, BaseModel):
            return arg
    return None


def _unwrap(tp: Any) -> list[Any]:
    """The alternatives of an Optional/Union/Annotated type."""
    origin = typing.get_origin(tp)
    if origin is typing.Annotated:
        return _unwrap(typing.get_args(tp)[0])
    if origin in (typing.Union, types.UnionType):
        return [x for arg in typing.get_args(tp) for x in _unwrap(arg)]
    return [tp]
