"""CloudWatch Logs and CloudWatch calls about SageMaker jobs, served from the emulator.

``mock_sagemaker`` attaches :func:`answer` to every ``logs`` and ``cloudwatch``
client created inside it.  A call is ours only when it reads one of
SageMaker's log groups or namespaces (the tables in
:mod:`.services.logs` and :mod:`.services.metrics`); anything else returns
None, so botocore carries on to moto or to AWS exactly as before.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from sagemaker_lite.contract.errors import ApiError
from sagemaker_lite.engine.world import World
from sagemaker_lite.surfaces.client import Client
from sagemaker_lite.views import cloudwatch_input, log_cleanup, logs, metrics

Handler = Callable[[World, dict[str, Any]], dict[str, Any]]
Serves = Callable[[str, Mapping[str, Any]], bool]


def _logs_serves(operation: str, request: Mapping[str, Any]) -> bool:
    if operation == "DescribeLogGroups":  # names a prefix, not a group
        return log_cleanup.serves_groups(request)
    return logs.serves(request)


#: boto3 service name -> (which requests are ours, operation name -> handler).
SERVICES: dict[str, tuple[Serves, dict[str, Handler]]] = {
    "logs": (
        _logs_serves,
        {
            "DescribeLogStreams": logs.describe_log_streams,
            "GetLogEvents": logs.get_log_events,
            "FilterLogEvents": logs.filter_log_events,
            # Clean-up (Airflow's system tests, users' teardown): issue 21.
            "DeleteLogStream": log_cleanup.delete_log_stream,
            "DeleteLogGroup": log_cleanup.delete_log_group,
            "PutRetentionPolicy": log_cleanup.put_retention_policy,
            "DeleteRetentionPolicy": log_cleanup.delete_retention_policy,
            "DescribeLogGroups": log_cleanup.describe_log_groups,
        },
    ),
    "cloudwatch": (
        metrics.serves,
        {
            "ListMetrics": metrics.list_metrics,
            "GetMetricStatistics": metrics.get_metric_statistics,
            "GetMetricData": metrics.get_metric_data,
        },
    ),
}


_SERVICE_OF = {serve: service for service, (_, ops) in SERVICES.items() for serve in ops.values()}
_OPERATION_OF = {serve: name for _, ops in SERVICES.values() for name, serve in ops.items()}


def handler(service: str, operation: str, params: Mapping[str, Any]) -> Handler | None:
    """The handler serving this call, or None when the call is not about SageMaker's jobs."""
    entry = SERVICES.get(service)
    if entry is None:
        return None
    serves, handlers = entry
    found = handlers.get(operation)
    if found is None or not serves(operation, params):
        return None
    return found


def call(
    client: Client[Any], serve: Handler, params: dict[str, Any]
) -> tuple[int, str, dict[str, Any]]:
    """Run ``serve`` in ``client``'s world at the current virtual time.

    Returns ``(HTTP status, request id, parsed answer)``; an error answer is
    ``{"Error": {"Code", "Message"}}``.
    """
    emulator = client.emulator
    with emulator.lock:
        request_id = emulator.request_id()
        emulator.run_due()
        try:
            # The service's own checks first: a request bypassing botocore's (or
            # calling us directly) gets CloudWatch's errors, never a Python one.
            cloudwatch_input.check(_SERVICE_OF[serve], _OPERATION_OF[serve], params)
            return 200, request_id, serve(client.world, dict(params))
        except ApiError as error:
            return 400, request_id, {"Error": {"Code": error.code, "Message": error.message}}
