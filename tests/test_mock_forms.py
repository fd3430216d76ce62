"""Every form of ``mock_sagemaker`` serves a client made on the test's first line (issue 23).

Each test makes its boto3 client before any SageMaker call, with the network
refused (``no_network``): the call is served by the mock or the test fails.
"""

from __future__ import annotations

import asyncio
import unittest
from typing import Any

import boto3
import botocore.endpoint
import pytest
from factories import training_request

from sagemaker_lite import Emulator, mock_sagemaker
from sagemaker_lite.surfaces.boto3_adapter import active_emulator

pytest_plugins = ["pytester"]


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("a request reached the network")

    monkeypatch.setattr(botocore.endpoint.Endpoint, "_send", refuse)


def _create_and_list(region: str = "us-east-1") -> tuple[str, list[str]]:
    sm = boto3.client("sagemaker", region_name=region)  # before any call
    arn = sm.create_training_job(**training_request())["TrainingJobArn"]
    emulator = active_emulator()
    assert emulator is not None
    return arn, [job.name for job in emulator.jobs()]


def test_bare_decorator() -> None:
    @mock_sagemaker
    def body() -> tuple[str, list[str]]:
        return _create_and_list()

    assert body()[1] == ["job-1"]
    assert body()[1] == ["job-1"]  # each call a fresh emulator: the name is free again
    assert active_emulator() is None


def test_called_decorator_with_options() -> None:
    @mock_sagemaker(account_id="111122223333")
    def body(region: str) -> str:
        return _create_and_list(region)[0]

    assert body("eu-west-1").startswith("arn:aws:sagemaker:eu-west-1:111122223333:")


def test_a_given_emulator_is_shared_by_every_call() -> None:
    emulator = Emulator()

    @mock_sagemaker(emulator)
    def body(name: str) -> None:
        boto3.client("sagemaker", region_name="us-east-1").create_training_job(
            **training_request(name)
        )

    body("a")
    body("b")
    assert sorted(job.name for job in emulator.jobs()) == ["a", "b"]


@pytest.mark.parametrize("bare", [True, False])
def test_async_def_is_mocked_while_it_runs(bare: bool) -> None:
    async def body() -> list[str]:
        await asyncio.sleep(0)  # the mock still holds after the coroutine first yields
        return _create_and_list()[1]

    decorated = mock_sagemaker(body) if bare else mock_sagemaker()(body)
    assert asyncio.iscoroutinefunction(decorated)
    assert asyncio.run(decorated()) == ["job-1"]
    assert active_emulator() is None


def test_start_and_stop() -> None:
    mock = mock_sagemaker()
    emulator = mock.start()
    try:
        assert active_emulator() is emulator
        assert _create_and_list()[1] == ["job-1"]
    finally:
        mock.stop()
    assert active_emulator() is None
    with pytest.raises(RuntimeError, match="without a matching start"):
        mock.stop()


def test_a_unittest_case_is_mocked_from_setup_to_cleanup() -> None:
    seen: list[Any] = []

    @mock_sagemaker
    class Case(unittest.TestCase):
        def setUp(self) -> None:
            self.sm = boto3.client("sagemaker", region_name="us-east-1")
            self.addCleanup(lambda: seen.append(("cleanup", active_emulator() is not None)))

        def test_one(self) -> None:
            self.sm.create_training_job(**training_request())
            seen.append(active_emulator())

        def test_two(self) -> None:
            self.test_one()  # a fresh emulator per test: the name is free

        def tearDown(self) -> None:
            seen.append(("tearDown", active_emulator() is not None))

    result = unittest.TestResult()
    unittest.defaultTestLoader.loadTestsFromTestCase(Case).run(result)
    assert result.wasSuccessful(), result.errors + result.failures
    assert result.testsRun == 2
    emulators = [s for s in seen if isinstance(s, Emulator)]
    assert len(emulators) == 2 and emulators[0] is not emulators[1]
    assert ("tearDown", True) in seen and ("cleanup", True) in seen


def test_pytest_classes_stay_classes_and_are_collected(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        f"""
        import asyncio, unittest
        import boto3
        from sagemaker_lite import mock_sagemaker
        from sagemaker_lite.surfaces.boto3_adapter import active_emulator

        REQUEST = {training_request()!r}

        class Base:
            def test_inherited(self):
                assert active_emulator() is not None

        @mock_sagemaker
        class TestBare(Base):
            def test_one(self):
                boto3.client("sagemaker", region_name="us-east-1").create_training_job(**REQUEST)
                assert len(list(active_emulator().jobs())) == 1

            def test_async(self):
                async def body():
                    return active_emulator()
                assert asyncio.run(body()) is not None

            def helper(self):
                return active_emulator()

            def test_helpers_run_inside(self):
                assert self.helper() is not None

        @mock_sagemaker(account_id="111122223333")
        class TestCalled(unittest.TestCase):
            def test_one(self):
                arn = boto3.client("sagemaker", region_name="us-east-1").create_training_job(
                    **REQUEST
                )["TrainingJobArn"]
                self.assertIn(":111122223333:", arn)

        def test_base_is_untouched():
            assert active_emulator() is None
        """
    )
    pytester.runpytest_inprocess("-p", "no:cacheprovider").assert_outcomes(passed=6)


def test_decorating_something_else_is_refused() -> None:
    with pytest.raises(TypeError, match="decorates functions and classes"):
        mock_sagemaker()(42)  # type: ignore[type-var]
