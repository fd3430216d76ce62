"""Regex search in time linear in the text, whatever the pattern: a Pike VM.

``MetricDefinitions`` regexes are user input run against log lines under the
emulator's lock.  Python's ``re`` backtracks, so ``((a+))+$`` or
``a*a*a*a*a*b`` can take minutes on a 40-character line, and no guard on the
pattern's shape catches every such form.  This module parses a pattern with
Python's own parser (same syntax, same group numbers) and runs it as a Pike
VM (Thompson's NFA simulation with capture slots, threads kept in priority
order): every position of the text is visited once by each instruction at
most, so a search costs at most ``(len(text) + 1) * len(program)`` steps, and the
match and its groups are the ones ``re`` finds (leftmost, preferring what a
backtracking engine tries first).

Constructs that need backtracking (backreferences, lookaround, atomic groups,
possessive quantifiers, conditionals) or inline flags are refused with
:class:`Unsupported`, as are programs beyond :data:`MAX_PROGRAM`; so is every
pattern ``re`` itself cannot compile.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from typing import Any

if sys.version_info >= (3, 11):
    from re import _constants as C  # type: ignore[attr-defined]
    from re import _parser as P  # type: ignore[attr-defined]
else:  # the same modules, under their old names
    import sre_constants as C
    import sre_parse as P

#: Largest program run (instructions); a bigger one (``a{1000}{1000}``) is refused.
MAX_PROGRAM = 2_000

# Instructions: (opcode, a, b).
_TEST, _SPLIT, _JMP, _SAVE, _ASSERT, _MATCH = range(6)

Test = Callable[[str], bool]
Instruction = tuple[int, Any, Any]


class Unsupported(ValueError):
    """A pattern this engine does not run (it would need backtracking, or is invalid)."""


def _is_word(c: str) -> bool:
    return c.isalnum() or c == "_"


_CATEGORIES: dict[Any, Test] = {
    C.CATEGORY_DIGIT: str.isdecimal,
    C.CATEGORY_NOT_DIGIT: lambda c: not c.isdecimal(),
    C.CATEGORY_SPACE: str.isspace,
    C.CATEGORY_NOT_SPACE: lambda c: not c.isspace(),
    C.CATEGORY_WORD: _is_word,
    C.CATEGORY_NOT_WORD: lambda c: not _is_word(c),
}


def _char_set(items: list[tuple[Any, Any]]) -> Test:
    negate = False
    chars: set[str] = set()
    ranges: list[tuple[int, int]] = []
    categories: list[Test] = []
    for op, av in items:
        if op is C.NEGATE:
            negate = True
        elif op is C.LITERAL:
            chars.add(chr(av))
        elif op is C.RANGE:
            ranges.append(av)
        elif op is C.CATEGORY and av in _CATEGORIES:
            categories.append(_CATEGORIES[av])
        else:
            raise Unsupported(f"set member {op}")

    def test(c: str) -> bool:
        found = (
            c in chars
            or any(lo <= ord(c) <= hi for lo, hi in ranges)
            or any(t(c) for t in categories)
        )
        return found != negate

    return test


def _at(where: Any) -> Callable[[str, int], bool]:
    if where in (C.AT_BEGINNING, C.AT_BEGINNING_STRING):
        return lambda s, i: i == 0
    if where is C.AT_END:  # end, or just before a final newline
        return lambda s, i: i == len(s) or (i == len(s) - 1 and s[i] == "\n")
    if where is C.AT_END_STRING:
        return lambda s, i: i == len(s)
    if where in (C.AT_BOUNDARY, C.AT_NON_BOUNDARY):
        want = where is C.AT_BOUNDARY

        def boundary(s: str, i: int) -> bool:
            before = i > 0 and _is_word(s[i - 1])
            after = i < len(s) and _is_word(s[i])
            return (before != after) == want

        return boundary
    raise Unsupported(f"anchor {where}")


class _Compiler:
    def __init__(self) -> None:
        self.prog: list[Instruction] = []
        self.literals: dict[int, str] = {}  # instruction -> the one character it accepts

    def emit(self, op: int, a: Any = None, b: Any = None) -> int:
        if len(self.prog) >= MAX_PROGRAM:
            raise Unsupported("program too large")
        self.prog.append((op, a, b))
        return len(self.prog) - 1

    def patch(self, at: int, a: Any = None, b: Any = None) -> None:
        op, old_a, old_b = self.prog[at]
        self.prog[at] = (op, old_a if a is None else a, old_b if b is None else b)

    def sequence(self, items: Any) -> None:
        for op, av in items:
            self.item(op, av)

    def item(self, op: Any, av: Any) -> None:
        if op is C.LITERAL:
            char = chr(av)
            self.literals[self.emit(_TEST, char.__eq__)] = char
        elif op is C.NOT_LITERAL:
            char = chr(av)
            self.emit(_TEST, char.__ne__)
        elif op is C.ANY:
            self.emit(_TEST, "\n".__ne__)
        elif op is C.IN:
            self.emit(_TEST, _char_set(av))
        elif op is C.AT:
            self.emit(_ASSERT, _at(av))
        elif op is C.SUBPATTERN:
            group, add_flags, del_flags, body = av
            if add_flags or del_flags:
                raise Unsupported("inline flags")
            if group is not None:
                self.emit(_SAVE, 2 * group)
            self.sequence(body)
            if group is not None:
                self.emit(_SAVE, 2 * group + 1)
        elif op is C.BRANCH:
            self.branch(av[1])
        elif op in (C.MAX_REPEAT, C.MIN_REPEAT):
            self.repeat(*av, greedy=op is C.MAX_REPEAT)
        else:
            raise Unsupported(f"{op} needs backtracking")

    def branch(self, alternatives: list[Any]) -> None:
        ends = []
        for alternative in alternatives[:-1]:
            split = self.emit(_SPLIT)
            self.patch(split, a=len(self.prog))
            self.sequence(alternative)
            ends.append(self.emit(_JMP))
            self.patch(split, b=len(self.prog))
        self.sequence(alternatives[-1])
        for end in ends:
            self.patch(end, a=len(self.prog))

    def repeat(self, low: int, high: int, body: Any, *, greedy: bool) -> None:
        for _ in range(low):
            self.sequence(body)
        if high is C.MAXREPEAT:
            loop = self.emit(_SPLIT)
            self.sequence(body)
            self.emit(_JMP, loop)
            self.optional(loop, greedy)
            return
        splits = []
        for _ in range(high - low):
            splits.append(self.emit(_SPLIT))
            self.sequence(body)
        for split in splits:
            self.optional(split, greedy)

    def optional(self, split: int, greedy: bool) -> None:
        """Make ``split`` choose between the code after it and the current end."""
        body, skip = split + 1, len(self.prog)
        self.patch(split, *((body, skip) if greedy else (skip, body)))


class Program:
    """A compiled pattern: :meth:`search` gives ``re.search``'s groups, in linear time."""

    def __init__(self, pattern: str) -> None:
        try:
            re.compile(pattern)  # same syntax errors as re, first
            parsed = P.parse(pattern, 0)
        except (re.error, RecursionError, OverflowError) as error:
            raise Unsupported(str(error)) from None
        if parsed.state.flags & ~(re.UNICODE | re.ASCII):
            raise Unsupported("flags")
        self.groups: int = parsed.state.groups - 1
        compiler = _Compiler()
        compiler.emit(_SAVE, 0)
        try:
            compiler.sequence(parsed)
        except RecursionError:
            raise Unsupported("nested too deeply") from None
        compiler.emit(_SAVE, 1)
        compiler.emit(_MATCH)
        self.prog = compiler.prog
        literals = compiler.literals
        # Every match starts with these characters (the pattern's leading literals).
        prefix: list[str] = []
        while 1 + len(prefix) in literals:
            prefix.append(literals[1 + len(prefix)])
        self.prefix = "".join(prefix)
        #: Threads stepped by every search so far: the work done, for callers' budgets.
        self.steps = 0

    def search(self, text: str) -> tuple[str | None, ...] | None:
        """``(group 0, group 1, ...)`` of the leftmost match as ``re.search`` finds it, or None."""
        prog = self.prog
        start: list[int | None] = [None] * (2 * (self.groups + 1))
        threads: list[tuple[int, list[int | None]]] = []
        seen: set[int] = set()  # instructions already in ``threads`` at this position
        found: list[int | None] | None = None
        prefix = self.prefix
        pos, end = 0, len(text)
        while pos <= end:
            if not threads and found is None and prefix:
                # Nothing alive: skip to where a match can start (str.find runs in C).
                pos = text.find(prefix, pos)
                if pos < 0:
                    break
            if found is None and text.startswith(prefix, pos):  # else it dies at once
                self._add(threads, seen, 0, start, text, pos)
            char = text[pos] if pos < end else None
            following: list[tuple[int, list[int | None]]] = []
            seen = set()
            for pc, caps in threads:
                op, test, _ = prog[pc]
                if op == _MATCH:
                    found = caps
                    break  # every thread after this one has lower priority
                if char is not None and test(char):
                    self._add(following, seen, pc + 1, caps, text, pos + 1)
            self.steps += len(threads)
            threads = following
            if found is not None and not threads:
                break
            pos += 1
        if found is None:
            return None
        return tuple(_group(text, found, g) for g in range(self.groups + 1))

    def _add(
        self,
        threads: list[tuple[int, list[int | None]]],
        seen: set[int],
        pc: int,
        caps: list[int | None],
        text: str,
        pos: int,
    ) -> None:
        """Add the thread at ``pc`` and everything it reaches without reading a character,
        in priority order, each instruction once per position."""
        prog = self.prog
        stack = [(pc, caps)]
        while stack:
            pc, caps = stack.pop()
            if pc in seen:
                continue
            seen.add(pc)
            op, a, b = prog[pc]
            if op == _JMP:
                stack.append((a, caps))
            elif op == _SPLIT:
                stack.append((b, caps))
                stack.append((a, caps))
            elif op == _SAVE:
                caps = caps.copy()
                caps[a] = pos
                stack.append((pc + 1, caps))
            elif op == _ASSERT:
                if a(text, pos):
                    stack.append((pc + 1, caps))
            else:
                threads.append((pc, caps))


def _group(text: str, caps: list[int | None], group: int) -> str | None:
    begin, end = caps[2 * group], caps[2 * group + 1]
    return None if begin is None or end is None else text[begin:end]


def compile_program(pattern: str) -> Program:
    """``pattern`` compiled for linear-time search (raises :class:`Unsupported`)."""
    return Program(pattern)


__all__ = ["MAX_PROGRAM", "Program", "Unsupported", "compile_program"]
