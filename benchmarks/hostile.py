"""Hostile inputs: what each bound costs, as ratios measured in one run.

Run: python benchmarks/hostile.py

- Templates: each payload of the issues (string doubling, replace, translate, join, tojson,
  slice, big integers, nested loops; a list doubled sixty times, a list of 100,000 texts of
  100,000 characters printed by each filter, `sum(start=[])`, gigabyte arguments, `{% set %}`
  blocks, 120 chained filters, a quadratic `select`) against a plain render of the same size:
  its time and peak memory, which stay within the sandbox's limits (100,000 characters and
  items a value, 2 seconds).
- Patterns: `(a+)+$` on an SMS that does not match, in RE2 (what mcplan runs) and in Python's
  `re`, at 16 and 20 letters: `re` doubles with each letter, RE2 does not grow.
- Fact extraction: 5,000 then 20,000 hashtags; a ratio near 4 is linear (it was quadratic).
"""

from __future__ import annotations

import re
import time
import tracemalloc
from collections.abc import Callable
from typing import Any

from mcplan import patterns
from mcplan.lint.facts import extract
from mcplan.render.sandbox import compile_template, render_bounded

PAYLOADS = {
    "a~a, 15 times": "{% set a='a'*100000 %}" + "{% set a=a~a %}" * 15,
    "replace": "{{ ('a'*100000).replace('a', 'b'*50000) }}",
    "translate": "{{ ('a'*100000).translate({97: 'b'*50000}) }}",
    "join": "{{ ('x'*99999)|list|join('y'*99999) }}",
    "tojson indent": "{{ [1]|tojson(300000000) }}",
    "slice": "{{ [1, 2]|slice(100000000)|list }}",
    "squaring": "{% set ns = namespace(x=3) %}{% for i in range(30) %}"
    "{% set ns.x = ns.x * ns.x %}{% endfor %}",
    "nested loops": "{% set ns = namespace(s='') %}{% for i in range(1000) %}"
    "{% for j in range(1000) %}{% set ns.s = ns.s ~ 'xxxxxxxxxx' %}{% endfor %}{% endfor %}",
    "[a, a] 60 times": "{% set a = [1] %}" + "{% set a = [a, a] %}" * 60 + "{{ a }}",
    "big list": "{{ ['x' * 100000] * 100000 }}",
    "big list|string": "{{ (['x' * 100000] * 100000)|string }}",
    "big list|tojson": "{{ (['x' * 100000] * 100000)|tojson }}",
    "big list|pprint": "{{ (['x' * 100000] * 100000)|pprint }}",
    "big list|join": "{{ (['x' * 100000] * 100000)|map('string')|join }}",
    "sum(start=[])": "{{ ('x' * 100000)|batch(1)|sum(start=[['y']]) }}",
    "round": "{{ 5|round(-1000000000) }}",
    "slice(slices=)": "{{ [1, 2]|slice(slices=100000000)|list }}",
    "to_bytes": "{{ (1).to_bytes(1000000000, 'big') }}",
    "set block": "{% set x %}{% for i in range(1000) %}{% for j in range(1000) %}"
    + "x" * 1000
    + "{% endfor %}{% endfor %}{% endset %}",
    "filter block": "{% filter upper %}{% for i in range(1000) %}{% for j in range(1000) %}"
    "{{ 'x' * 1000 }}{% endfor %}{% endfor %}{% endfilter %}",
    "120 filters": "{{ (('x' * 100000)" + "|batch(1)" * 120 + "|list)|length }}",
    "select('in')": "{{ ('x' * 100000)|list|select('in', ('y' * 100000)|list)|list|length }}",
}
PLAIN = "{% for i in range(1000) %}{{ 'x' * 99 }}{% endfor %}"  # 99,000 characters


def measured(run: Callable[[], Any]) -> tuple[float, float, str]:
    """(seconds, peak MB, outcome) of one call."""
    tracemalloc.start()
    start = time.perf_counter()
    try:
        run()
        outcome = "rendered"
    except Exception as exc:  # the payloads are meant to be refused
        outcome = f"refused: {exc}"
    seconds = time.perf_counter() - start
    peak = tracemalloc.get_traced_memory()[1] / 1e6
    tracemalloc.stop()
    return seconds, peak, outcome


def render(source: str) -> Callable[[], Any]:
    return lambda: render_bounded(compile_template(source, "bench")[0], {})


def main() -> None:
    base, base_mb, _ = measured(render(PLAIN))
    print(f"templates (a plain render of 99,000 characters: {base:.3f} s, {base_mb:.1f} MB)")
    for name, source in PAYLOADS.items():
        seconds, peak, outcome = measured(render(source))
        print(f"  {name:16} {seconds / base:6.1f}× the time, {peak:5.1f} MB  {outcome[:60]}")

    print("patterns: '(a+)+$' on 'aaa…a!' (no match)")
    for letters in (16, 20):
        text = "a" * letters + "!"
        re2_time = measured(lambda t=text: patterns.search(r"(a+)+$", t))[0]
        re_time = measured(lambda t=text: re.search(r"(a+)+$", t))[0]
        print(f"  {letters} letters: re {re_time:.4f} s, RE2 {re2_time:.6f} s, "
              f"re / RE2 = {re_time / max(re2_time, 1e-9):,.0f}")  # fmt: skip

    small = " ".join(f"#tag{i}" for i in range(5_000))
    large = " ".join(f"#tag{i}" for i in range(20_000))
    t_small, t_large = measured(lambda: extract(small))[0], measured(lambda: extract(large))[0]
    print(f"facts: 20,000 hashtags / 5,000 hashtags = {t_large / t_small:.1f} (linear: 4)")


if __name__ == "__main__":
    main()
