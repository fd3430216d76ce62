"""Translate the model's (Java) regular expressions into equivalent Python ones.

AWS checks a ``pattern`` constraint against the whole value with Java's
``Pattern.matches``.  Python's ``re`` differs in a few ways that matter here:

* ``\\p{...}`` classes do not exist: we expand them into explicit character
  ranges (POSIX-style ones are ASCII in Java; Unicode categories are computed
  from :mod:`unicodedata`, once, lazily).
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
import re
import sys
import unicodedata

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


@functools.cache
def _categories() -> dict[str, str]:
    """Map each Unicode general category (``Lu``) to its code points, as a class body."""
    runs: dict[str, list[tuple[int, int]]] = {}
    previous = ""
    for code in range(sys.maxunicode + 1):
        cat = unicodedata.category(chr(code))
        ranges = runs.setdefault(cat, [])
        if cat == previous:
            ranges[-1] = (ranges[-1][0], code)
        else:
            ranges.append((code, code))
        previous = cat
    return {
        cat: "".join(f"\\U{lo:08x}" if lo == hi else f"\\U{lo:08x}-\\U{hi:08x}" for lo, hi in rs)
        for cat, rs in runs.items()
    }


def class_body(name: str) -> str:
    """The body of a Python character class equal to Java's ``\\p{name}``."""
    if name in POSIX_CLASSES:
        return POSIX_CLASSES[name]
    short = name[2:] if name.startswith("Is") else name
    cats = _categories()
    body = "".join(v for k, v in sorted(cats.items()) if k.startswith(short))
    if not body or len(short) > 2:
        raise UnsupportedPattern(f"unknown character class \\p{{{name}}}")
    return body


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
    return pattern[i : i + 2], False, i + 2


def _translate_class(text: str) -> str:
    """Translate one ``[...]`` class; a negated class item becomes an alternation."""
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
    if negated:
        raise UnsupportedPattern("negated shorthand inside a negated class")
    parts = [f"[^{body}]" for body in negated_items]
    if plain:
        parts.insert(0, f"[{''.join(plain)}]")
    return f"(?:{'|'.join(parts)})"


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
    """The compiled Python equivalent of the model's ``pattern`` (cached)."""
    return re.compile(to_python(pattern))


def full_match(pattern: str, value: str) -> bool:
    """Whether ``value`` as a whole satisfies the model's ``pattern``."""
    return compiled(pattern).search(value) is not None


__all__ = [
    "POSIX_CLASSES",
    "UnsupportedPattern",
    "class_body",
    "compiled",
    "full_match",
    "to_python",
]
