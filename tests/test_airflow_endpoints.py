"""Airflow's amazon provider deploys through the default mock, call for call.

Airflow is too heavy for the test extras, so the functions below make exactly the
boto3 calls its endpoint operators, sensor, hook and trigger make, read the same
response members, and treat the same statuses as terminal or failed.  Source mimicked
(apache/airflow, ``providers/amazon/src/airflow/providers/amazon/aws/``):

- ``operators/sagemaker.py`` (commit 26b6d6f455cd4291774334ae5b0be94392435a5f):
  ``SageMakerEndpointConfigOperator.execute``: ``create_endpoint_config(**config)``,
  fails unless ``ResponseMetadata.HTTPStatusCode == 200``, returns
  ``describe_endpoint_config``.  ``SageMakerEndpointOperator.execute``: creates the
  optional ``Model`` and ``EndpointConfig`` of its config, then ``create_endpoint`` or
  (``operation="update"``) ``update_endpoint`` with ``wait_for_completion=False``; a
  ``ClientError`` whose message starts ``"Cannot create already existing endpoint"``
  turns a create into an update (``Tags`` dropped); then, ``wait_for_completion``,
  the ``endpoint_in_service`` waiter with ``WaiterConfig={"Delay": check_interval,
  "MaxAttempts": max_ingestion_time}`` (30 s and 36000 by default), and it returns
  ``describe_endpoint_config(endpoint_info["EndpointConfigName"])`` and
  ``describe_endpoint``.
- ``sensors/sagemaker.py`` (commit 10f6ef28c1972d3a19c46eede80fd0a29d9e954c):
  ``SageMakerBaseSensor.poke`` with ``SageMakerEndpointSensor``: ``describe_endpoint``,
  not done unless ``HTTPStatusCode == 200``, ``EndpointStatus`` in
  ``SageMakerHook.endpoint_non_terminal_states`` is not done, in ``failed_states``
  raises with ``FailureReason``.
- ``hooks/sagemaker.py`` (commit 1e838499fa3823e019c4e45414eb93c00e95ab1c):
  ``endpoint_non_terminal_states = {"Creating", "Updating", "SystemUpdating",
  "RollingBack", "Deleting"}``, ``failed_states = {"Failed"}``;
  ``SageMakerHook.create_endpoint(config, wait_for_completion=True)`` polls through
  ``check_status``: sleep ``check_interval``, ``describe_endpoint``, raise
  ``"SageMaker resource failed because {FailureReason}"`` on a failed state, stop on a
  terminal one.
- ``triggers/sagemaker.py`` (commit 0120e087a97c265a2b88873057d94214654d2c49) with
  ``utils/waiter_with_logging.py`` (commit 08e1335375b050bb789fa11ef246924a3b56980c):
  the deferrable operator's ``SageMakerTrigger.run`` for ``job_type="endpoint"``:
  aiobotocore's ``endpoint_in_service`` waiter through ``async_wait``, one attempt at a
  time (``WaiterConfig={"MaxAttempts": 1}``), ``asyncio.sleep(waiter_delay)`` between,
  a ``"terminal failure"`` raising.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from typing import Any

import boto3
import factories
import pytest
from botocore.exceptions import ClientError, WaiterError

from sagemaker_lite import Emulator, mock_sagemaker

ENDPOINT_NON_TERMINAL_STATES = {"Creating", "Updating", "SystemUpdating", "RollingBack", "Deleting"}
FAILED_STATES = {"Failed"}


class AirflowException(Exception):
    """Stands for ``airflow.exceptions.AirflowException``."""


def endpoint_config_operator(sm: Any, config: dict[str, Any]) -> dict[str, Any]:
    """``SageMakerEndpointConfigOperator.execute``."""
    response = sm.create_endpoint_config(**config)
    if response["ResponseMetadata"]["HTTPStatusCode"] != 200:
        raise AirflowException(f"Sagemaker endpoint config creation failed: {response}")
    return {
        "EndpointConfig": sm.describe_endpoint_config(
            EndpointConfigName=config["EndpointConfigName"]
        )
    }


def endpoint_operator(
    sm: Any,
    config: dict[str, Any],
    *,
    operation: str = "create",
    wait_for_completion: bool = True,
    check_interval: int = 30,
    max_ingestion_time: int | None = None,
) -> dict[str, Any]:
    """``SageMakerEndpointOperator.execute`` (not deferrable)."""
    max_attempts = max_ingestion_time or 3600 * 10
    model_info = config.get("Model")
    endpoint_config_info = config.get("EndpointConfig")
    endpoint_info = config.get("Endpoint", config)
    if model_info:
        sm.create_model(**model_info)
    if endpoint_config_info:
        sm.create_endpoint_config(**endpoint_config_info)
    call = sm.create_endpoint if operation == "create" else sm.update_endpoint
    try:
        response = call(**endpoint_info)
    except ClientError as ce:
        if operation == "create" and ce.response["Error"]["Message"].startswith(
            "Cannot create already existing endpoint"
        ):
            endpoint_info.pop("Tags", None)
            response = sm.update_endpoint(**endpoint_info)
        else:
            raise
    if response["ResponseMetadata"]["HTTPStatusCode"] != 200:
        raise AirflowException(f"Sagemaker endpoint creation failed: {response}")
    if wait_for_completion:
        sm.get_waiter("endpoint_in_service").wait(
            EndpointName=endpoint_info["EndpointName"],
            WaiterConfig={"Delay": check_interval, "MaxAttempts": max_attempts},
        )
    return {
        "EndpointConfig": sm.describe_endpoint_config(
            EndpointConfigName=endpoint_info["EndpointConfigName"]
        ),
        "Endpoint": sm.describe_endpoint(EndpointName=endpoint_info["EndpointName"]),
    }


def endpoint_sensor_poke(sm: Any, endpoint_name: str) -> bool:
    """``SageMakerBaseSensor.poke`` with ``SageMakerEndpointSensor``'s members."""
    response = sm.describe_endpoint(EndpointName=endpoint_name)
    if response["ResponseMetadata"]["HTTPStatusCode"] != 200:
        return False
    state = response["EndpointStatus"]
    if state in ENDPOINT_NON_TERMINAL_STATES:
        return False
    if state in FAILED_STATES:
        raise AirflowException(
            f"Sagemaker job failed for the following reason: {response['FailureReason']}"
        )
    return True


def run_sensor(sm: Any, endpoint_name: str, poke_interval: float = 60) -> int:
    """The sensor's poke loop (``mode="poke"``): how many pokes it took."""
    pokes = 1
    while not endpoint_sensor_poke(sm, endpoint_name):
        time.sleep(poke_interval)
        pokes += 1
    return pokes


def hook_create_endpoint(sm: Any, config: dict[str, Any], check_interval: int = 30) -> Any:
    """``SageMakerHook.create_endpoint(config, wait_for_completion=True)``: ``check_status``."""
    response = sm.create_endpoint(**config)
    while True:
        time.sleep(check_interval)
        described = sm.describe_endpoint(EndpointName=config["EndpointName"])
        status = described["EndpointStatus"]
        if status in FAILED_STATES:
            raise AirflowException(
                f"SageMaker resource failed because {described['FailureReason']}"
            )
        if status not in ENDPOINT_NON_TERMINAL_STATES:
            return response


async def trigger_run(endpoint_name: str, poke_interval: int = 30, max_attempts: int = 60) -> int:
    """``SageMakerTrigger.run`` for an endpoint, through ``async_wait``: the attempts made."""
    aio = pytest.importorskip("aiobotocore.session")
    async with aio.get_session().create_client("sagemaker", region_name="us-east-1") as client:
        waiter = client.get_waiter("endpoint_in_service")
        for attempt in range(max_attempts):
            if attempt:
                await asyncio.sleep(poke_interval)
            try:
                await waiter.wait(EndpointName=endpoint_name, WaiterConfig={"MaxAttempts": 1})
            except WaiterError as error:
                if "terminal failure" in str(error):
                    raise AirflowException(
                        f"Error while waiting for endpoint job: {error}"
                    ) from error
                assert error.last_response["EndpointStatus"] in ENDPOINT_NON_TERMINAL_STATES
            else:
                return attempt + 1
    raise AirflowException("Waiter error: max attempts reached")


@pytest.fixture
def sm() -> Iterator[tuple[Emulator, Any]]:
    with mock_sagemaker() as emulator:
        yield emulator, boto3.client("sagemaker", region_name="us-east-1")


def _full_config(endpoint: str = "ep", config: str = "config-1") -> dict[str, Any]:
    """The operator's three-part config (Model, EndpointConfig, Endpoint)."""
    return {
        "Model": factories.model_request("model-1"),
        "EndpointConfig": factories.endpoint_config_request(config, model="model-1"),
        "Endpoint": {"EndpointName": endpoint, "EndpointConfigName": config, "Tags": []},
    }


def test_the_operators_create_wait_and_update_an_endpoint(
    sm: tuple[Emulator, Any], real_sleeps: list[float]
) -> None:
    _, client = sm
    created = endpoint_operator(client, _full_config())
    assert created["Endpoint"]["EndpointStatus"] == "InService"
    assert created["EndpointConfig"]["EndpointConfigName"] == "config-1"

    bigger = factories.endpoint_config_request("config-2", model="model-1")
    bigger["ProductionVariants"][0]["InitialInstanceCount"] = 2
    assert (
        endpoint_config_operator(client, bigger)["EndpointConfig"]["ProductionVariants"][0][
            "InitialInstanceCount"
        ]
        == 2
    )
    updated = endpoint_operator(
        client, {"EndpointName": "ep", "EndpointConfigName": "config-2"}, operation="update"
    )
    assert updated["Endpoint"]["EndpointConfigName"] == "config-2"
    assert updated["Endpoint"]["ProductionVariants"][0]["CurrentInstanceCount"] == 2
    assert real_sleeps == []


def test_create_on_an_existing_endpoint_falls_back_to_update(sm: tuple[Emulator, Any]) -> None:
    """AWS's duplicate-name message is what the operator matches to update instead."""
    _, client = sm
    endpoint_operator(client, _full_config())
    again = {
        "EndpointConfig": factories.endpoint_config_request("config-2", model="model-1"),
        "Endpoint": {"EndpointName": "ep", "EndpointConfigName": "config-2", "Tags": []},
    }
    answer = endpoint_operator(client, again)
    assert answer["Endpoint"]["EndpointConfigName"] == "config-2"
    assert answer["Endpoint"]["EndpointStatus"] == "InService"


def test_the_sensor_pokes_until_in_service_and_raises_on_failure(
    sm: tuple[Emulator, Any], real_sleeps: list[float]
) -> None:
    emulator, client = sm
    endpoint_operator(client, _full_config(), wait_for_completion=False)
    assert client.describe_endpoint(EndpointName="ep")["EndpointStatus"] == "Creating"
    assert run_sensor(client, "ep") > 1
    endpoint_operator(
        client,
        {"EndpointName": "ep", "EndpointConfigName": "config-1"},
        operation="update",
        wait_for_completion=False,
    )
    assert not endpoint_sensor_poke(client, "ep")  # Updating
    assert run_sensor(client, "ep") > 1

    emulator.script_endpoint("broken", fail_at="Creating")
    client.create_endpoint(EndpointName="broken", EndpointConfigName="config-1")
    with pytest.raises(AirflowException, match="ping health check") as raised:
        run_sensor(client, "broken")
    assert str(raised.value).startswith("Sagemaker job failed for the following reason: ")
    assert real_sleeps == []


def test_waiting_on_a_failed_endpoint_raises_in_each_of_airflows_waits(
    sm: tuple[Emulator, Any],
) -> None:
    emulator, client = sm
    emulator.script_endpoint(fail_at="Creating", failure_reason="The model container failed.")
    with pytest.raises(WaiterError, match="terminal failure"):
        endpoint_operator(client, _full_config("op"))
    with pytest.raises(AirflowException, match=r"failed because The model container failed\."):
        hook_create_endpoint(client, {"EndpointName": "hook", "EndpointConfigName": "config-1"})
    client.create_endpoint(EndpointName="deferred", EndpointConfigName="config-1")
    with pytest.raises(AirflowException, match="terminal failure"):
        asyncio.run(trigger_run("deferred"))


def test_the_deferrable_trigger_waits_in_virtual_time(
    sm: tuple[Emulator, Any], real_sleeps: list[float]
) -> None:
    _, client = sm
    endpoint_operator(client, _full_config(), wait_for_completion=False)
    assert asyncio.run(trigger_run("ep")) > 1
    assert client.describe_endpoint(EndpointName="ep")["EndpointStatus"] == "InService"
    assert real_sleeps == []


def test_a_failed_update_rolls_back_and_the_waiter_still_succeeds(
    sm: tuple[Emulator, Any],
) -> None:
    """As on AWS (docs/fidelity.md, "A failed update"), a rolled-back update ends
    InService on the old config: the waiter, and so the operator, succeeds; only the
    endpoint's config name and its ``FailureReason`` tell."""
    emulator, client = sm
    emulator.script_endpoint("ep", fail_at="Updating", failure_reason="Alarm fired.")
    endpoint_operator(client, _full_config())
    client.create_endpoint_config(**factories.endpoint_config_request("config-2", "model-1"))
    answer = endpoint_operator(
        client, {"EndpointName": "ep", "EndpointConfigName": "config-2"}, operation="update"
    )
    assert answer["EndpointConfig"]["EndpointConfigName"] == "config-2"
    assert answer["Endpoint"]["EndpointConfigName"] == "config-1"
    assert answer["Endpoint"]["FailureReason"] == "Alarm fired."
