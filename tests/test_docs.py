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

A ```python block holding tests (``def test_...``, ``class Test...`` or
``Test... = Machine.TestCase``) is run the way a user runs it: written as a
test file into a temporary project with no conftest of ours, and run by
pytest in a separate process with Hypothesis's default settings (deadline
and health checks included; the CI variables that would switch Hypothesis to
its "ci" profile are removed).  Every test in it must pass, unless
``<!-- pytest: fails -->`` on the line before says each must fail.  All
pages' test blocks run in one pytest process.
"""

from __future__ import annotations

import contextlib
import importlib.util
import io
import os
import re
import shlex
import subprocess
import sys
import xml.etree.ElementTree as ElementTree
from importlib.metadata import entry_points
from pathlib import Path

import pytest

from sagemaker_lite.surfaces import cli, coverage

ROOT = Path(__file__).resolve().parent.parent
#: What the test extras install; without boto3 a page stops at the first block needing one.
TEST_EXTRAS = ("boto3", "botocore", "moto", "sagemaker", "aiobotocore", "pandas")
PAGES = sorted([ROOT / "README.md", *(ROOT / "docs").glob("*.md")])
FENCE = re.compile(r"^```(\w*)[^\n]*\n(.*?)^```[ \t]*$", re.MULTILINE | re.DOTALL)
SKIP = "<!-- skip -->"
FAILS = "<!-- pytest: fails -->"
TEST_CODE = re.compile(r"^(def test_|class Test|Test\w* = )", re.MULTILINE)
REQUIRES = re.compile(r"<!-- requires: ([\w.]+) -->\s*$")


Example = tuple[int, str, str, "str | None"]  # (line, language, source, expected output)
COMMANDS = ("sagemaker-lite", "python -m sagemaker_lite")


def is_test_file(source: str) -> bool:
    """Whether a python block is a test file (run by pytest, not executed in-process)."""
    return TEST_CODE.search(source) is not None


def examples(text: str, *, tests: bool = False) -> list[Example]:
    """The runnable blocks of a page: python (with the text block after it) and console.

    With ``tests``, only the python blocks that are test files; otherwise all
    others.  For test files, ``expected`` is "fails" or "passes".
    """
    blocks = [(m.start(), m.end(), m.group(1), m.group(2)) for m in FENCE.finditer(text)]
    found: list[Example] = []
    for index, (start, end, language, body) in enumerate(blocks):
        before = text[:start].rstrip()
        if language not in ("python", "console") or before.endswith(SKIP):
            continue
        if (language == "python" and is_test_file(body)) != tests:
            continue
        if tests:
            outcome = "fails" if before.endswith(FAILS) else "passes"
            found.append((text.count("\n", 0, start) + 1, language, body, outcome))
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
        try:
            with contextlib.redirect_stdout(output):
                exec(compile(source, f"{page.name}:{line}", "exec"), namespace)
        except ModuleNotFoundError as error:  # the rest of the page needs a test extra
            if importlib.util.find_spec("boto3") is not None or error.name is None:
                raise
            if error.name.partition(".")[0] not in TEST_EXTRAS:
                raise
            pytest.skip(f"{where} needs {error.name}, a test extra")
        if expected is not None:
            assert output.getvalue() == expected, where


def test_the_test_files_of_the_docs_pass_as_a_users_own(tmp_path: Path) -> None:
    """Each test block, as its own test file in a bare project, under Hypothesis defaults."""
    expected: dict[str, str] = {}
    for page in PAGES:
        for line, _, source, outcome in examples(page.read_text(encoding="utf-8"), tests=True):
            module = f"test_{page.stem.replace('-', '_')}_{line}"
            (tmp_path / f"{module}.py").write_text(source, encoding="utf-8")
            expected[module] = str(outcome)
    assert expected, "no page shows test code"
    report = tmp_path / "report.xml"
    env = {k: v for k, v in os.environ.items() if k not in ("CI", "TF_BUILD", "PYTEST_ADDOPTS")}
    # Our copy of the package (not another installed one), as an installed user has it.
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    installed = any(ep.name == "sagemaker_lite" for ep in entry_points(group="pytest11"))
    plugin = [] if installed else ["-p", "sagemaker_lite.testing.pytest_plugin"]
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *plugin]
    result = subprocess.run(
        [*command, f"--junitxml={report}", str(tmp_path)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    outcomes: dict[str, list[str]] = {}
    for case in ElementTree.parse(report).getroot().iter("testcase"):
        failed = any(child.tag in ("failure", "error") for child in case)
        module = case.get("classname", "").split(".")[0]
        outcomes.setdefault(module, []).append("fails" if failed else "passes")
    for module, outcome in expected.items():
        assert outcomes.get(module), f"{module}: no test ran\n{result.stdout}"
        assert set(outcomes[module]) == {outcome}, f"{module}: {outcomes[module]}\n{result.stdout}"


def test_the_example_finder_tells_test_files_apart() -> None:
    page = "```python\nx = 1\n```\n<!-- pytest: fails -->\n```python\ndef test_a():\n    1/0\n```\n"
    assert examples(page) == [(1, "python", "x = 1\n", None)]
    assert examples(page, tests=True) == [(5, "python", "def test_a():\n    1/0\n", "fails")]


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
    pytest.importorskip("botocore", reason="the runtime section reads botocore's runtime model")
    page = ROOT / "docs" / "coverage.md"
    assert page.read_text(encoding="utf-8") == coverage.render(), (
        "regenerate: python -m sagemaker_lite.surfaces.coverage > docs/coverage.md"
    )


def test_coverage_hand_tables_name_real_fields() -> None:
    pytest.importorskip("botocore", reason="the runtime members are botocore's")
    for operation, member in coverage.SIMULATED:
        assert member in dict(coverage.members(operation)), (operation, member)
    for operation, member in coverage.RUNTIME_SIMULATED:
        assert member in coverage.runtime_members(operation), (operation, member)
    for operation, names in coverage.RULE_MEMBERS.items():
        assert set(names) <= set(dict(coverage.members(operation))), operation


README_COMMANDS = (
    "pip install -e . && python -m sagemaker_lite demo\n"
    "pip install -e '.[test]' && python -m pytest -q -n auto\n"
)


def test_readme_starts_with_the_two_setup_commands() -> None:
    """First the package alone and its demo; then the test extras and the tests."""
    first = next(FENCE.finditer((ROOT / "README.md").read_text(encoding="utf-8")))
    assert first.group(2) == README_COMMANDS


def test_ci_runs_exactly_the_readme_commands_in_order() -> None:
    script = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    commands = [line for line in script.splitlines() if line.startswith("pip install")]
    quiet = README_COMMANDS.replace("pip install", "pip install --quiet")
    assert "\n".join(commands[:2]) + "\n" == quiet


def test_docs_index_links_every_page() -> None:
    index = (ROOT / "docs" / "index.md").read_text(encoding="utf-8")
    for page in (ROOT / "docs").glob("*.md"):
        if page.name != "index.md":
            assert f"({page.name})" in index, page.name


# --- counts and lists the pages state, checked against the tables they describe -----

NUMBER_WORDS = {
    word: n
    for n, word in enumerate(
        [
            "zero",
            "one",
            "two",
            "three",
            "four",
            "five",
            "six",
            "seven",
            "eight",
            "nine",
            "ten",
            "eleven",
            "twelve",
            "thirteen",
            "fourteen",
            "fifteen",
            "sixteen",
            "seventeen",
            "eighteen",
            "nineteen",
            "twenty",
        ]
    )
}
COUNTED = re.compile(
    r"\b(\d+|" + "|".join(NUMBER_WORDS) + r") (Create operations|operations|fixtures)\b",
    re.IGNORECASE,
)


def _plugin_fixtures() -> set[str]:
    from sagemaker_lite.testing import pytest_plugin

    return {
        name
        for name, value in vars(pytest_plugin).items()
        if not name.startswith("_") and "fixture" in type(value).__name__.lower()
    }


def _truths() -> dict[str, int]:
    from sagemaker_lite.contract.operations import OPERATIONS

    return {
        "operations": len(OPERATIONS),
        "create operations": sum(1 for name in OPERATIONS if name.startswith("Create")),
        "fixtures": len(_plugin_fixtures()),
    }


def test_every_count_a_page_states_is_the_tables_count() -> None:
    """ "N operations", "N Create operations", "N fixtures": N is what the tables hold."""
    truths = _truths()
    for page in PAGES:
        for match in COUNTED.finditer(page.read_text(encoding="utf-8")):
            number, noun = match.group(1).lower(), match.group(2).lower()
            stated = NUMBER_WORDS[number] if number in NUMBER_WORDS else int(number)
            assert stated == truths[noun], f"{page.name}: {match.group(0)!r}, not {truths[noun]}"


def test_the_fixture_table_lists_every_fixture_of_the_plugin() -> None:
    page = (ROOT / "docs" / "testing.md").read_text(encoding="utf-8")
    table = re.search(r"\| fixture \| what \|\n((?:\|.*\n)+)", page)
    assert table is not None
    listed = set(
        re.findall(r"`(\w+)`", "".join(row.split("|")[1] for row in table.group(1).splitlines()))
    )
    assert listed == _plugin_fixtures()


def test_cli_page_names_every_kind_simulate_runs_and_every_rule_validate_runs() -> None:
    page = " ".join((ROOT / "docs" / "cli.md").read_text(encoding="utf-8").split())
    for kind in cli.JOB_KINDS:
        assert f"`{kind.name_member}`" in page, kind.name_member
    rules = re.search(r"first semantic rule the request breaks \(for ([^)]*)\)", page)
    assert rules is not None
    assert set(re.findall(r"`(\w+)`", rules.group(1))) == set(cli.SEMANTIC_RULES)
