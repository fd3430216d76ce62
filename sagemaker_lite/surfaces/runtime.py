"""``sagemaker-runtime`` clients created inside ``mock_sagemaker()``, served in-process.

The adapter (:mod:`.boto3_adapter`) routes every sagemaker-runtime client (boto3,
botocore or aiobotocore) created inside the mock to :func:`serve`.  A call is served by
the endpoints family's :mod:`~sagemaker_lite.families.endpoints.runtime` in the world of
the client's region,
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

Handler = Callable[[Any, Mapping[str, Any]], dict[str, Any]]
#: Operation -> the family's handler.
HANDLERS: dict[str, Handler] = {"InvokeEndpoint": runtime.invoke_endpoint}
#: Response members sent as headers (botocore's model names them).
_HEADERS = {
    "ContentType": "Content-Type",
    "InvokedProductionVariant": "x-Amzn-Invoked-Production-Variant",
    "CustomAttributes": "X-Amzn-SageMaker-Custom-Attributes",
}


def _bytes(body: Any) -> bytes:
    """A request ``Body`` as bytes (boto3 takes bytes, str or a readable file)."""
    if isinstance(body, (bytes, bytearray)):
        return bytes(body)
    if isinstance(body, str):
        return body.encode("utf-8")
    if hasattr(body, "read"):
        return _bytes(body.read())
    return b""


def serve(
    client: Any, model: Any, params: dict[str, Any], *, asynchronous: bool = False
) -> tuple[Any, dict[str, Any]]:
    """One sagemaker-runtime call in ``client``'s world: botocore's (http response, parsed)."""
    handler = HANDLERS.get(model.name)
    if handler is None:
        raise NotImplementedError(f"sagemaker_lite does not emulate sagemaker-runtime {model.name}")
    params["Body"] = _bytes(params.get("Body"))
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
    return _http_response(client.world.region, status, headers), parsed


def _http_response(region: str, status: int, headers: dict[str, str]) -> Any:
    """The raw response botocore hands its ``after-call`` handlers (the body is parsed)."""
    from botocore.awsrequest import AWSResponse

    url = f"https://runtime.sagemaker.{region}.amazonaws.com/"
    return AWSResponse(url, status, headers, io.BytesIO(b""))


def _streaming(body: bytes) -> Any:
    from botocore.response import StreamingBody

    return StreamingBody(io.BytesIO(body), len(body))


def _parse(model: Any, status: int, headers: dict[str, str], body: Any) -> dict[str, Any]:
    """botocore's parsing of the runtime's answer, modeled error members included."""
    from botocore.awsrequest import HeadersDict

    parser = _parser(model.service_model.protocol)
    # botocore reads headers case-insensitively, as HTTP has them.
    raw = {"body": body, "headers": HeadersDict(headers), "status_code": status}
    parsed: dict[str, Any] = parser.parse(raw, model.output_shape if status < 300 else None)
    if status >= 300:
        shape = model.service_model.shape_for_error_code(parsed["Error"]["Code"])
        if shape is not None:
            parsed.update(parser.parse(raw, shape))
    return parsed


@functools.cache
def _parser(protocol: str) -> Any:
    from botocore.parsers import create_parser

    return create_parser(protocol)


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


__all__ = ["HANDLERS", "serve"]
