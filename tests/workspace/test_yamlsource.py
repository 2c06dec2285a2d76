from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from mcplan.findings import Location
from mcplan.workspace.reading import MAX_FILE_BYTES, UnreadableFile, read_text
from mcplan.workspace.sourcemap import SourceFloat, SourceInt
from mcplan.workspace.yamlsource import MAX_DEPTH, Document, parse, resolve_plain


def load_file(path: Path, display: str) -> Document:
    return parse(read_text(path, display, path.parent), display)


def fails(text: str) -> tuple[str, str, int, int]:
    with pytest.raises(UnreadableFile) as info:
        parse(text, "f.yaml")
    finding = info.value.finding
    assert finding.unreadable
    return finding.rule, finding.message, finding.location.line, finding.location.column


# -- YAML 1.2 core schema: the YAML 1.1 surprises do not happen ---------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("NO", "NO"),
        ("no", "no"),
        ("OFF", "OFF"),
        ("Y", "Y"),
        ("yes", "yes"),
        ("on", "on"),
        ("18:30", "18:30"),  # YAML 1.1: the sexagesimal number 1110
        ("2027-01-13", "2027-01-13"),  # YAML 1.1: a date object; the models parse text
        ("0b101", "0b101"),
        ("1_000", "1_000"),
        ("true", True),
        ("False", False),
        ("TRUE", True),
        ("~", None),
        ("null", None),
        ("", None),
        ("42", 42),
        ("-7", -7),
        ("0o17", 15),
        ("0x1F", 31),
        ("1.5", 1.5),
        ("1e3", 1000.0),
        ("-.inf", -math.inf),
    ],
)
def test_plain_scalars_follow_the_yaml_1_2_core_schema(text: str, expected: object) -> None:
    value = parse(f"v: {text}\n", "f.yaml").data["v"]
    assert value == expected
    assert type(value) is type(expected) or isinstance(value, SourceInt | SourceFloat)


def test_nan_is_a_float() -> None:
    assert math.isnan(parse("v: .nan", "f.yaml").data["v"])


@pytest.mark.parametrize("text", ["1.10", "0012", "+3", "1.0", "0x1F", "1e3"])
def test_numbers_remember_how_they_were_written(text: str) -> None:
    value = parse(f"v: {text}", "f.yaml").data["v"]
    assert value.source == text


@pytest.mark.parametrize("text", ["'NO'", '"1.10"', "|\n  18:30", "!!str 42"])
def test_quoted_block_and_str_tagged_scalars_are_text(text: str) -> None:
    assert isinstance(parse(f"v: {text}", "f.yaml").data["v"], str)


def test_standard_tags_convert_or_refuse() -> None:
    assert parse("v: !!float 3", "f.yaml").data["v"] == 3.0
    assert parse("v: !!int '12'", "f.yaml").data["v"] == 12
    rule, message, _, _ = fails("v: !!int twelve")
    assert (rule, message) == ("S107", "'twelve' is not a valid !!int")


@given(st.integers(-(10**300) + 1, 10**300 - 1))
def test_integers_resolve_to_themselves(n: int) -> None:
    value = resolve_plain(str(n))
    assert value == n
    assert value.source == str(n)


@pytest.mark.parametrize(
    "text", ["1" + "0" * 300, "-" + "9" * 4301, "+" + "1" * 1_000_000, "0x" + "f" * 5000]
)
def test_a_number_past_300_digits_is_never_converted_and_shows_as_written(text: str) -> None:
    value = resolve_plain(text)  # Python refuses to read more than 4,300 digits
    assert isinstance(value, int)
    assert abs(value) == 10**300
    assert (value < 0) == text.startswith("-")
    assert (str(value), repr(value), f"{value}") == (text, text, text)
    assert float(value) == math.copysign(1e300, value)
    assert resolve_plain("0" * 5000 + "12") == 12


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_floats_resolve_to_themselves(x: float) -> None:
    assert resolve_plain(repr(x)) == x


# Characters YAML allows unescaped (it forbids control characters and U+FFFE/U+FFFF).
_text = st.text(st.characters(exclude_categories=("Cs", "Cc"), exclude_characters="\ufffe\uffff"))
_json = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | _text,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(_text, children, max_size=4),
    max_leaves=25,
)


@given(st.lists(_json) | st.dictionaries(_text, _json))
def test_json_is_read_exactly_like_a_json_parser_would(data: object) -> None:
    """YAML 1.2 is a superset of JSON: a JSON document reads back as json.loads reads it.

    (Written as UTF-8: libyaml does not decode surrogate-pair escapes such as \\ud83d.)
    """
    for indent in (None, 2):
        text = json.dumps(data, indent=indent, ensure_ascii=False)
        assert parse(text, "f.json").data == json.loads(text)


@given(st.dictionaries(st.from_regex(r"[a-z]{1,8}", fullmatch=True), st.integers(), min_size=1))
def test_every_value_is_located_where_it_is_written(data: dict[str, int]) -> None:
    text = "".join(f"{key}:   {value}\n" for key, value in data.items())
    document = parse(text, "f.yaml")
    lines = text.splitlines()
    for key, value in data.items():
        where = document.source.locate((key,))
        line = lines[where.line - 1]
        assert line[where.column - 1 :].startswith(str(value))
        key_at = document.source.locate((key,), key=True)
        assert line[key_at.column - 1 :].startswith(key)


# -- positions -------------------------------------------------------------------------------


def test_positions_of_nested_values_and_keys() -> None:
    text = "touches:\n  - channel: email\n  - {channel: smss, at: x}\n"
    source = parse(text, "c.yaml").source
    assert source.locate(("touches", 1, "channel")) == Location("c.yaml", 3, 15, 3, 19)
    assert source.locate(("touches", 1, "channel"), key=True) == Location("c.yaml", 3, 6, 3, 13)
    # A path with no position of its own falls back to its nearest located ancestor.
    assert source.locate(("touches", 1, "missing")).line == 3
    assert source.locate(("nothing",)) == Location("c.yaml", 1, 1, 4, 1)


# -- refused input ------------------------------------------------------------------------


def test_duplicate_keys_are_reported_with_both_lines() -> None:
    document = parse("a: 1\nb:\n  c: 1\n  c: 2\n", "f.yaml")
    [problem] = document.problems
    assert (problem.rule, problem.location.line, problem.location.column) == ("S110", 4, 3)
    assert problem.message == "b.c: duplicate key 'c' (first written on line 3)"
    assert not problem.unreadable


def test_syntax_errors_name_line_and_column() -> None:
    assert fails("a: 1\nb: c: d\n") == (
        "S101",
        "invalid YAML: mapping values are not allowed in this context",
        2,
        5,
    )


def test_tabs_get_a_hint() -> None:
    with pytest.raises(UnreadableFile) as info:
        parse("a:\n\t- b\n", "f.yaml")
    assert "tabs" in info.value.finding.hint


def test_control_characters_are_refused() -> None:
    rule, message, line, column = fails("a: ok\nb: \x07\n")
    assert (rule, line, column) == ("S101", 2, 4)
    assert "U+0007" in message


@pytest.mark.parametrize("text", ["", "\n\n", "# only a comment\n", "---\n", "~\n"])
def test_empty_files_are_refused(text: str) -> None:
    assert fails(text)[:2] == ("S104", "file is empty")


def test_several_documents_are_refused() -> None:
    assert fails("a: 1\n---\nb: 2\n")[0::2] == ("S106", 2)


def test_merge_keys_are_refused() -> None:
    assert fails("base: &b {a: 1}\nc:\n  <<: *b\n")[0::2] == ("S107", 3)


def test_unknown_tags_are_refused() -> None:
    rule, message, _, _ = fails("a: !!python/object:os.system x\n")
    assert rule == "S107"
    assert "python/object" in message


def test_non_scalar_keys_are_refused() -> None:
    assert fails("? [a, b]\n: c\n")[0] == "S107"


def test_aliases_are_shared_not_copied() -> None:
    data = parse("a: &x {k: [1, 2]}\nb: *x\n", "f.yaml").data
    assert data["a"] == data["b"]
    assert data["a"] is data["b"]


def test_alias_bomb_is_refused_quickly() -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 10):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]")
    rule, message, _, _ = fails("\n".join(lines))
    assert rule == "S105"
    assert "through aliases" in message


def test_recursive_alias_is_refused() -> None:
    assert fails("a: &a [1, *a]\n")[0:2] == ("S105", "alias *a refers to itself")


def test_deep_nesting_is_refused() -> None:
    assert fails("[" * (MAX_DEPTH + 1))[:2] == (
        "S105",
        f"values are nested more than {MAX_DEPTH} levels deep",
    )
    parse("[" * (MAX_DEPTH - 1) + "]" * (MAX_DEPTH - 1), "f.yaml")


@pytest.mark.parametrize("text", ["[" * 100_000, "{a: " * 100_000, "- " * 100_000])
def test_absurd_nesting_is_refused_whichever_layer_notices(text: str) -> None:
    # libyaml may refuse it while scanning, before mcplan sees a single event: the user still
    # gets an unreadable file and a message about nesting, never a crash.
    _, message, line, _ = fails(text)
    assert "nest" in message
    assert line == 1


def test_files_over_the_size_limit_are_not_read(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    with big.open("wb") as handle:  # sparse: 50 MB on paper, nothing on disk
        handle.truncate(50 * 1024 * 1024)
    with pytest.raises(UnreadableFile) as info:
        load_file(big, "big.yaml")
    assert info.value.finding.rule == "S103"
    assert "file is 50 MB, more than the 1 MB allowed" in info.value.finding.message
    assert MAX_FILE_BYTES < 50 * 1024 * 1024


def test_non_utf8_files_name_the_bad_byte(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes("name: ok\ncity: Orléans\n".encode("latin-1"))
    with pytest.raises(UnreadableFile) as info:
        load_file(path, "latin1.yaml")
    finding = info.value.finding
    assert (finding.rule, finding.location.line, finding.location.column) == ("S102", 2, 10)
    assert "0xe9" in finding.message


def test_utf8_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "bom.yaml"
    path.write_bytes(b"\xef\xbb\xbfname: ok\n")
    assert load_file(path, "bom.yaml").data == {"name": "ok"}


def test_pure_python_parser_gives_the_same_result(monkeypatch: pytest.MonkeyPatch) -> None:
    import mcplan.workspace.yamlsource as module

    text = "a: [1, 'b', NO, 1.10]\nb: {c: &x d, e: *x}\n"
    expected = parse(text, "f.yaml")
    monkeypatch.setattr(module, "_EventParser", yaml.BaseLoader)
    again = parse(text, "f.yaml")
    assert again.data == expected.data
    assert again.source == expected.source


@pytest.mark.parametrize("text", ["a: [\n", "a: [1,", "a: '", "[", "a:\n  - b\n c"])
def test_syntax_errors_at_the_end_of_the_file_are_reported(text: str) -> None:
    assert fails(text)[0] == "S101"


def test_a_block_text_is_located_at_its_first_line() -> None:
    text = "template:\n  body: |\n    Bonjour,\n    {{ m.headline }}\n  subject: Hi\n"
    source = parse(text, "c.yaml").source
    assert source.locate(("template", "body")) == Location("c.yaml", 3, 5, 5, 1)
    assert source.locate(("template", "subject")).line == 5
