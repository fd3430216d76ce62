"""The documentation cannot rot: every example in README.md and docs/ runs.

Blocks of one page run in order, in one fresh namespace and a fresh working
directory.  A ```python block directly followed by a ```text block must print
exactly that text, so every figure the docs quote is checked.  In a
```console block, each ``$ sagemaker-lite ...`` (or ``$ python -m
sagemaker_lite ...``) command is run in-process and must print the lines
that follow it; other commands (``pip``, ``pytest``) are shown, not run.
``<!-- skip -->`` on the line before a block leaves it out (only for code
that truly cannot run here); ``<!-- requires: module -->`` runs it only where
``module`` imports (the SageMaker SDK v2 and v3 examples: CI runs this test in
an environment with each).
"""

from __future__ import annotations

import contextlib
import importlib.util
import io
import re
import shlex
from pathlib import Path

import pytest

from sagemaker_lite import cli, coverage

ROOT = Path(__file__).resolve().parent.parent
PAGES = sorted([ROOT / "README.md", *(ROOT / "docs").glob("*.md")])
FENCE = re.compile(r"^```(\w*)[^\n]*\n(.*?)^```[ \t]*$", re.MULTILINE | re.DOTALL)
SKIP = "<!-- skip -->"
REQUIRES = re.compile(r"<!-- requires: ([\w.]+) -->\s*$")


Example = tuple[int, str, str, "str | None"]  # (line, language, source, expected output)
COMMANDS = ("sagemaker-lite", "python -m sagemaker_lite")


def examples(text: str) -> list[Example]:
    """The runnable blocks of a page: python (with the text block after it) and console."""
    blocks = [(m.start(), m.end(), m.group(1), m.group(2)) for m in FENCE.finditer(text)]
    found: list[Example] = []
    for index, (start, end, language, body) in enumerate(blocks):
        if language not in ("python", "console") or text[:start].rstrip().endswith(SKIP):
            continue
        required = REQUIRES.search(text[:start].rstrip())
        if required is not None and not _importable(required.group(1)):
            continue
        expected = None
        if language == "python" and index + 1 < len(blocks):
            next_start, _, next_language, next_body = blocks[index + 1]
            if next_language == "text" and not text[end:next_start].strip():
                expected = next_body
        found.append((text.count("\n", 0, start) + 1, language, body, expected))
    return found


def _importable(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except ModuleNotFoundError:  # a parent package is missing
        return False


def console_commands(body: str) -> list[tuple[list[str], str]]:
    """(argv, expected output) of each sagemaker-lite command in a console block."""
    commands: list[tuple[list[str], str]] = []
    current: list[str] | None = None
    output: list[str] = []
    for line in [*body.splitlines(), "$ end"]:
        if not line.startswith("$ "):
            output.append(line + "\n")
            continue
        if current is not None:
            commands.append((current, "".join(output)))
        command = line[2:].strip()
        prefix = next((p for p in COMMANDS if command.startswith(p + " ")), None)
        current = None if prefix is None else shlex.split(command[len(prefix) :])
        output = []
    return commands


def run_console(body: str, where: str) -> None:
    for argv, expected in console_commands(body):
        output = io.StringIO()
        with contextlib.redirect_stdout(output), contextlib.redirect_stderr(output):
            cli.main(argv)
        assert output.getvalue() == expected, f"{where}: $ sagemaker-lite {shlex.join(argv)}"


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_example_runs_and_prints_what_the_page_shows(
    page: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    namespace: dict[str, object] = {"__name__": f"docs_{page.stem}"}
    for line, language, source, expected in examples(page.read_text(encoding="utf-8")):
        where = f"{page.name}, block at line {line}"
        if language == "console":
            run_console(source, where)
            continue
        output = io.StringIO()
        with contextlib.redirect_stdout(output):
            exec(compile(source, f"{page.name}:{line}", "exec"), namespace)
        if expected is not None:
            assert output.getvalue() == expected, where


def test_the_example_finder_honours_skip_marks_and_output_blocks() -> None:
    page = "```python\nprint(1)\n```\n```text\n1\n```\n<!-- skip -->\n```python\nx\n```\n"
    assert examples(page) == [(1, "python", "print(1)\n", "1\n")]


def test_requires_marks_run_a_block_only_where_its_module_imports() -> None:
    page = (
        "<!-- requires: json -->\n```python\nprint(1)\n```\n"
        "<!-- requires: no_such_module.sub -->\n```python\nx\n```\n"
    )
    assert examples(page) == [(2, "python", "print(1)\n", None)]


def test_console_blocks_run_only_sagemaker_lite_commands() -> None:
    body = "$ pip install x\nok\n$ sagemaker-lite validate Op 'a b.json'\nvalid\n"
    assert console_commands(body) == [(["validate", "Op", "a b.json"], "valid\n")]


def test_coverage_page_is_up_to_date() -> None:
    page = ROOT / "docs" / "coverage.md"
    assert page.read_text(encoding="utf-8") == coverage.render(), (
        "regenerate: python -m sagemaker_lite.coverage > docs/coverage.md"
    )


def test_coverage_hand_tables_name_real_fields() -> None:
    for operation, member in coverage.SIMULATED:
        assert member in dict(coverage.members(operation)), (operation, member)
    for operation, names in coverage.RULE_MEMBERS.items():
        assert set(names) <= set(dict(coverage.members(operation))), operation


def test_readme_starts_with_the_two_setup_commands() -> None:
    first = next(FENCE.finditer((ROOT / "README.md").read_text(encoding="utf-8")))
    assert first.group(2) == (
        "pip install -e '.[test]' && python -m sagemaker_lite demo\npython -m pytest -q\n"
    )


def test_docs_index_links_every_page() -> None:
    index = (ROOT / "docs" / "index.md").read_text(encoding="utf-8")
    for page in (ROOT / "docs").glob("*.md"):
        if page.name != "index.md":
            assert f"({page.name})" in index, page.name
