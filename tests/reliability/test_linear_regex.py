"""The linear-time regex engine finds what ``re.search`` finds, and never takes long."""

from __future__ import annotations

import re
import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sagemaker_lite.contract.linear_regex import MAX_PROGRAM, Unsupported, compile_program

# Metric-style patterns and the shapes that make a backtracking engine explode.
# (A repeated group that can match empty, "(a*)*", may keep its previous
# iteration's text where re keeps the empty one: docs/fidelity.md.)
PATTERNS = (
    r"loss=([0-9.]+)",
    r"val_acc=(\d+\.\d+)",
    r"(a|ab)(c|bcd)(d*)",
    r"(a+|b+)*c",
    r"x(y?)z",
    r"\bab\b",
    r"^a.*b$",
    r"(a*?)(a*)",
    r"(?:ab|a)(b?)",
    r"[^a-c]+",
    r"[\w.]+=(\w+)",
    r"(\s*)\S",
    r"a{2,3}(a?)",
    r"(a|aa)+$",
    r"((a+))+$",
    r"((a)+)+$",
    r"a*a*a*a*a*b",
    r"\s*\s*\s*\s*x",
    r"(\d+)-(\d*)?",
    r"[A-Z][a-z]*:?(.*)",
    r"(.*?)=(.*)",
    r"\Aa|b\Z",
    r"(a)|b",
)
TEXT = st.text(alphabet="ab c=1.5-xyzd\nA_", max_size=16)


@pytest.mark.parametrize("pattern", PATTERNS)
@given(text=TEXT)
def test_same_match_and_groups_as_re(pattern: str, text: str) -> None:
    """Leftmost match, backtracking priority: the groups re.search gives."""
    expected = re.search(pattern, text)
    found = compile_program(pattern).search(text)
    assert found == (None if expected is None else (expected.group(0), *expected.groups()))


@pytest.mark.parametrize(
    "pattern", ["((a+))+$", "((a)+)+$", "a*a*a*a*a*b", r"\s*\s*\s*\s*x", r"(\w*)*x"]
)
def test_catastrophic_patterns_run_in_linear_time(pattern: str) -> None:
    """Work grows with the text, not exponentially: steps <= (len + 1) * program length."""
    program = compile_program(pattern)
    for size in (40, 400):
        text = ("a" if "a" in pattern or "w" in pattern else " ") * size + "!"
        before = program.steps
        assert program.search(text) is None
        assert program.steps - before <= (len(text) + 1) * len(program.prog)


@pytest.mark.parametrize(
    "pattern", [r"(a)\1", r"(?=a)b", r"(?<!a)b", r"(?i)a", r"a++", r"(?>a)", "(", "a{5,2}"]
)
def test_refuses_what_needs_backtracking_or_is_invalid(pattern: str) -> None:
    """Backreferences, lookaround, atomic/possessive, flags, invalid syntax: Unsupported."""
    with pytest.raises(Unsupported):
        compile_program(pattern)


def test_refuses_programs_beyond_the_limit() -> None:
    """Counted repeats cannot blow the program up: a{1000}{1000} is refused at once."""
    started = time.perf_counter()
    with pytest.raises(Unsupported):
        compile_program("(a{1000}){1000}")
    assert time.perf_counter() - started < 1.0
    assert len(compile_program("a{100}").prog) < MAX_PROGRAM
