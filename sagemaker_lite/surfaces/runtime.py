"""``sagemaker-runtime`` clients created inside ``mock_sagemaker()``, served in-process.

The adapter attaches :func:`answer` to every sagemaker-runtime client (boto3, botocore
or aiobotocore) created inside the mock.  A call is served by the endpoints family's
:mod:`~sagemaker_lite.families.endpoints.runtime` in the world of the client's region,
then written as the HTTP response the runtime sends (headers and a raw body, or a
JSON error with ``x-amzn-ErrorType``) and parsed by botocore's own REST-JSON parser:
``Body`` is a ``StreamingBody`` (an awaitable one for aiobotocore), errors are
botocore's modeled classes (``client.exceptions.ModelError``...).

Only InvokeEndpoint is emulated; the runtime's other operations fail loudly (never
reaching AWS): InvokeEndpointAsync needs S3 objects read and written, and
InvokeEndpointWithResponseStream an event stream, neither emulated (docs/endpoints.md).
"""

from __future__ import annotations

import functools
import io
import json
from collections.abc import Callable, Mapping
from email.utils import formatdate
from typing import Any

from sagemaker_lite.families.endpoints import runtime
from sagemaker_lite.surfaces import boto3_adapter

Handler = Callable[[Any, Mapping[str, Any]], dict[str, Any]]
#: Operation -> the family's handler.
HANDLERS: dict[str, Handler] = {"InvokeEndpoint": runtime.invoke_endpoint}
#: Response members sent as headers (botocore's model names them).
_HEADERS = {
    "ContentType": "Content-Type",
    "InvokedProductionVariant": "x-Amzn-Invoked-Production-Variant",
    "CustomAttributes": "X-Amzn-SageMaker-Custom-Attributes",
}


def attach_runtime(client: Any, mock: Any) -> None:
    """Serve a sagemaker-runtime client's calls (the adapter's ATTACHERS row)."""
    asynchronous = type(client).__module__.startswith("aiobotocore")
    boto3_adapter.attach(
        client, _bound=mock, _answer_with=functools.partial(answer, asynchronous=asynchronous)
    )


def _bytes(body: Any) -> bytes:
    """A request ``Body`` as bytes (boto3 takes bytes, str or a readable file)."""
    if isinstance(body, (bytes, bytearray)):
        return bytes(body)
    if isinstance(body, str):
        return body.encode("utf-8")
    if hasattr(body, "read"):
        return _bytes(body.read())
    return b""


def answer(
    model: Any,
    context: dict[str, Any],
    *,
    bound: Any = None,
    asynchronous: bool = False,
    **_: Any,
) -> tuple[Any, dict[str, Any]] | None:
    """The ``before-call`` handler: botocore's (http response, parsed) for one call."""
    mock = boto3_adapter.serving_mock(bound, model.name)
    if mock is None:
        return None
    params = dict(context.pop(boto3_adapter._PARAMS_KEY, {}))
    context.pop(boto3_adapter._CHECKED_KEY, None)
    handler = HANDLERS.get(model.name)
    if handler is None:
        raise NotImplementedError(f"sagemaker_lite does not emulate sagemaker-runtime {model.name}")
    params["Body"] = _bytes(params.get("Body"))
    client = mock.client_for(context["client_region"])
    emulator = client.emulator
    with emulator.lock:
        request_id = emulator.request_id()
        emulator.run_due()
        try:
            response = handler(client.world, params)
            status, error = 200, None
        except runtime.RuntimeApiError as failure:
            status, error, response = failure.status, failure, {}
    headers = {"x-amzn-requestid": request_id, "date": formatdate(emulator.now(), usegmt=True)}
    if error is None:
        body = response.pop("Body")
        for member, header in _HEADERS.items():
            if response.get(member) is not None:
                headers[header] = response[member]
        raw: Any = _AsyncBody(body) if asynchronous else _streaming(body)
    else:
        headers["x-amzn-ErrorType"] = error.code
        headers["content-type"] = "application/json"
        body = json.dumps({"ErrorCode": error.code, "Message": error.message, **error.members})
        raw = body.encode("utf-8")
    headers["content-length"] = str(len(body))
    parsed = _parse(model, status, headers, raw)
    parsed.setdefault("ResponseMetadata", {})["RetryAttempts"] = 0
    http = boto3_adapter._http_response(
        client.world.region, status, headers, b"" if error is None else raw, "runtime.sagemaker"
    )
    return http, parsed


def _streaming(body: bytes) -> Any:
    from botocore.response import StreamingBody

    return StreamingBody(io.BytesIO(body), len(body))


def _parse(model: Any, status: int, headers: dict[str, str], body: Any) -> dict[str, Any]:
    """botocore's parsing of the runtime's answer, modeled error members included."""
    from botocore.awsrequest import HeadersDict
    from botocore.parsers import create_parser

    parser = create_parser(model.service_model.protocol)
    # botocore reads headers case-insensitively, as HTTP has them.
    raw = {"body": body, "headers": HeadersDict(headers), "status_code": status}
    parsed: dict[str, Any] = parser.parse(raw, model.output_shape if status < 300 else None)
    if status >= 300:
        shape = model.service_model.shape_for_error_code(parsed["Error"]["Code"])
        if shape is not None:
            parsed.update(parser.parse(raw, shape))
    return parsed


class _AsyncBody:
    """The answer's body for aiobotocore: ``await body.read()``, as its StreamingBody."""

    def __init__(self, data: bytes) -> None:
        self._stream = io.BytesIO(data)

    async def read(self, amt: int | None = None) -> bytes:
        """Up to ``amt`` bytes (all that is left by default)."""
        return self._stream.read(amt)

    async def __aenter__(self) -> _AsyncBody:
        return self

    async def __aexit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Release the body (nothing to release in-process)."""
        self._stream.close()


__all__ = ["HANDLERS", "answer", "attach_runtime"]
