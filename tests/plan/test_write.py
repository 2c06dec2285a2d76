"""Writing a plan into a campaign file: the new values, and everything else left as written."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from conftest import ROOT, Golden
from mcplan.plan.result import ProposedTouch
from mcplan.plan.write import UpdateError, diff, updated_text
from mcplan.workspace.yamlsource import parse

GOLDEN = Path(__file__).parent / "golden"
EXAMPLE = ROOT / "campaigns" / "soldes-hiver-2027.yaml"

CHANNELS = ("email", "sms")
BOTH = ("marie-citadine", "claire-acheteuse-pme")
TOUCHES = (
    ProposedTouch("email", datetime(2027, 1, 13, 9, 0), None),
    ProposedTouch("sms", datetime(2027, 1, 15, 18, 30), ("marie-citadine",), after="email"),
    ProposedTouch(
        "email", datetime(2027, 2, 3, 10, 15), ("marie-citadine", "claire-acheteuse-pme")
    ),
)

# No `channels` and no `touches`: both are added, after `message` (and its comments stay put).
WITHOUT_PLAN = """\
# yaml-language-server: $schema=../schemas/campaign.schema.json
id: rentree-2027
name: La rentrée
personas: [marie-citadine, claire-acheteuse-pme]
message:
  headline: La rentrée est là
  starts: 2027-09-01
  ends: 2027-09-30

# hand-written texts
variants:
  sms: "Maison Lumen : la rentrée est là"
"""

# Comments everywhere, and what a whole-file dump would rewrite: aligned values, spaces inside
# braces, `~` and `null`, two list indentations, a comment above `---`, quotes, a block scalar
# with a line that looks like a comment, a comment at the very end.
COMMENTS = """\
# yaml-language-server: $schema=../schemas/campaign.schema.json
# Above the document start.
---
# Above the first key.
id: hiver-2027        # the id
name: 'Hiver 2027'    # single-quoted

# A blank line above, a section comment here.
objectives:
    # a list indented by 4
    - { kind: sales, target: 1000 }   # spaces inside braces
    - kind: loyalty   # a block item
      weight: 2
budget:       6000    # aligned
max_channels: 3       # start small
personas: [ marie-citadine ]   # spaces inside brackets
message:              # the ONE core message
  headline: "Les soldes"   # double-quoted
  body: |
    Jusqu'à -40 %.
    # not a comment: text of the body
  offer:    "-40 %"   # aligned
  code: ~             # tilde
  cta: null           # null
  starts: 2027-01-13
  ends: 2027-02-09
channels: [email, instagram]   # chosen by hand
touches:                  # the schedule
  # above the first touch
  - {channel: email, at: 2027-01-13T09:00}   # the kick-off
  # between two touches
  - channel: instagram
    at: 2027-01-14T12:00
# after the touches, above variants

variants:   # hand-written
  sms: "Maison Lumen : -40 %"  # the SMS
# the very end
"""
# Comments on the old touches, which are replaced: they go with them.
ITEM_COMMENTS = ("# the kick-off", "# between two touches")


def touch_data(touch: ProposedTouch) -> dict[str, Any]:
    data: dict[str, Any] = {"channel": touch.channel, "at": touch.at.strftime("%Y-%m-%dT%H:%M")}
    if touch.after is not None:
        data["after"] = touch.after
    if touch.personas is not None:
        data["personas"] = list(touch.personas)
    return data


def read(text: str) -> dict[str, Any]:
    data = parse(text, "test.yaml").data
    assert isinstance(data, dict)
    return data


def comments(text: str) -> list[str]:
    """Every comment of a YAML text (a `#` at a line start or after a space), block text aside."""
    found = []
    for line in text.splitlines():
        if "not a comment" in line:
            continue
        if match := re.search(r"(?:^|\s)(#.*)$", line):
            found.append(match[1])
    return found


def without(text: str, *keys: str) -> list[str]:
    """The lines of ``text`` except those of the top-level ``keys`` and their items.

    Comment lines under the keys stay, but for those of the old items (`ITEM_COMMENTS`).
    """
    kept, skipping = [], False
    for line in text.splitlines():
        if any(line.startswith(f"{key}:") for key in keys):
            skipping = True
            continue
        if skipping and line.startswith((" ", "-")):
            if line.lstrip().startswith("#") and line.strip() not in ITEM_COMMENTS:
                kept.append(line)
            continue
        skipping = False
        kept.append(line)
    return kept


# -- golden files -------------------------------------------------------------------------------


def test_example_with_its_touches_replaced(golden: Golden) -> None:
    original = EXAMPLE.read_text("utf-8")
    output = updated_text(original, CHANNELS, TOUCHES)
    golden(GOLDEN / "write-soldes-hiver-2027.yaml", output)
    assert "  - {channel: email, at: 2027-01-13T09:00}\n" in output
    assert (
        "  - {channel: sms, at: 2027-01-15T18:30, after: email, personas: [marie-citadine]}\n"
        in output
    )


def test_missing_keys_are_added_after_message(golden: Golden) -> None:
    output = updated_text(WITHOUT_PLAN, CHANNELS, TOUCHES)
    golden(GOLDEN / "write-added.yaml", output)
    assert list(read(output)) == [
        "id",
        "name",
        "personas",
        "message",
        "channels",
        "touches",
        "variants",
    ]
    assert "  ends: 2027-09-30\nchannels: [email, sms]\ntouches:\n" in output


def test_a_file_full_of_comments(golden: Golden) -> None:
    output = updated_text(COMMENTS, CHANNELS, TOUCHES)
    golden(GOLDEN / "write-comments.yaml", output)
    kept = [c for c in comments(COMMENTS) if c not in ITEM_COMMENTS]
    assert len(kept) == len(comments(COMMENTS)) - len(ITEM_COMMENTS)
    for comment in kept:
        assert comment in comments(output), comment
    for comment in ITEM_COMMENTS:
        assert comment not in output
    # Every line outside the two values is kept as it was, where it was.
    assert without(output, "channels", "touches") == without(COMMENTS, "channels", "touches")
    # The comments on the two keys' lines stay on them, at their column.
    assert "channels: [email, sms]         # chosen by hand\n" in output
    assert "touches:                  # the schedule\n  # above the first touch\n" in output


def test_a_file_full_of_comments_keeps_every_comment_when_touches_stay() -> None:
    output = updated_text(COMMENTS, CHANNELS, None)
    assert comments(output) == comments(COMMENTS)
    assert output == COMMENTS.replace("[email, instagram]", "[email, sms]      ")


def test_diff(golden: Golden) -> None:
    original = EXAMPLE.read_text("utf-8")
    display = "campaigns/soldes-hiver-2027.yaml"
    output = diff(display, original, updated_text(original, CHANNELS, TOUCHES))
    golden(GOLDEN / "write-soldes-hiver-2027.diff", output)
    assert output.startswith(f"--- a/{display}\n+++ b/{display}\n@@ ")


# -- what the text reads back as ----------------------------------------------------------------


def campaign_texts() -> list[tuple[str, str]]:
    files = sorted((ROOT / "campaigns").glob("*.yaml"))
    return [(p.name, p.read_text("utf-8")) for p in files] + [
        ("without-plan", WITHOUT_PLAN),
        ("comments", COMMENTS),
    ]


@pytest.mark.parametrize(("name", "original"), campaign_texts())
def test_reads_back_as_exactly_the_new_values(name: str, original: str) -> None:
    before = read(original)
    after = read(updated_text(original, CHANNELS, TOUCHES))
    assert after["channels"] == list(CHANNELS)
    assert after["touches"] == [touch_data(t) for t in TOUCHES]
    assert {k: v for k, v in after.items() if k not in ("channels", "touches")} == {
        k: v for k, v in before.items() if k not in ("channels", "touches")
    }


@pytest.mark.parametrize(("name", "original"), campaign_texts())
def test_only_the_two_values_change(name: str, original: str) -> None:
    output = updated_text(original, CHANNELS, TOUCHES)
    assert without(output, "channels", "touches") == without(original, "channels", "touches")


@pytest.mark.parametrize(("name", "original"), campaign_texts())
def test_nothing_to_write_is_the_same_text(name: str, original: str) -> None:
    assert updated_text(original, None, None) == original


@pytest.mark.parametrize(("name", "original"), campaign_texts())
def test_writing_twice_changes_nothing_more(name: str, original: str) -> None:
    once = updated_text(original, CHANNELS, TOUCHES)
    assert updated_text(once, CHANNELS, TOUCHES) == once
    assert diff(name, once, once) == ""


def test_values_already_in_the_file_are_left_as_written() -> None:
    original = "id: x\nmessage: {headline: h}\nchannels: [ email,sms ]\n"
    assert updated_text(original, ["email", "sms"], None) == original


def test_touches_only() -> None:
    original = EXAMPLE.read_text("utf-8")
    output = updated_text(original, None, TOUCHES[:1])
    assert read(output)["channels"] == read(original)["channels"]
    assert read(output)["touches"] == [{"channel": "email", "at": "2027-01-13T09:00"}]


# -- times --------------------------------------------------------------------------------------


def test_times_are_written_without_seconds_or_time_zone() -> None:
    touches = [ProposedTouch("email", datetime(2027, 1, 13, 9, 0, 0), None)]
    output = updated_text(WITHOUT_PLAN, None, touches)
    assert "  - {channel: email, at: 2027-01-13T09:00}\n" in output
    assert read(output)["touches"][0]["at"] == "2027-01-13T09:00"  # text, as mcplan reads it


def test_seconds_are_kept_when_not_zero() -> None:
    touches = [ProposedTouch("email", datetime(2027, 1, 13, 9, 0, 30), None)]
    output = updated_text(WITHOUT_PLAN, None, touches)
    assert read(output)["touches"][0]["at"] == "2027-01-13T09:00:30"


@pytest.mark.parametrize(
    "at", [datetime(2027, 1, 13, 9, tzinfo=UTC), datetime(2027, 1, 13, 9, 0, 0, 500)]
)
def test_a_time_that_the_file_format_cannot_hold_is_refused(at: datetime) -> None:
    with pytest.raises(ValueError, match="touch time"):
        updated_text(WITHOUT_PLAN, None, [ProposedTouch("email", at, None)])


def test_ids_that_would_read_as_other_values_are_quoted() -> None:
    output = updated_text(WITHOUT_PLAN, ["null", "12"], None)
    assert "channels: ['null', '12']\n" in output
    assert read(output)["channels"] == ["null", "12"]


# -- layout -------------------------------------------------------------------------------------


def test_the_list_indentation_of_the_touches_is_kept() -> None:
    original = "id: x\nmessage: {headline: h}\ntouches:\n- {channel: sms, at: 2027-01-01T09:00}\n"
    output = updated_text(original, None, TOUCHES[:1])
    assert output.endswith("touches:\n- {channel: email, at: 2027-01-13T09:00}\n")


def test_a_new_list_is_indented_like_the_file_s_other_lists() -> None:
    original = "id: x\nobjectives:\n    - {kind: sales}\nmessage: {headline: h}\n"
    output = updated_text(original, None, TOUCHES[:1])
    assert output.endswith("touches:\n    - {channel: email, at: 2027-01-13T09:00}\n")


def test_an_empty_value_keeps_the_comments_under_it() -> None:
    original = "id: x\nmessage: {headline: h}\ntouches:  # to do\n  # one per day\nvariants: {}\n"
    output = updated_text(original, None, TOUCHES[:1])
    assert output == (
        "id: x\nmessage: {headline: h}\ntouches:  # to do\n  # one per day\n"
        "  - {channel: email, at: 2027-01-13T09:00}\nvariants: {}\n"
    )


def test_a_block_list_of_channels_becomes_a_flow_list_with_its_comment() -> None:
    original = "id: x\nmessage: {headline: h}\nchannels:   # mine\n  - email\n  - mail\nname: y\n"
    output = updated_text(original, ["sms"], None)
    assert output == "id: x\nmessage: {headline: h}\nchannels: [sms]   # mine\nname: y\n"


def test_a_block_text_keeping_its_blank_lines_keeps_them() -> None:
    original = "id: x\nmessage:\n  headline: h\n  body: |+\n    text\n\n# the end\n"
    output = updated_text(original, ["sms"], None)
    assert (
        output
        == "id: x\nmessage:\n  headline: h\n  body: |+\n    text\n\nchannels: [sms]\n# the end\n"
    )
    assert read(output)["message"]["body"] == "text\n\n"


def test_crlf_line_ends_and_a_missing_last_line_end_are_kept() -> None:
    original = WITHOUT_PLAN.rstrip("\n").replace("\n", "\r\n")
    output = updated_text(original, CHANNELS, TOUCHES)
    assert "\n" not in output.replace("\r\n", "")
    assert not output.endswith("\n")
    assert output.replace("\r\n", "\n") + "\n" == updated_text(WITHOUT_PLAN, CHANNELS, TOUCHES)


def test_a_byte_order_mark_is_kept_and_not_counted_as_indentation() -> None:
    original = "\ufeffid: x\nmessage: {headline: h}\n"
    output = updated_text(original, ["sms"], None)
    assert output == "\ufeffid: x\nmessage: {headline: h}\nchannels: [sms]\n"


def test_an_indented_document_stays_indented() -> None:
    original = "  id: x\n  message: {headline: h}\n"
    output = updated_text(original, ["sms"], TOUCHES[:1])
    assert output == (
        "  id: x\n  message: {headline: h}\n  channels: [sms]\n  touches:\n"
        "    - {channel: email, at: 2027-01-13T09:00}\n"
    )


# -- what cannot be done ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "original",
    [
        "id: x\nmessage: {headline: h}\ntouches: &t []\nother: *t\n",  # the anchor would go
        "{id: x, message: {headline: h}}\n",  # not a block mapping
        "id: x\nchannels: [a]\nchannels: [b]\n",  # written twice
    ],
)
def test_what_cannot_be_updated_safely_is_refused(original: str) -> None:
    with pytest.raises(UpdateError):
        updated_text(original, ["sms"], TOUCHES[:1])


def test_diff_marks_a_missing_last_line_end() -> None:
    assert diff("c.yaml", "a: 1", "a: 2") == (
        "--- a/c.yaml\n+++ b/c.yaml\n@@ -1 +1 @@\n-a: 1\n\\ No newline at end of file\n"
        "+a: 2\n\\ No newline at end of file\n"
    )


@pytest.mark.parametrize("key", ['"channels"', "'channels'", "'channels' "])
def test_a_quoted_key_keeps_its_quotes(key: str) -> None:
    original = f"personas: [marie]\nmessage: {{headline: x}}\n{key}: [email]  # mine\n"
    updated = updated_text(original, ["email", "sms"], None)
    assert updated == original.replace("[email]", "[email, sms]")
