"""Translate the model's (Java) regular expressions into equivalent Python ones.

AWS checks a ``pattern`` constraint against the whole value with Java's
``Pattern.matches``.  Python's ``re`` differs in a few ways that matter here:

* ``\\p{...}`` classes do not exist: we expand them into explicit character
  ranges (POSIX-style ones are ASCII in Java; Unicode categories come from
  ``spec/unicode.json``, precomputed from :mod:`unicodedata` when the model is
  refreshed, because scanning every code point at first use took 0.3 s).
* A class mixing a negated item with others (``[\\S\\s]``) becomes one class
  of explicit ranges, never an alternation, so matching stays constant-memory.
* ``\\w``, ``\\d``, ``\\s`` and friends are ASCII-only in Java but Unicode-aware in
  Python: we expand them to explicit ASCII classes.  Java's ``.`` excludes every
  line terminator (``\\r``, ``\\u2028``...), Python's only ``\\n``: we spell it out.
* ``$`` also matches before a trailing newline in Python: we anchor with
  ``\\A(?:...)\\Z`` for a whole-value match.
* Possessive quantifiers (``*+``) only exist from Python 3.11; before that they
  become greedy ones, which accept the same values for the model's patterns.
"""

from __future__ import annotations

import functools
import json
import re
import sys
import unicodedata
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from . import code_points
from .automaton import Matcher
from .automaton import Unsupported as AutomatonUnsupported
from .code_points import Runs

#: Java's POSIX classes (ASCII unless UNICODE_CHARACTER_CLASS is set, which AWS does not).
POSIX_CLASSES: dict[str, str] = {
    "Lower": "a-z",
    "Upper": "A-Z",
    "ASCII": "\\x00-\\x7f",
    "Alpha": "a-zA-Z",
    "Digit": "0-9",
    "Alnum": "a-zA-Z0-9",
    "Punct": "!-/:-@\\[-`{-~",
    "Graph": "a-zA-Z0-9!-/:-@\\[-`{-~",
    "Print": "a-zA-Z0-9!-/:-@\\[-`{-~ ",
    "Blank": " \\t",
    "Cntrl": "\\x00-\\x1f\\x7f",
    "XDigit": "0-9a-fA-F",
    "Space": " \\t\\n\\x0b\\f\\r",
}

_POSSESSIVE_OK = sys.version_info >= (3, 11)


class UnsupportedPattern(ValueError):
    """The pattern uses a Java construct this translator does not handle."""


#: Precomputed general-category table (the spec refresh command writes it).
UNICODE_PATH = Path(__file__).with_name("spec") / "unicode.json"


def compute_category_table() -> dict[str, Any]:
    """Each Unicode general category's code points as runs, from :mod:`unicodedata`.

    Scanning all 1.1M code points takes a fraction of a second, so the result is
    shipped in ``spec/unicode.json`` and this runs only to refresh or check it.
    """
    runs: dict[str, list[list[int]]] = {}
    previous = ""
    for code in range(sys.maxunicode + 1):
        cat = unicodedata.category(chr(code))
        if cat == previous:
            runs[cat][-1][1] = code
        else:
            runs.setdefault(cat, []).append([code, code])
        previous = cat
    return {"unidata_version": unicodedata.unidata_version, "categories": runs}


def render_category_table(table: Mapping[str, Any]) -> str:
    """Deterministic JSON text of a category table (one line per category)."""
    lines = [
        f"  {json.dumps(cat)}: {json.dumps(table['categories'][cat], separators=(',', ':'))}"
        for cat in sorted(table["categories"])
    ]
    version = json.dumps(table["unidata_version"])
    return f'{{"unidata_version": {version}, "categories": {{\n' + ",\n".join(lines) + "\n}}\n"


@functools.cache
def _categories() -> dict[str, Runs]:
    """Each Unicode general category (``Lu``) as runs of code points (the shipped table)."""
    with UNICODE_PATH.open(encoding="utf-8") as fh:
        table = json.load(fh)
    return {cat: [(lo, hi) for lo, hi in runs] for cat, runs in table["categories"].items()}


def class_body(name: str) -> str:
    """The body of a Python character class equal to Java's ``\\p{name}``."""
    if name in POSIX_CLASSES:
        return POSIX_CLASSES[name]
    short = name[2:] if name.startswith("Is") else name
    cats = _categories()
    selected = [runs for cat, runs in sorted(cats.items()) if cat.startswith(short)]
    if not selected or len(short) > 2:
        raise UnsupportedPattern(f"unknown character class \\p{{{name}}}")
    return code_points.render(code_points.union([run for runs in selected for run in runs]))


# One item of a class body we wrote (or the model's own): an escape or a character.
_SIMPLE_ESCAPES = {"t": 9, "n": 10, "v": 11, "f": 12, "r": 13, "a": 7}
_HEX_ESCAPES = {"x": 2, "u": 4, "U": 8}


def _body_item(body: str, i: int) -> tuple[int, int]:
    """(code point, next index) of the class body item at ``i``."""
    if body[i] != "\\":
        return ord(body[i]), i + 1
    letter = body[i + 1]
    if letter in _HEX_ESCAPES:
        width = _HEX_ESCAPES[letter]
        return int(body[i + 2 : i + 2 + width], 16), i + 2 + width
    if letter in _SIMPLE_ESCAPES:
        return _SIMPLE_ESCAPES[letter], i + 2
    if letter.isalnum():  # a class escape (\d...) or octal: not one of ours
        raise UnsupportedPattern(f"escape \\{letter} in a class with negated items")
    return ord(letter), i + 2


def _body_runs(body: str) -> Runs:
    """The code points a character class body (without brackets) matches."""
    runs: Runs = []
    i = 0
    while i < len(body):
        lo, i = _body_item(body, i)
        hi = lo
        if body.startswith("-", i) and i + 1 < len(body):
            hi, i = _body_item(body, i + 1)
        runs.append((lo, hi))
    return code_points.union(runs)


#: Java's predefined classes are ASCII: their Python class bodies, and whether negated.
SHORTHANDS: dict[str, tuple[str, bool]] = {
    "w": ("a-zA-Z0-9_", False),
    "W": ("a-zA-Z0-9_", True),
    "d": ("0-9", False),
    "D": ("0-9", True),
    "s": (" \\t\\n\\x0b\\f\\r", False),
    "S": (" \\t\\n\\x0b\\f\\r", True),
}
#: Java's ``.`` stops at every line terminator, not only ``\n``.
DOT = "[^\\n\\r\\u0085\\u2028\\u2029]"


_SURROGATE_PAIR = re.compile(r"\\u[dD][89abAB][0-9a-fA-F]{2}\\u[dD][c-fC-F][0-9a-fA-F]{2}")


def _class_end(pattern: str, start: int) -> int:
    """Index just past the ``]`` closing the class whose ``[`` is at ``start``."""
    i = start + 1
    if pattern.startswith("^", i):
        i += 1
    if pattern.startswith("]", i):
        i += 1  # a ']' first in the class is a literal
    while i < len(pattern):
        if pattern[i] == "\\":
            i += 2
            continue
        if pattern[i] == "[":
            raise UnsupportedPattern("nested character class")
        if pattern.startswith("&&", i):
            raise UnsupportedPattern("character class intersection (&&)")
        if pattern[i] == "]":
            return i + 1
        i += 1
    raise UnsupportedPattern("unterminated character class")


def _escape(pattern: str, i: int) -> tuple[str, bool, int]:
    """The escape at ``i``: (class body or escape text, negated, next index)."""
    letter = pattern[i + 1]
    if letter in "pP" and pattern.startswith("{", i + 2):
        end = pattern.index("}", i + 3)
        return class_body(pattern[i + 3 : end]), letter == "P", end + 1
    if letter in SHORTHANDS:
        body, negated = SHORTHANDS[letter]
        return body, negated, i + 2
    if letter == "u" and _SURROGATE_PAIR.match(pattern, i):
        # Java's strings are UTF-16: an escaped surrogate pair is one supplementary
        # code point (``\uD800\uDC00`` is U+10000); Python needs it spelled as one.
        high, low = int(pattern[i + 2 : i + 6], 16), int(pattern[i + 8 : i + 12], 16)
        code = 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)
        return f"\\U{code:08x}", False, i + 12
    if letter == "z":
        return "\\Z", False, i + 2  # Java's end of input (Python's ``\Z``)
    return pattern[i : i + 2], False, i + 2


def _translate_class(text: str) -> str:
    """Translate one ``[...]`` class into one Python class.

    A negated item (``[\\S\\s]``, ``[a\\P{L}]``) cannot be written inside a
    Python class, and an alternation in its place costs the regex engine memory
    per character matched (a 16 MB value took 2 GB), so such a class is
    computed as a set of code points and written out as ranges.
    """
    negated = text.startswith("[^")
    i = 2 if negated else 1
    plain: list[str] = []
    negated_items: list[str] = []
    while i < len(text) - 1:
        if text[i] == "\\":
            body, neg, i = _escape(text, i)
            (negated_items if neg else plain).append(body)
        else:
            plain.append(text[i])
            i += 1
    if not negated_items:
        return f"[{'^' if negated else ''}{''.join(plain)}]"
    if not negated and not plain and len(negated_items) == 1:
        return f"[^{negated_items[0]}]"
    runs = _body_runs("".join(plain))
    for body in negated_items:
        runs = code_points.union(runs + code_points.complement(_body_runs(body)))
    return f"[{code_points.render(code_points.complement(runs) if negated else runs)}]"


def _translate_body(pattern: str) -> str:
    out: list[str] = []
    i, n = 0, len(pattern)
    while i < n:
        ch = pattern[i]
        if ch == "\\" and i + 1 < n:
            body, negated, nxt = _escape(pattern, i)
            is_class = nxt - i > 2 or pattern[i + 1] in SHORTHANDS
            out.append(f"[{'^' if negated else ''}{body}]" if is_class else body)
            i = nxt
        elif ch == "[":
            end = _class_end(pattern, i)
            out.append(_translate_class(pattern[i:end]))
            i = end
        elif ch == ".":
            out.append(DOT)
            i += 1
        elif ch == "+" and not _POSSESSIVE_OK and out and out[-1] in ("*", "+", "?", "}"):
            i += 1  # possessive -> greedy (same acceptance for the model's patterns)
        elif ch in "^$" and pattern.startswith("{", i + 1) and "}" in pattern[i:]:
            # Java repeats an anchor (CustomerMetadataKey: ``...*${1,128}``), Python
            # refuses to: a zero-width match repeated at least once is itself, at least
            # zero times is nothing.
            end = pattern.index("}", i)
            if not pattern[i + 2 : end].startswith(("0", ",")):
                out.append(ch)
            i = end + 1
        else:
            out.append(ch)
            i += 1
    return "".join(out)


@functools.cache
def to_python(pattern: str) -> str:
    """The Python regex (source) that fully matches exactly what Java's ``pattern`` matches."""
    return f"\\A(?:{_translate_body(pattern)})\\Z"


@functools.cache
def compiled(pattern: str) -> re.Pattern[str]:
    """The compiled Python equivalent of the model's ``pattern`` (cached).

    For generating values (Hypothesis' ``from_regex``) and showing the regex:
    ``re`` backtracks, so checking a value goes through :func:`matcher`.
    """
    return re.compile(to_python(pattern))


#: A translated pattern that is one character class repeated ``{m,n}`` times, whole.
_COUNTED_CLASS = re.compile(r"\\A\(\?:(\[(?:[^\[\]\\]|\\.)*\])\{(\d+),(\d+)\}\)\\Z")


@functools.cache
def _java_word() -> str:
    """Java's ``\\b`` word characters: letters, digits and ``_`` (``isLetterOrDigit``)."""
    return class_body("L") + class_body("Nd") + "_"


@functools.cache
def matcher(pattern: str) -> Callable[[str], bool]:
    """The test of a whole value against the model's ``pattern``, linear in the value.

    Every path that checks a request calls this (directly or through
    :func:`full_match`): a lazily built DFA (:mod:`.automaton`), never ``re``,
    whose backtracking made a 64 KB ``S3Uri`` take 42 s.
    """
    python = to_python(pattern)
    counted = _COUNTED_CLASS.fullmatch(python)
    if counted is not None:
        # One class repeated m to n times (`.{0,4096}`): a DFA would need n states, built
        # one per character read; a length test and one class run say the same at once.
        run, low, high = re.compile(f"{counted[1]}*"), int(counted[2]), int(counted[3])
        return lambda value: low <= len(value) <= high and run.fullmatch(value) is not None
    try:
        return Matcher(python, _java_word())
    except AutomatonUnsupported as error:
        raise UnsupportedPattern(str(error)) from None


def full_match(pattern: str, value: str) -> bool:
    """Whether ``value`` as a whole satisfies the model's ``pattern`` (linear time)."""
    return matcher(pattern)(value)


__all__ = [
    "POSIX_CLASSES",
    "UnsupportedPattern",
    "class_body",
    "compiled",
    "full_match",
    "matcher",
    "to_python",
]
