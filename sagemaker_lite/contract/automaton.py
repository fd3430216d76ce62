"""Whole-value matching in time linear in the value: a lazily built DFA.

The model's patterns guard user input (S3 URIs, ARNs, names), and Python's
``re`` backtracks: ``^(https|s3)://([^/]+)/?(.*)$`` took 42 s on a 64 KB
value.  This module runs a translated pattern (:func:`patterns.to_python`)
as a deterministic automaton built on demand from its Thompson NFA, as RE2
does: each character costs one dictionary lookup once its transition is
known, a new transition costs at most the program's size, and a state that
loops on a set of characters skips the whole run of them with one C-level
``re`` match of a lone character class (which cannot backtrack).

Only whole-value matching is needed (no groups), which is what makes a DFA
possible.  Constructs beyond an NFA are accepted where the model uses them and
they stay linear: lookaheads at the start of the pattern (``(?=.{1,32}$)``,
``(?!\\s*$)``: each is a separate automaton run as a prefix test), and
lookbehinds of one character (``(?<!-)``: a test of the previous character).
Anything else (a backreference, a lookaround elsewhere) raises
:class:`Unsupported`.
"""

from __future__ import annotations

import bisect
import re
import sys
from collections.abc import Callable, Sequence
from typing import Any

from . import code_points
from .code_points import Runs

if sys.version_info >= (3, 11):
    from re import _constants as C  # type: ignore[attr-defined]
    from re import _parser as P  # type: ignore[attr-defined]
else:  # the same modules, under their old names
    import sre_constants as C
    import sre_parse as P

_MAX = sys.maxunicode

#: Largest NFA run (instructions): the model's largest (``.{1,1024}``) is about 2,100.
MAX_PROGRAM = 20_000
#: States kept per automaton before its cache is dropped and rebuilt (bounds memory).
MAX_STATES = 2_000
#: Characters remembered per state (a hostile value with many distinct ones falls back
#: to the class lookup, which is a bisection).
MAX_CHARS_PER_STATE = 512

# Instructions: (opcode, argument).
_TEST, _SPLIT, _JMP, _ASSERT, _MATCH = range(5)
# Assertions (what _ASSERT's argument names).
_AT_START, _AT_END, _AT_DOLLAR, _BOUNDARY, _NOT_BOUNDARY = range(5)


class Unsupported(ValueError):
    """A pattern that would need backtracking (or that ``re`` cannot compile)."""


def _set_runs(items: Sequence[tuple[Any, Any]]) -> Runs:
    """The code points a parsed character class matches."""
    runs: Runs = []
    negate = False
    for op, av in items:
        if op is C.NEGATE:
            negate = True
        elif op is C.LITERAL:
            runs.append((av, av))
        elif op is C.RANGE:
            runs.append((av[0], av[1]))
        else:  # categories (\d...) never survive the translation
            raise Unsupported(f"class member {op}")
    return code_points.complement(runs) if negate else code_points.union(runs)


def _item_runs(op: Any, av: Any) -> Runs | None:
    """The code points a one-character item matches, or None if it is no such item."""
    if op is C.LITERAL:
        return [(av, av)]
    if op is C.NOT_LITERAL:
        return code_points.complement([(av, av)])
    if op is C.ANY:
        return code_points.complement([(10, 10)])
    if op is C.IN:
        return _set_runs(av)
    return None


def _class_runs(body: str) -> Runs:
    """The code points of the Python class ``[body]``."""
    ((op, av),) = P.parse(f"[{body}]", 0).data
    runs = _item_runs(op, av)
    assert runs is not None
    return runs


class _Compiler:
    """Thompson construction; character tests are indexes into ``self.sets``."""

    def __init__(self) -> None:
        self.prog: list[tuple[int, Any]] = []
        self.sets: list[Runs] = []  # each test's runs; lookbehinds' too
        self.lookbehinds: list[tuple[int, bool]] = []  # (set index, negated)
        self.boundary = False
        self.known: dict[tuple[tuple[int, int], ...], int] = {}
        self.items: dict[tuple[Any, Any], int | None] = {}  # counted repeats copy items

    def emit(self, op: int, arg: Any = None) -> int:
        if len(self.prog) >= MAX_PROGRAM:
            raise Unsupported("program too large")
        self.prog.append((op, arg))
        return len(self.prog) - 1

    def set_index(self, runs: Runs) -> int:
        key = tuple(runs)
        if key not in self.known:
            self.known[key] = len(self.sets)
            self.sets.append(runs)
        return self.known[key]

    def test(self, op: Any, av: Any) -> int | None:
        """The set index of a one-character item (None if it is no such item)."""
        # A counted repeat emits its body's items again: the same parsed objects.
        key = (op, av if isinstance(av, int) else id(av))
        if key not in self.items:
            runs = _item_runs(op, av)
            self.items[key] = None if runs is None else self.set_index(runs)
        return self.items[key]

    def sequence(self, items: Any) -> None:
        for op, av in items:
            self.item(op, av)

    def item(self, op: Any, av: Any) -> None:
        index = self.test(op, av)
        if index is not None:
            self.emit(_TEST, index)
        elif op is C.AT:
            self.emit(_ASSERT, self.anchor(av))
        elif op is C.SUBPATTERN:
            _, add_flags, del_flags, body = av
            if add_flags or del_flags:
                raise Unsupported("inline flags")
            self.sequence(body)
        elif op is C.BRANCH:
            self.branch(av[1])
        elif op in (C.MAX_REPEAT, C.MIN_REPEAT) or op is getattr(C, "POSSESSIVE_REPEAT", None):
            # Greedy, lazy and possessive accept the same whole values in the
            # model's patterns; a whole-value match has no preference.
            self.repeat(*av)
        elif op in (C.ASSERT, C.ASSERT_NOT) and av[0] == -1:
            self.lookbehind(av[1], negated=op is C.ASSERT_NOT)
        else:
            raise Unsupported(f"{op} needs backtracking")

    def anchor(self, where: Any) -> int:
        if where in (C.AT_BEGINNING, C.AT_BEGINNING_STRING):
            return _AT_START
        if where is C.AT_END_STRING:
            return _AT_END
        if where is C.AT_END:
            return _AT_DOLLAR
        if where in (C.AT_BOUNDARY, C.AT_NON_BOUNDARY):
            self.boundary = True
            return _BOUNDARY if where is C.AT_BOUNDARY else _NOT_BOUNDARY
        raise Unsupported(f"anchor {where}")

    def lookbehind(self, body: Any, *, negated: bool) -> None:
        items = list(body)
        runs = _item_runs(*items[0]) if len(items) == 1 else None
        if runs is None:
            raise Unsupported("lookbehind of more than one character")
        self.lookbehinds.append((self.set_index(runs), negated))
        self.emit(_ASSERT, 100 + len(self.lookbehinds) - 1)

    def branch(self, alternatives: list[Any]) -> None:
        ends = []
        for alternative in alternatives[:-1]:
            split = self.emit(_SPLIT)
            self.sequence(alternative)
            ends.append(self.emit(_JMP))
            self.prog[split] = (_SPLIT, len(self.prog))
        self.sequence(alternatives[-1])
        for end in ends:
            self.prog[end] = (_JMP, len(self.prog))

    def repeat(self, low: int, high: Any, body: Any) -> None:
        for _ in range(low):
            self.sequence(body)
        if high is C.MAXREPEAT:
            loop = self.emit(_SPLIT)
            self.sequence(body)
            self.emit(_JMP, loop)
            self.prog[loop] = (_SPLIT, len(self.prog))
            return
        splits = []
        for _ in range(high - low):
            splits.append(self.emit(_SPLIT))
            self.sequence(body)
        for split in splits:
            self.prog[split] = (_SPLIT, len(self.prog))


class _State:
    """A DFA state: the NFA threads waiting to read a character, and what the last one was."""

    __slots__ = ("accept", "by_char", "by_class", "key", "loop", "looped", "seeds")

    def __init__(self, key: tuple[frozenset[int], int]) -> None:
        self.key = key
        self.seeds = key[0]
        self.by_char: dict[str, _State] = {}
        self.by_class: dict[int, _State] = {}
        self.accept: dict[int, bool] = {}  # next character's class -> a match may end here
        self.looped = False
        #: Skips the run of characters this state loops on (None: it loops on none).
        self.loop: Callable[..., Any] | None = None


class _Automaton:
    """One NFA (no lookahead) run as a lazy DFA, whole-value or prefix test.

    ``word`` is the class body of the word characters ``\\b`` looks at.
    """

    def __init__(self, parsed: Any, word: str) -> None:
        compiler = _Compiler()
        compiler.sequence(parsed)
        compiler.emit(_MATCH)
        self.prog = compiler.prog
        self.sets = compiler.sets
        self.lookbehinds = compiler.lookbehinds
        if compiler.boundary:
            self.word = len(self.sets)
            self.sets.append(_class_runs(word))
        else:
            self.word = -1
        self.dollar = any(op == _ASSERT and arg == _AT_DOLLAR for op, arg in self.prog)
        # Equivalence classes: code points every test (and lookbehind) treats alike.
        edges = {0}
        for runs in self.sets:
            for lo, hi in runs:
                edges.add(lo)
                edges.add(hi + 1)
        self.edges = sorted(edge for edge in edges if edge <= _MAX)
        self.members: list[set[int]] = [set() for _ in self.edges]  # class -> sets holding it
        for index, runs in enumerate(self.sets):
            for lo, hi in runs:
                for cls in range(bisect.bisect_right(self.edges, lo) - 1, len(self.edges)):
                    if self.edges[cls] > hi:
                        break
                    self.members[cls].add(index)
        self.tests = {pc: arg for pc, (op, arg) in enumerate(self.prog) if op == _TEST}
        self.states: dict[tuple[frozenset[int], int], _State] = {}
        self.start = self.state(frozenset([0]), -1)

    def state(self, seeds: frozenset[int], last: int) -> _State:
        # Only what a lookbehind or \b can ask of the last character is kept.
        if not self.lookbehinds and self.word < 0:
            last = -1
        key = (seeds, last)
        found = self.states.get(key)
        if found is None:
            if len(self.states) >= MAX_STATES:
                self.states.clear()  # transitions are rebuilt on demand
                self.start = _State((frozenset([0]), -1))
                self.states[self.start.key] = self.start
            found = self.states[key] = _State(key)
        return found

    def cls(self, char: str) -> int:
        return bisect.bisect_right(self.edges, ord(char)) - 1

    def closure(
        self, seeds: frozenset[int], last: int, cls: int, *, start: bool, end: bool, dollar: bool
    ) -> set[int]:
        """The instructions reachable from ``seeds`` without reading, in this context.

        ``last`` and ``cls`` are the classes of the characters before and at the
        position (-1: none); ``dollar`` says the position is just before a final newline.
        """
        prog = self.prog
        out: set[int] = set()
        seen: set[int] = set()
        stack = list(seeds)
        while stack:
            pc = stack.pop()
            if pc in seen:
                continue
            seen.add(pc)
            op, arg = prog[pc]
            if op == _SPLIT:
                stack.append(pc + 1)
                stack.append(arg)
            elif op == _JMP:
                stack.append(arg)
            elif op == _ASSERT:
                if self.holds(arg, last, cls, start=start, end=end, dollar=dollar):
                    stack.append(pc + 1)
            else:
                out.add(pc)
        return out

    def holds(
        self, what: int, last: int, cls: int, *, start: bool, end: bool, dollar: bool
    ) -> bool:
        """Whether assertion ``what`` holds in this context (as in :meth:`closure`)."""
        if what == _AT_START:
            return start
        if what == _AT_END:
            return end
        if what == _AT_DOLLAR:
            return end or dollar
        if what >= 100:
            index, negated = self.lookbehinds[what - 100]
            return (last >= 0 and index in self.members[last]) != negated
        before = last >= 0 and self.word in self.members[last]
        after = cls >= 0 and self.word in self.members[cls]
        return (before != after) == (what == _BOUNDARY)

    def step(
        self, state: _State, char: str, *, start: bool = False, dollar: bool = False
    ) -> _State:
        """The state after reading ``char`` from ``state``."""
        normal = not start and not dollar
        if normal:
            found = state.by_char.get(char)
            if found is not None:
                return found
        cls = self.cls(char)
        if normal:
            found = state.by_class.get(cls)
            if found is None:
                found = state.by_class[cls] = self.advance(state, cls, start=False, dollar=False)
            if len(state.by_char) < MAX_CHARS_PER_STATE:
                state.by_char[char] = found
            return found
        return self.advance(state, cls, start=start, dollar=dollar)

    def advance(self, state: _State, cls: int, *, start: bool, dollar: bool) -> _State:
        members = self.members[cls]
        tests = self.tests
        live = self.closure(state.seeds, state.key[1], cls, start=start, end=False, dollar=dollar)
        seeds = frozenset(pc + 1 for pc in live if pc in tests and tests[pc] in members)
        return self.state(seeds, cls)

    def accepts(self, state: _State, cls: int, *, start: bool, end: bool, dollar: bool) -> bool:
        """Whether a match may end where ``state`` stands (``cls``: the next character's class)."""
        normal = not (start or end or dollar)
        if normal and cls in state.accept:
            return state.accept[cls]
        live = self.closure(state.seeds, state.key[1], cls, start=start, end=end, dollar=dollar)
        found = len(self.prog) - 1 in live
        if normal:
            state.accept[cls] = found
        return found

    def loop_of(self, state: _State) -> Callable[..., Any] | None:
        """A matcher of the run of characters ``state`` loops on (computed once)."""
        if not state.looped:
            state.looped = True
            runs = []
            for cls, lo in enumerate(self.edges):
                hi = self.edges[cls + 1] - 1 if cls + 1 < len(self.edges) else _MAX
                nxt = state.by_class.get(cls)
                if nxt is None:
                    nxt = state.by_class[cls] = self.advance(state, cls, start=False, dollar=False)
                if nxt is state:
                    runs.append((lo, hi))
            if runs:
                state.loop = re.compile(f"[{code_points.render(code_points.union(runs))}]*").match
        return state.loop

    def run(self, value: str, *, prefix: bool) -> bool:
        """Whether ``value`` as a whole (or, with ``prefix``, some prefix of it) matches."""
        n = len(value)
        # ``$`` also holds just before a final newline: that character is read apart.
        last = n - 1 if self.dollar and value.endswith("\n") else n
        state = self.start
        pos = 0
        while pos < n:
            if prefix:
                cls = self.cls(value[pos]) if self.word >= 0 else -1
                if self.accepts(state, cls, start=pos == 0, end=False, dollar=pos == last):
                    return True
            if not state.seeds:
                return False
            if pos == 0 or pos == last:
                state = self.step(state, value[pos], start=pos == 0, dollar=pos == last)
                pos += 1
                continue
            nxt = self.step(state, value[pos])
            if nxt is state:
                # The same state, context and (for \b) class all along the run: it
                # reads the same way, and a prefix test gives the same answer.
                loop = self.loop_of(state)
                if loop is not None:
                    pos = loop(value, pos, last).end()
                    continue
            state = nxt
            pos += 1
        return self.accepts(state, -1, start=n == 0, end=True, dollar=False)


class Matcher:
    """A model pattern compiled for whole-value matching in linear time (``word``: the
    class body of ``\\b``'s word characters)."""

    def __init__(self, python_regex: str, word: str = "a-zA-Z0-9_") -> None:
        self.word = word
        try:
            re.compile(python_regex)  # re's syntax errors first
            parsed: list[Any] = P.parse(python_regex, 0).data
        except (re.error, RecursionError, OverflowError) as error:
            raise Unsupported(str(error)) from None
        self.ahead: list[tuple[_Automaton, bool]] = []  # (automaton, must match)
        try:
            self.main = _Automaton(self._strip_lookaheads(parsed), word)
        except RecursionError:
            raise Unsupported("nested too deeply") from None

    def _strip_lookaheads(self, items: list[Any]) -> list[Any]:
        """``items`` without its leading lookaheads, which become prefix tests.

        A lookahead before anything is read looks at the value from its start,
        so it is an independent test of the value's prefixes.
        """
        head: list[Any] = []
        while items:
            op, av = items[0]
            if op is C.AT and av in (C.AT_BEGINNING, C.AT_BEGINNING_STRING):
                head.append(items.pop(0))
            elif op in (C.ASSERT, C.ASSERT_NOT) and av[0] == 1:
                items.pop(0)
                self.ahead.append((_Automaton(av[1], self.word), op is C.ASSERT))
            elif op is C.SUBPATTERN and not av[1] and not av[2]:
                inner = self._strip_lookaheads(list(av[3]))
                items = [*inner, *items[1:]]
                break
            else:
                break
        return [*head, *items]

    def __call__(self, value: str) -> bool:
        """Whether ``value`` as a whole matches."""
        for automaton, wanted in self.ahead:
            if automaton.run(value, prefix=True) != wanted:
                return False
        return self.main.run(value, prefix=False)


__all__ = ["MAX_PROGRAM", "Matcher", "Unsupported"]
