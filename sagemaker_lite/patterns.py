"""Translate the model's (Java) regular expressions into equivalent Python ones.

AWS checks a ``pattern`` constraint against the whole value with Java's
``Pattern.matches``.  Python's ``re`` differs in a few ways that matter here:

* ``\\p{...}`` classes do not exist: we expand them into explicit character
  ranges (POSIX-style ones are ASCII in Java; Unicode categories are computed
  from :mod:`unicodedata`, once, lazily).
* ``\\w``, ``\\d``, ``\\s`` and friends are ASCII-only in Java but Unicode-aware in
  Python: the ``(?a)`` flag restores Java's meaning.
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


def _translate_body(pattern: str) -> str:
    out: list[str] = []
    i, n = 0, len(pattern)
    in_class = False
    while i < n:
        ch = pattern[i]
        if ch == "\\" and i + 1 < n:
            nxt = pattern[i + 1]
            if nxt in "pP" and i + 2 < n and pattern[i + 2] == "{":
                end = pattern.index("}", i + 3)
                body = class_body(pattern[i + 3 : end])
                if nxt == "P" and in_class:
                    raise UnsupportedPattern("\\P{...} inside a character class")
                if in_class:
                    out.append(body)
                else:
                    out.append(f"[{'^' if nxt == 'P' else ''}{body}]")
                i = end + 1
                continue
            out.append(pattern[i : i + 2])
            i += 2
            continue
        if in_class:
            if pattern.startswith("&&", i):
                raise UnsupportedPattern("character class intersection (&&)")
            if ch == "[":
                raise UnsupportedPattern("nested character class")
            if ch == "]":
                in_class = False
            out.append(ch)
            i += 1
            continue
        if ch == "[":
            # A ']' right after '[' or '[^' is a literal in both dialects.
            start = i + 2 if pattern.startswith("[^", i) else i + 1
            if start < n and pattern[start] == "]":
                start += 1
            out.append(pattern[i:start])
            in_class = True
            i = start
            continue
        if ch == "+" and not _POSSESSIVE_OK and out and out[-1] in ("*", "+", "?", "}"):
            i += 1  # possessive -> greedy
            continue
        out.append(ch)
        i += 1
    return "".join(out)


@functools.cache
def to_python(pattern: str) -> str:
    """The Python regex (source) that fully matches exactly what Java's ``pattern`` matches."""
    return f"(?a)\\A(?:{_translate_body(pattern)})\\Z"


@functools.cache
def compiled(pattern: str) -> re.Pattern[str]:
    """The compiled Python equivalent of the model's ``pattern`` (cached)."""
    return re.compile(to_python(pattern))


def full_match(pattern: str, value: str) -> bool:
    """Whether ``value`` as a whole satisfies the model's ``pattern``."""
    return compiled(pattern).search(value) is not None


__all__ = ["POSIX_CLASSES", "UnsupportedPattern", "class_body", "compiled", "full_match", "to_python"]
