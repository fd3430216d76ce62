"""The pytest plugin changes nothing at import or collection, and mocks whole tests on request.

Under pytest 9.2 the collector's scan of the plugin module used to read an attribute
of the boto3 stand-in, which entered ``mock_sagemaker()`` while test modules were
imported (issue 23).  The scan is repeated here by hand, and pytest itself runs a
user's test module in a subprocess: the installed pytest, plus any other pytest
wheel named in ``SAGEMAKER_LITE_OTHER_PYTESTS`` (paths joined by ``os.pathsep``;
a pure-Python wheel is importable from ``PYTHONPATH``), e.g. pytest 8
(``SAGEMAKER_LITE_OTHER_PYTESTS=pytest-8.4.2-py3-none-any.whl`` passes).  The
``--collect-only`` test checks against the built-in functions, not a snapshot taken
after pytest started, so it needs no second pytest to mean the same under both.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any

import pytest
from factories import training_request

pytest_plugins = ["pytester"]

ROOT = Path(__file__).resolve().parent.parent

# What the plugin must leave alone until a test starts.
_SNAPSHOT = """
import asyncio, os, time
import botocore.client
def snapshot():
    return (
        time.sleep, time.time, time.monotonic, time.time_ns, time.monotonic_ns, asyncio.sleep,
        botocore.client.BaseClient.__init__,
        {k: v for k, v in os.environ.items() if k.startswith("AWS_")},
    )
"""


def test_importing_and_scanning_the_plugin_changes_nothing() -> None:
    """Every attribute of the plugin's modules probed as collectors do: no mock, no patch."""
    script = _SNAPSHOT + textwrap.dedent(
        """
        import inspect, sys, types
        before = snapshot()
        from sagemaker_lite.testing import per_example, pytest_plugin
        for module in (pytest_plugin, per_example):
            for name in dir(module):
                value = getattr(module, name)
                isinstance(value, types.FunctionType)
                inspect.isroutine(value)
                inspect.isclass(value)
                for probe in ("__wrapped__", "__test__", "_pytestfixturefunction", "pytestmark"):
                    getattr(value, probe, None)
        assert snapshot() == before, "something was patched"
        heavy = ("sagemaker_lite.engine.emulator", "sagemaker_lite.surfaces.boto3_adapter")
        heavy = [m for m in heavy if m in sys.modules]
        assert heavy == [], heavy
        print("ok")
        """
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env["PYTHONPATH"] = str(ROOT)
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, check=False
    )
    assert done.stdout.strip() == "ok", done.stderr


def test_a_stand_in_answers_nothing_outside_a_test() -> None:
    from sagemaker_lite.testing import per_example

    scope = per_example.Scope()
    fresh = per_example.Fresh(scope.boto3_client)
    saved, per_example.SCOPE.in_test = per_example.SCOPE.in_test, False
    try:
        with pytest.raises(AttributeError, match="no test is running"):
            fresh.meta  # noqa: B018
        assert type(fresh) is per_example.Fresh and fresh.__class__ is per_example.Fresh
    finally:
        per_example.SCOPE.in_test = saved
    with pytest.raises(AttributeError):
        fresh.__wrapped__  # noqa: B018  # dunder probes never make a client, even in a test
    assert scope._mock is None


_USER_TESTS = _SNAPSHOT + textwrap.dedent(
    f"""
    import boto3, botocore.endpoint, pytest
    from hypothesis import given, settings, strategies as st

    AT_IMPORT = snapshot()
    REQUEST = {training_request("first-line")!r}

    @pytest.fixture(autouse=True)
    def no_network(monkeypatch):
        def refuse(self, *args, **kwargs):
            raise AssertionError("a request reached the network")
        monkeypatch.setattr(botocore.endpoint.Endpoint, "_send", refuse)

    def test_collection_changed_nothing():
        assert AT_IMPORT == snapshot()

    @pytest.fixture
    def my_client():
        return boto3.client("sagemaker", region_name="us-east-1")

    @pytest.mark.sagemaker_lite
    def test_the_marker_mocks_from_the_first_line(sagemaker_emulator):
        sm = boto3.client("sagemaker", region_name="us-east-1")
        sm.create_training_job(**REQUEST)
        assert [job.name for job in list(sagemaker_emulator.jobs())] == ["first-line"]

    def test_boto3_sagemaker_mocks_a_fixture_made_before_it(my_client, boto3_sagemaker,
                                                            sagemaker_emulator):
        my_client.create_training_job(**REQUEST)
        assert boto3_sagemaker.describe_training_job(TrainingJobName="first-line")
        assert [job.name for job in list(sagemaker_emulator.jobs())] == ["first-line"]

    @pytest.mark.sagemaker_lite
    class TestAClass:
        def test_one(self, sagemaker_emulator):
            boto3.client("sagemaker", region_name="eu-west-1").create_training_job(**REQUEST)
            assert len(list(sagemaker_emulator.jobs())) == 1

        def test_two(self, sagemaker_emulator):
            self.test_one(sagemaker_emulator)  # a fresh emulator: the name is free

    @pytest.mark.sagemaker_lite
    @settings(max_examples=5)
    @given(st.integers(0, 3))
    def test_each_example_is_mocked_and_fresh(sagemaker_emulator, n):
        assert list(sagemaker_emulator.jobs()) == []
        boto3.client("sagemaker", region_name="us-east-1").create_training_job(**REQUEST)
        assert len(list(sagemaker_emulator.jobs())) == 1

    def test_nothing_leaked_from_the_tests_before():
        assert AT_IMPORT == snapshot()
    """
)


def _other_pytests() -> list[str]:
    wheels = os.environ.get("SAGEMAKER_LITE_OTHER_PYTESTS", "")
    return [w for w in wheels.split(os.pathsep) if w]


@pytest.mark.parametrize("pytest_wheel", ["installed", *_other_pytests()])
def test_a_users_test_module_under_pytest(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, pytest_wheel: str
) -> None:
    for name in [n for n in os.environ if n.startswith("AWS_")] + ["CI", "TF_BUILD"]:
        monkeypatch.delenv(name, raising=False)
    path = [] if pytest_wheel == "installed" else [pytest_wheel]
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([*path, str(ROOT)]))
    pytester.makepyfile(_USER_TESTS)
    installed = any(ep.name == "sagemaker_lite" for ep in entry_points(group="pytest11"))
    args: Any = () if installed else ("-p", "sagemaker_lite.testing.pytest_plugin")
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "--strict-markers", *args)
    result.assert_outcomes(passed=7)


_COLLECTED_CONFTEST = textwrap.dedent(
    """
    import asyncio, os, sys, threading, time, types
    import botocore.waiter

    def check(when):
        patched = [
            name for name in ("sleep", "time", "time_ns", "monotonic", "monotonic_ns")
            if not isinstance(getattr(time, name), types.BuiltinFunctionType)
        ]
        if asyncio.sleep.__module__ != "asyncio.tasks":
            patched.append("asyncio.sleep")
        if threading.Thread.start.__module__ != "threading":
            patched.append("Thread.start")
        if botocore.waiter.time is not time:
            patched.append("botocore.waiter.time")
        env = {k: v for k, v in os.environ.items() if k.startswith("AWS_")}
        assert env == {"AWS_ACCESS_KEY_ID": "unchanged"}, (when, env)
        assert not patched, (when, patched)
        mocks = [m for m in ("sagemaker_lite.surfaces.boto3_adapter",) if m in sys.modules]
        assert not mocks, (when, mocks)

    check("conftest")

    def pytest_collection_finish(session):
        check("after collection")
    """
)


@pytest.mark.parametrize("pytest_wheel", ["installed", *_other_pytests()])
def test_collection_alone_patches_nothing(tmp_path: Path, pytest_wheel: str) -> None:
    """``pytest --collect-only`` with the plugin: the real functions and environment while
    conftests and test modules are imported and after collection.  It checks against the
    built-in functions, not against a snapshot, so it holds for any pytest version."""
    (tmp_path / "conftest.py").write_text(_COLLECTED_CONFTEST)
    (tmp_path / "test_user.py").write_text(
        "import conftest\nconftest.check('test module')\n\n"
        "def test_a(boto3_sagemaker):\n    pass\n\n"
        "import pytest\n\n@pytest.mark.sagemaker_lite\nclass TestB:\n    def test_b(self):\n"
        "        pass\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "PYTEST_"))}
    path = [] if pytest_wheel == "installed" else [pytest_wheel]
    env.update(AWS_ACCESS_KEY_ID="unchanged", PYTHONPATH=os.pathsep.join([*path, str(ROOT)]))
    installed = any(ep.name == "sagemaker_lite" for ep in entry_points(group="pytest11"))
    plugin = [] if installed else ["-p", "sagemaker_lite.testing.pytest_plugin"]
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "--collect-only",
            "-q",
            "-p",
            "no:cacheprovider",
            "-p",
            "no:randomly",
            *plugin,
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    assert "2 tests collected" in done.stdout, done.stdout[-2000:]
