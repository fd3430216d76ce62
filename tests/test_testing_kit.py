"""The testing kit users get: strategies, the state machine, the pytest plugin, snapshots."""

from __future__ import annotations

import contextlib
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any, ClassVar

import pytest
from factories import training_request
from hypothesis import Phase, given, settings
from hypothesis import strategies as st
from hypothesis.stateful import invariant, rule, run_state_machine_as_test

import sagemaker_lite
from sagemaker_lite.surfaces.client import Client
from sagemaker_lite.surfaces.emulator import Emulator
from sagemaker_lite.testing import strategies as sms
from sagemaker_lite.testing.stateful import MACHINE_SETTINGS, SageMakerStateMachine

pytest_plugins = ["pytester"]


# --- strategies -------------------------------------------------------------------------


@pytest.mark.parametrize("operation", sms.CREATE_OPERATIONS)
@settings(max_examples=25)
@given(data=st.data())
def test_valid_create_requests_succeed(operation: str, data: st.DataObject) -> None:
    """Every drawn create request is accepted, and describes back as created."""
    request = data.draw(
        sms.valid_requests(operation, account_id="210987654321", region="eu-west-1")
    )
    client = sagemaker_lite.client(region_name="eu-west-1", account_id="210987654321")
    sms.set_up(client, operation, request, account_id="210987654321", region="eu-west-1")
    arn = next(iter(client.call(operation, request).values()))
    assert arn.startswith("arn:aws:sagemaker:eu-west-1:210987654321:")


@settings(max_examples=25)
@given(sms.valid_requests("CreateTrainingJob", account_id="555555555555"))
def test_valid_requests_look_real(request: dict[str, Any]) -> None:
    """ARNs of the given account, s3:// URIs, instance types of the API."""
    assert request["RoleArn"].startswith("arn:aws:iam::555555555555:role/")
    assert request["OutputDataConfig"]["S3OutputPath"].startswith("s3://")
    assert request["ResourceConfig"]["InstanceType"].startswith("ml.")
    assert request["AlgorithmSpecification"]["TrainingImage"].startswith("555555555555.dkr.ecr.")


@pytest.mark.parametrize(
    "operation",
    [
        *sms.CREATE_OPERATIONS,
        "DescribeTrainingJob",
        "ListTrainingJobs",
        "AddTags",
        "UpdateTrainingJob",
    ],
)
@settings(max_examples=30)
@given(data=st.data())
def test_invalid_requests_get_the_promised_error(operation: str, data: st.DataObject) -> None:
    """The emulator answers each broken request with the code and text the kit promises."""
    request, code, fragment = data.draw(sms.invalid_requests(operation))
    error = sms.error_of(lambda: sagemaker_lite.client().call(operation, request))
    assert error is not None, request
    assert error[0] == code and fragment in error[1], (error, code, fragment)


def test_semantic_breakages_are_drawn() -> None:
    """Rule violations (not just schema ones) are among the invalid requests."""
    request = {"TrainingJobName": "x", "StoppingCondition": {"MaxRuntimeInSeconds": 60}}
    broken, code, fragment = sms.apply(request, sms.SEMANTIC_BREAKAGES["CreateTrainingJob"][1])
    assert broken["StoppingCondition"] == {
        "MaxRuntimeInSeconds": 60,
        "MaxWaitTimeInSeconds": 86_400,
    }
    assert "EnableManagedSpotTraining" not in broken
    assert code == "ValidationException" and "EnableManagedSpotTraining" in fragment
    assert request["StoppingCondition"] == {"MaxRuntimeInSeconds": 60}  # the original is kept


# --- the state machine ------------------------------------------------------------------


def test_the_machine_is_importable_from_the_kit() -> None:
    from sagemaker_lite.testing import SageMakerStateMachine as Exported

    assert Exported is SageMakerStateMachine


class UserWorkflow(SageMakerStateMachine):
    """What a user writes: a rule driving their code, an invariant of their own."""

    def __init__(self) -> None:
        super().__init__()
        self.retried: list[str] = []

    @rule(name=SageMakerStateMachine.training_jobs)
    def retry_failed(self, name: str) -> None:
        if ("training-job", name.lower()) not in self.live:
            return  # another rule deleted it: the bundle keeps names of deleted jobs
        described = self.client.describe_training_job(TrainingJobName=name)
        if described["TrainingJobStatus"] == "Failed":
            self.retried.append(name)

    @invariant()
    def retried_jobs_did_fail(self) -> None:
        for name in self.retried:
            job = self.client.world.get("training-job", name)
            assert job is None or job.status == "Failed" or job.failure_reason is None


def test_users_subclass_the_machine() -> None:
    """A subclass runs the kit's rules and invariants together with its own."""
    run_state_machine_as_test(  # type: ignore[no-untyped-call]  # hypothesis leaves it untyped
        UserWorkflow, settings=settings(max_examples=5, stateful_step_count=15)
    )


class CreatesAndDeletes(SageMakerStateMachine):
    """Users' rules that create, stop and delete jobs of their own, with no bookkeeping."""

    @rule(name=SageMakerStateMachine.training_jobs)
    def retry(self, name: str) -> None:
        job = self.client.world.get("training-job", name)
        if job is None or name.endswith("-again"):
            return
        request = {k: v for k, v in job.request.items() if k != "TrainingJobName"}
        with contextlib.suppress(self.client.exceptions.ResourceInUse):
            self.client.create_training_job(TrainingJobName=f"{name}-again", **request)

    @rule(name=SageMakerStateMachine.training_jobs)
    def clean_up(self, name: str) -> None:
        for candidate in (name, f"{name}-again"):
            with contextlib.suppress(self.client.exceptions.ClientError):
                self.client.stop_training_job(TrainingJobName=candidate)
            self.emulator.run_until_idle()
            with contextlib.suppress(self.client.exceptions.ClientError):
                self.client.delete_training_job(TrainingJobName=candidate)

    @invariant()
    def the_copies_are_known(self) -> None:
        stored = {key for key in self.client.world.table("training-job") if key.endswith("-again")}
        assert stored == {key for kind, key in self.live if key.endswith("-again")}


def test_users_rules_that_create_and_delete_keep_every_invariant() -> None:
    """Creates and deletes made through self.client by the user's rules are accounted for."""
    run_state_machine_as_test(  # type: ignore[no-untyped-call]
        CreatesAndDeletes,
        settings=settings(max_examples=30, stateful_step_count=20, database=None, derandomize=True),
    )


def test_the_machine_runs_short_by_default() -> None:
    """Users' TestCase settings bound runs (so shrinking is cheap) unless they set their own."""

    class Mine(SageMakerStateMachine):
        pass

    @settings(max_examples=7)
    class Theirs(SageMakerStateMachine):
        pass

    assert Mine.TestCase.settings.stateful_step_count == MACHINE_SETTINGS["stateful_step_count"]
    assert Mine.TestCase.settings.max_examples == MACHINE_SETTINGS["max_examples"]
    assert Mine.TestCase.settings.deadline is None
    assert Theirs.TestCase.settings.max_examples == 7


class Buggy(SageMakerStateMachine):
    """A deliberately wrong user rule: it cannot cope with a completed job."""

    runs: ClassVar[list[int]] = []

    def __init__(self) -> None:
        super().__init__()
        self.steps = 0

    @rule(name=SageMakerStateMachine.training_jobs)
    def report(self, name: str) -> None:
        job = self.client.world.get("training-job", name)
        assert job is None or job.status != "Completed", "the user's report code is wrong"

    @invariant()
    def count(self) -> None:
        self.steps += 1  # invariants run once at the start and after every step

    def teardown(self) -> None:
        Buggy.runs.append(self.steps - 1)


def test_a_failing_user_rule_is_found_and_shrinks_to_the_few_steps_that_matter() -> None:
    """Create, let it complete, report: the shrunk run is that short (bench: time to shrink)."""
    Buggy.runs.clear()
    with pytest.raises(AssertionError, match="report code is wrong"):
        run_state_machine_as_test(  # type: ignore[no-untyped-call]
            Buggy,
            settings=settings(
                Buggy.TestCase.settings, max_examples=1000, database=None, derandomize=True
            ),
        )
    assert Buggy.runs[-1] <= 3, Buggy.runs[-1]  # the replayed minimal run
    assert max(Buggy.runs) <= MACHINE_SETTINGS["stateful_step_count"]


def test_the_machine_catches_a_broken_emulator() -> None:
    """The built-in invariants fail when the emulator loses a job."""

    class Losing(SageMakerStateMachine):
        @rule(name=SageMakerStateMachine.training_jobs)
        def lose_it(self, name: str) -> None:
            job = self.client.world.get("training-job", name)
            if job is not None:
                self.client.world.remove(job)  # behind the API's back

    with pytest.raises(AssertionError):
        run_state_machine_as_test(  # type: ignore[no-untyped-call]
            Losing,
            settings=settings(
                max_examples=200,
                stateful_step_count=10,
                database=None,
                derandomize=True,
                phases=[Phase.generate],
            ),
        )


# --- the pytest plugin ----------------------------------------------------------------------


def test_fixtures_are_connected(sagemaker_client: Client, sagemaker_emulator: Emulator) -> None:
    """The client is served by the test's emulator."""
    assert sagemaker_client.emulator is sagemaker_emulator
    assert sagemaker_client.list_training_jobs()["TrainingJobSummaries"] == []


def test_boto3_fixture(boto3_sagemaker: Any, sagemaker_emulator: Emulator) -> None:
    """A real boto3 client whose jobs land in the test's emulator."""
    boto3_sagemaker.create_training_job(**_training("via-boto3"))
    assert sagemaker_emulator.world("123456789012", "us-east-1").get("training-job", "via-boto3")


def run_as_a_user(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> Any:
    """pytest in a subprocess: no conftest of ours, Hypothesis's default settings."""
    for variable in ("CI", "TF_BUILD"):  # they would select Hypothesis's "ci" profile
        monkeypatch.delenv(variable, raising=False)
    # This checkout's package, wherever another copy is installed.
    monkeypatch.setenv("PYTHONPATH", str(Path(__file__).resolve().parent.parent))
    installed = any(ep.name == "sagemaker_lite" for ep in entry_points(group="pytest11"))
    args = () if installed else ("-p", "sagemaker_lite.testing.pytest_plugin")
    return pytester.runpytest_subprocess("-p", "no:cacheprovider", *args)


def test_each_hypothesis_example_gets_a_fresh_emulator(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Fixtures inside @given: no FailedHealthCheck, no ResourceInUse from earlier examples."""
    pytest.importorskip("boto3")  # the pytester file uses boto3_sagemaker
    pytester.makepyfile(
        f"""
        import threading

        from hypothesis import given, strategies as st

        REQUEST = {_training("same-name")!r}
        SEEN = []

        @given(st.integers(0, 100))
        def test_each_example_starts_empty(sagemaker_client, sagemaker_emulator, n):
            assert sagemaker_client.emulator is sagemaker_emulator
            assert sagemaker_client.list_training_jobs()["TrainingJobSummaries"] == []
            assert sagemaker_emulator.now() == 1767225600.0
            sagemaker_client.create_training_job(**REQUEST)
            sagemaker_emulator.advance(n)
            SEEN.append(sagemaker_emulator.current())

        @given(st.integers(0, 100))
        def test_boto3_too(boto3_sagemaker, sagemaker_emulator, n):
            boto3_sagemaker.create_training_job(**REQUEST)
            sagemaker_emulator.advance(n)

        def test_every_example_had_its_own():
            assert len({{id(emulator) for emulator in SEEN}}) == len(SEEN) > 10

        @given(st.integers(0, 10))
        def test_a_thread_inside_an_example_sees_its_emulator(sagemaker_client, n):
            sagemaker_client.create_training_job(**REQUEST)
            seen = []
            worker = threading.Thread(
                target=lambda: seen.append(sagemaker_client.list_training_jobs())
            )
            worker.start()
            worker.join()
            names = [[j["TrainingJobName"] for j in a["TrainingJobSummaries"]] for a in seen]
            assert names == [["same-name"]]  # the example's emulator, from another thread
        """
    )
    run_as_a_user(pytester, monkeypatch).assert_outcomes(passed=4)


def test_the_fixtures_follow_region_and_account_overrides(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip("boto3")  # the pytester file uses boto3_sagemaker
    pytester.makeconftest(
        """
        import pytest

        @pytest.fixture
        def sagemaker_region():
            return "eu-west-1"

        @pytest.fixture
        def sagemaker_account_id():
            return "111122223333"
        """
    )
    pytester.makepyfile(
        f"""
        def test_arn(sagemaker_client, boto3_sagemaker):
            arn = sagemaker_client.create_training_job(**{_training("here")!r})["TrainingJobArn"]
            assert arn.startswith("arn:aws:sagemaker:eu-west-1:111122223333:")
            assert boto3_sagemaker.meta.region_name == "eu-west-1"
        """
    )
    run_as_a_user(pytester, monkeypatch).assert_outcomes(passed=1)


def test_plugin_gives_each_test_a_fresh_world(pytester: pytest.Pytester) -> None:
    """A job created in one test is not seen by the next (the plugin loaded via -p)."""
    pytester.makepyfile(
        f"""
        REQUEST = {_training("once")!r}

        def test_first(sagemaker_client):
            sagemaker_client.create_training_job(**REQUEST)
            sagemaker_client.emulator.advance(60)

        def test_second(sagemaker_client, sagemaker_emulator):
            assert sagemaker_client.list_training_jobs()["TrainingJobSummaries"] == []
            assert sagemaker_emulator.now() == 1767225600.0
            sagemaker_client.create_training_job(**REQUEST)  # the name is free again
        """
    )
    installed = any(ep.name == "sagemaker_lite" for ep in entry_points(group="pytest11"))
    args = () if installed else ("-p", "sagemaker_lite.testing.pytest_plugin")
    result = pytester.runpytest_inprocess(*args)
    result.assert_outcomes(passed=2)


# --- snapshots ----------------------------------------------------------------------------


def test_snapshot_is_plain_json_data() -> None:
    """Tags, datetimes inside requests and plans survive a JSON round trip."""
    import json

    client = sagemaker_lite.client()
    client.create_training_job(**_training("snap"))
    state = client.emulator.snapshot()
    assert json.loads(json.dumps(state)) == state


def _training(name: str) -> dict[str, Any]:
    return training_request(name, Tags=[{"Key": "team", "Value": "ml"}])


# --- transform jobs and their models -------------------------------------------------------


class CountsTransforms(SageMakerStateMachine):
    """The kit's own rules only; records what each run left behind."""

    seen: ClassVar[list[tuple[int, int]]] = []

    def teardown(self) -> None:
        world = self.client.world
        CountsTransforms.seen.append((len(world.table("transform-job")), len(world.table("model"))))


def test_the_machine_creates_transform_jobs_with_their_models() -> None:
    """Transform jobs are created (their model made first through the machine's client),
    stopped and described, models created and deleted, under every invariant."""
    CountsTransforms.seen.clear()
    run_state_machine_as_test(  # type: ignore[no-untyped-call]
        CountsTransforms,
        settings=settings(
            max_examples=60,
            stateful_step_count=20,
            database=None,
            derandomize=True,
            phases=[Phase.generate],
        ),
    )
    transforms = sum(t for t, _ in CountsTransforms.seen)
    assert transforms > 0, CountsTransforms.seen
    # Every transform job's model existed: each run with a transform job has a model.
    assert all(models > 0 for t, models in CountsTransforms.seen if t), CountsTransforms.seen
    rules = {name for name in dir(SageMakerStateMachine) if name.endswith(("_model", "_job"))}
    assert {"create_model", "describe_model", "delete_model"} <= rules
    assert "stop_model" not in rules  # a model has no Stop: the row leaves it out
    assert {"create_transform_job", "stop_transform_job"} <= rules
    assert "delete_transform_job" not in rules


@given(sms.valid_requests("CreateTransformJob"))
@settings(max_examples=20)
def test_set_up_makes_what_a_drawn_request_needs(job: dict[str, Any]) -> None:
    """Without its model a drawn transform request fails as AWS says; set_up makes the
    model (once, however often called), then the request is accepted."""
    client = sagemaker_lite.client()
    error = sms.error_of(lambda: client.create_transform_job(**job))
    assert error is not None and error[0] == "ValidationException"
    assert "Could not find model" in error[1]
    assert sms.prerequisites("CreateTransformJob", job)[0][1]["ModelName"] == job["ModelName"]
    sms.set_up(client, "CreateTransformJob", job)
    sms.set_up(client, "CreateTransformJob", job)
    assert len(client.world.table("model")) == 1
    client.create_transform_job(**job)
    assert sms.prerequisites("CreateTrainingJob", {}) == []


def test_the_warm_up_table_agrees_with_the_request_rows() -> None:
    """warm.NEEDS (Hypothesis-free) is the needs column of REQUEST_KINDS."""
    from sagemaker_lite.testing import warm

    assert {op: k.needs for op, k in sms.REQUEST_KINDS.items() if k.needs} == warm.NEEDS


# --- endpoint configurations and endpoints ---------------------------------------------------


class CountsEndpoints(SageMakerStateMachine):
    """The kit's own rules only; records every endpoint status seen after each step."""

    seen: ClassVar[set[str]] = set()
    configs: ClassVar[list[int]] = []

    @invariant()
    def record(self) -> None:
        CountsEndpoints.seen.update(
            job.status for job in self.client.world.table("endpoint").values()
        )
        CountsEndpoints.configs.append(len(self.client.world.table("endpoint-config")))


def test_the_machine_deploys_endpoints_on_their_configurations() -> None:
    """Endpoint configurations and endpoints are created (their models made first through the
    machine's client) under every invariant, and reach InService."""
    CountsEndpoints.seen.clear()
    CountsEndpoints.configs.clear()
    run_state_machine_as_test(  # type: ignore[no-untyped-call]
        CountsEndpoints,
        settings=settings(
            max_examples=30,
            stateful_step_count=20,
            database=None,
            derandomize=True,
            phases=[Phase.generate],
        ),
    )
    assert {"Creating", "InService"} <= CountsEndpoints.seen
    assert max(CountsEndpoints.configs) > 0
    rules = set(dir(SageMakerStateMachine))
    assert {"create_endpoint_config", "describe_endpoint_config", "delete_endpoint_config"} <= rules
    assert {"create_endpoint", "update_endpoint", "update_endpoint_weights"} <= rules
    assert {"delete_endpoint", "script_endpoint_failure"} <= rules
    assert "stop_endpoint" not in rules


def test_the_endpoint_rules_check_each_answer() -> None:
    """The rules in the order a blue/green deployment takes: each checks its answer and the
    invariants hold after every step (update refused while Updating, delete while Creating)."""
    from sagemaker_lite.testing import warm
    from sagemaker_lite.testing.stateful import KINDS

    machine = SageMakerStateMachine()
    account, region = sms.DEFAULT_ACCOUNT, sms.DEFAULT_REGION

    def step(rule: Any, *args: Any) -> Any:
        result = rule(*args)
        machine.no_job_lost_or_duplicated()
        machine.endpoints_show_their_deployment()
        machine.lists_agree_with_describes()
        machine.one_legal_state_each()
        machine.timestamps_monotonic()
        return result

    config = warm.sample_endpoint_config(account, region)
    endpoint = warm.sample_endpoint(account, region)
    step(machine.create_job, KINDS["endpoint-config"], config, "config-1")
    step(machine.create_job, KINDS["endpoint"], endpoint, "endpoint-0")  # makes config-0
    step(machine.delete_job, KINDS["endpoint"], "endpoint-0")  # Creating: refused
    step(machine.update_endpoint, "endpoint-0", "config-1")  # Creating: refused
    step(machine.advance_time, 600.0)
    step(machine.update_endpoint, "endpoint-0", "config-1")  # Updating now
    step(machine.update_endpoint_weights, "endpoint-0", 2.5)  # Updating: refused
    step(machine.run_until_idle)
    assert machine.client.describe_endpoint(EndpointName="endpoint-0")["EndpointConfigName"] == (
        "config-1"
    )
    step(machine.update_endpoint_weights, "endpoint-0", 2.5)
    step(machine.run_until_idle)
    step(machine.delete_job, KINDS["endpoint"], "endpoint-0")  # Deleting, still stored
    step(machine.describe_job, KINDS["endpoint"], "endpoint-0")
    assert machine.create_job(KINDS["endpoint"], endpoint, "endpoint-0") != "endpoint-0"
    step(machine.run_until_idle)  # gone
    step(machine.describe_job, KINDS["endpoint"], "endpoint-0")
    step(machine.script_endpoint_failure, "endpoint-1", "Creating")
    step(machine.create_job, KINDS["endpoint"], endpoint, "endpoint-1")
    step(machine.run_until_idle)
    assert machine.status_of("endpoint", "endpoint-1") == "Failed"
    step(machine.delete_job, KINDS["endpoint"], "endpoint-1")
    other = {
        **config,
        "ProductionVariants": [{**config["ProductionVariants"][0], "ModelName": "model-2"}],
    }
    step(machine.create_job, KINDS["endpoint-config"], other, "config-2")  # makes model-2
    step(machine.delete_job, KINDS["model"], "model-2")
    # The configuration's model is gone: a new endpoint on it is refused, as on AWS.
    on_other = {**endpoint, "EndpointConfigName": "config-2"}
    step(machine.create_job, KINDS["endpoint"], on_other, "endpoint-2")
    assert machine.status_of("endpoint", "endpoint-2") is None


def test_the_endpoint_invariants_catch_a_wrong_describe() -> None:
    """check_endpoints fails when an InService endpoint shows unsettled weights."""
    from sagemaker_lite.testing import warm
    from sagemaker_lite.testing.stateful import check_endpoints

    client = sagemaker_lite.client()
    request = warm.sample_endpoint(sms.DEFAULT_ACCOUNT, sms.DEFAULT_REGION)
    sms.set_up(client, "CreateEndpoint", request)
    client.create_endpoint(**request)
    check_endpoints(client)  # Creating: no instances yet
    client.emulator.run_until_idle()
    check_endpoints(client, {("endpoint", "warm-up"): {"config-0"}})
    endpoint = client.world.get("endpoint", "warm-up")
    assert endpoint is not None
    endpoint.data["deployment"]["variants"][0]["DesiredWeight"] = 5.0  # behind the API's back
    with pytest.raises(AssertionError):
        check_endpoints(client)
