"""Ids: the one a file has (`Id`), and those it names of other files (`Ref`), with the id
or name that was likely meant when one names nothing, within a bounded work.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Annotated

from pydantic import AfterValidator, BeforeValidator, ValidationInfo, WithJsonSchema

from mcplan.printable import excerpt
from mcplan.suggest import did_you_mean_id
from mcplan.workspace.sourcemap import source_text

ID_PATTERN = r"^[a-z0-9][a-z0-9_-]{0,63}$"

_ID = re.compile(ID_PATTERN)


def _check_id(value: str) -> str:
    if not _ID.match(value):
        raise ValueError(
            f"'{excerpt(value)}' is not a valid id: use 1 to 64 lowercase letters, digits, '-' "
            "or '_', starting with a letter or digit"
        )
    return value


KNOWN_IDS = "known_ids"  # in a validation context: {id or name: id} of what a file may name


class KnownIds(dict[str, str]):
    """{id or name: id} of what a file may name, and what its "did you mean" has cost.

    Each suggestion compares the word with every entry: 20,000 unknown ids among 1,000
    personas took 8 minutes. Past :data:`SUGGESTION_WORK` comparisons in all (a few
    seconds), an unknown id is reported without one, in the order the files are checked.
    """

    work = 0


SUGGESTION_WORK = 200_000


def suggest_id(value: str, known: Mapping[str, str]) -> str:
    """``did_you_mean_id``, within the work a :class:`KnownIds` allows."""
    if isinstance(known, KnownIds):
        known.work += len(known)
        if known.work > SUGGESTION_WORK:
            return ""
    return did_you_mean_id(value, known)


def _check_reference(value: str, info: ValidationInfo) -> str:
    """An id that names another file's persona or channel: when it is not an id, the one
    that was likely meant (``SMS`` is ``sms``; ``Anna Müller`` is the name of ``munich``)."""
    try:
        return _check_id(value)
    except ValueError as exc:
        meant = suggest_id(value, (info.context or {}).get(KNOWN_IDS) or {})
        raise ValueError(f"{exc}{meant}") from None


Id = Annotated[
    str,
    BeforeValidator(source_text),
    AfterValidator(_check_id),
    WithJsonSchema({"type": "string", "pattern": ID_PATTERN}),
]

Ref = Annotated[
    str,
    BeforeValidator(source_text),
    AfterValidator(_check_reference),
    WithJsonSchema({"type": "string", "pattern": ID_PATTERN}),
]
"""The id of a persona or a channel that a file names."""
