"""SMS encoding and segments, against published figures and an independent GSM 03.38 codec.

Segment sizes: 3GPP TS 23.040 (a concatenated part carries a 6-octet header, leaving 153
septets or 67 UCS-2 characters) and Twilio's "What the Heck is a Segment?" (160/153 GSM-7,
70/67 UCS-2). The reference codec is the `gsm0338` package (test dependency only).
"""

from __future__ import annotations

import gsm0338  # noqa: F401  (registers the "gsm03.38" codec)
import pytest
from hypothesis import given
from hypothesis import strategies as st

from mcplan.render import gsm

EMOJI = "\U0001f600"


@pytest.mark.parametrize(
    ("text", "encoding", "units", "segments"),
    [
        ("", "GSM-7", 0, 0),
        ("a" * 160, "GSM-7", 160, 1),
        ("a" * 161, "GSM-7", 161, 2),
        ("a" * 306, "GSM-7", 306, 2),
        ("a" * 307, "GSM-7", 307, 3),
        ("€" * 80, "GSM-7", 160, 1),  # extension characters take two septets
        ("€" * 81, "GSM-7", 162, 2),
        # 306 septets, but the € cannot straddle parts 1 and 2: three parts, not two.
        ("a" * 152 + "€" + "a" * 152, "GSM-7", 306, 3),
        ("é" * 160, "GSM-7", 160, 1),  # é è à ù É Ç are in the default alphabet
        ("ç" * 70, "UCS-2", 70, 1),  # ç is not: the whole message becomes UCS-2
        ("ç" * 71, "UCS-2", 71, 2),
        ("ç" * 134, "UCS-2", 134, 2),
        ("ç" * 135, "UCS-2", 135, 3),
        ("a" * 68 + EMOJI, "UCS-2", 70, 1),  # an emoji is two UTF-16 units
        ("a" * 69 + EMOJI, "UCS-2", 71, 2),
        ("Prix : 29,90\u00a0€", "UCS-2", 14, 1),  # a non-breaking space is not GSM-7
    ],
)
def test_published_segment_figures(text: str, encoding: str, units: int, segments: int) -> None:
    count = gsm.count(text)
    assert (count.encoding, count.units, count.segments) == (encoding, units, segments)


def test_the_characters_that_force_ucs2_are_named_once_in_order() -> None:
    assert gsm.count("Noël, ça a l’air bien ! ça").non_gsm == ("ë", "ç", "’")


_GSM_CHARS = sorted((set(gsm.BASIC) - {"\x1b"}) | set(gsm.EXTENSION))
_FRENCH_TRAPS = [*list("çêâîôûëïœ«»’\xa0\u202f"), EMOJI, "😃"]


@given(st.text(st.sampled_from(_GSM_CHARS + _FRENCH_TRAPS), max_size=400))
def test_encoding_and_septets_agree_with_the_gsm0338_codec(text: str) -> None:
    count = gsm.count(text)
    try:
        encoded = text.encode("gsm03.38")
    except UnicodeEncodeError:
        assert count.encoding == "UCS-2"
        assert count.units == len(text.encode("utf-16-le")) // 2
        return
    assert count.encoding == "GSM-7"
    assert count.units == len(encoded)  # one byte per septet, escape sequences included


@given(st.text(st.sampled_from(_GSM_CHARS + _FRENCH_TRAPS), max_size=1200))
def test_segments_hold_the_text_and_no_more(text: str) -> None:
    count = gsm.count(text)
    single, part = (160, 153) if count.encoding == "GSM-7" else (70, 67)
    if count.units <= single:
        assert count.segments == (1 if text else 0)
    else:
        # At least the plain division; at most one more part per straddling character.
        assert -(-count.units // part) <= count.segments <= -(-count.units // (part - 1))


def _parts(text: str) -> int:
    """The parts of an SMS, a character at a time: each takes its septets (its UTF-16 units in
    UCS-2) in the part it starts, or starts the next one when it would not fit."""
    try:
        text.encode("gsm03.38")
        ucs2 = False
    except UnicodeEncodeError:
        ucs2 = True
    single, part = (70, 67) if ucs2 else (160, 153)
    sizes = [len(c.encode("utf-16-le")) // 2 if ucs2 else len(c.encode("gsm03.38")) for c in text]
    if sum(sizes) <= single:
        return 1 if text else 0
    parts, used = 1, 0
    for size in sizes:
        if used + size > part:
            parts, used = parts + 1, 0
        used += size
    return parts


@given(st.text(st.sampled_from([*_GSM_CHARS, *_FRENCH_TRAPS, "€", "[", EMOJI]), max_size=800))
def test_segments_are_those_of_a_character_at_a_time(text: str) -> None:
    assert gsm.count(text).segments == _parts(text)


@pytest.mark.parametrize(
    ("french", "expected"),
    [
        ("L’été à Noël", "L'été à Noel"),
        ("«\u00a0Ça\u00a0»", '" Ça "'),
        ("ça, être, île, hôtel, sûr, maïs, œuvre", "ca, etre, ile, hotel, sur, mais, oeuvre"),
        ("29,90\u00a0€ — -40\u202f%…", "29,90 € - -40 %..."),
        ("déjà vu", "déjà vu"),
    ],
)
def test_french_copy_gets_gsm_look_alikes(french: str, expected: str) -> None:
    text, _ = gsm.to_gsm(french)
    assert text == expected
    assert gsm.is_gsm(text)


def test_changes_are_reported_with_their_count() -> None:
    _, changes = gsm.to_gsm("l’été l’hiver ça")
    assert changes == {("’", "'"): 2, ("ç", "c"): 1}


def test_what_has_no_look_alike_is_kept() -> None:
    text, changes = gsm.to_gsm(f"Promo {EMOJI}")
    assert text == f"Promo {EMOJI}"
    assert not changes


@given(st.text())
def test_look_alikes_never_touch_gsm_text_and_only_leave_what_cannot_be_fixed(text: str) -> None:
    fixed, changes = gsm.to_gsm(text)
    if gsm.is_gsm(text):
        assert (fixed, changes) == (text, {})
    for old, new in changes:
        assert gsm.is_gsm(new)
        assert not gsm.is_gsm(old)
