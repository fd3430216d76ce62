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
from sagemaker_lite.views import logs, metrics

Handler = Callable[[World, dict[str, Any]], dict[str, Any]]
Serves = Callable[[str, Mapping[str, Any]], bool]


def _logs_serves(operation: str, request: Mapping[str, Any]) -> bool:
    return logs.serves(request)


#: boto3 service name -> (which requests are ours, operation name -> handler).
SERVICES: dict[str, tuple[Serves, dict[str, Handler]]] = {
    "logs": (
        _logs_serves,
        {
            "DescribeLogStreams": logs.describe_log_streams,
            "GetLogEvents": logs.get_log_events,
            "FilterLogEvents": logs.filter_log_events,
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
            return 200, request_id, serve(client.world, dict(params))
        except ApiError as error:
            return 400, request_id, {"Error": {"Code": error.code, "Message": error.message}}
