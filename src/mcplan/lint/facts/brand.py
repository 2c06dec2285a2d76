"""The brand written otherwise than exactly: see `mcplan.lint.facts`."""

from __future__ import annotations

import functools
import re
import unicodedata

from mcplan.lint.facts.reading import Span, fold, protected

_BRAND_SEPARATORS = "[\\s\\-\u2010\u2011\u2013'’]*"


@functools.lru_cache(maxsize=64)
def _brand_pattern(brand: str) -> re.Pattern[str] | None:
    skeleton = [re.escape(c) for c in fold(brand) if not re.fullmatch(_BRAND_SEPARATORS, c)]
    if not skeleton:
        return None
    return re.compile(rf"(?<![\w#@]){_BRAND_SEPARATORS.join(skeleton)}(?!\w|\.\w)")


def brand_variants(text: str, brand: str) -> list[Span]:
    """Where `text` writes `brand` otherwise than exactly (see the module documentation)."""
    pattern = _brand_pattern(brand)
    # Most texts write the brand exactly, or not at all: then there is nothing to look for.
    if pattern is None or not pattern.search(fold(text.replace(brand, " "))):
        return []
    folded = [(f, i) for i, char in enumerate(text) for f in fold(char)]
    claims = protected(text)[0]
    expected = _typography(brand)
    variants = []
    for m in pattern.finditer("".join(f for f, _ in folded)):
        start, end = folded[m.start()][1], folded[m.end() - 1][1] + 1
        while end < len(text) and unicodedata.combining(text[end]):
            end += 1
        written = _typography(text[start:end])
        capitals = written == written.upper() and fold(written) == fold(expected)
        if written != expected and not capitals and claims.free(start, end):
            variants.append(Span(start, end, text[start:end]))
    return variants


def _typography(text: str) -> str:
    """`text` with any run of spaces as one space and ’ as '."""
    return re.sub(r"\s+", " ", text).replace("’", "'")
