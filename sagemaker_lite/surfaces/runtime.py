"""``sagemaker-runtime`` clients created inside ``mock_sagemaker()``, served in-process.

The adapter (:mod:`.boto3_adapter`) routes every sagemaker-runtime client (boto3,
botocore or aiobotocore) created inside the mock to :func:`serve`.  A call is served by
the endpoints family's :mod:`~sagemaker_lite.families.endpoints.runtime` in the world of
the client's region,
then written as the HTTP response the runtime sends (headers and a raw body, or a
JSON error with ``x-amzn-ErrorType``) and parsed by botocore's own REST-JSON parser:
``Body`` is a ``StreamingBody`` (an awaitable one for aiobotocore), errors are
botocore's modeled classes (``client.exceptions.ModelError``...).

InvokeEndpoint and InvokeEndpointAsync are emulated; the latter reads its input and
writes its output through a boto3 S3 client, only while moto's ``mock_aws`` serves S3
in-process (otherwise it fails loudly).  InvokeEndpointWithResponseStream (an event
stream) is not emulated and fails loudly too, never reaching AWS (docs/endpoints.md).
"""

from __future__ import annotations

import functools
import io
import json
import sys
from collections.abc import Callable, Mapping
from email.utils import formatdate
from typing import Any

from sagemaker_lite.contract import messages
from sagemaker_lite.families.endpoints import runtime

Handler = Callable[[Any, Mapping[str, Any]], dict[str, Any]]
#: Operation -> the family's handler.
HANDLERS: dict[str, Handler] = {
    "InvokeEndpoint": runtime.invoke_endpoint,
    "InvokeEndpointAsync": runtime.invoke_endpoint_async,
}
#: Response members sent as headers (botocore's model names them).
_HEADERS = {
    "ContentType": "Content-Type",
    "InvokedProductionVariant": "x-Amzn-Invoked-Production-Variant",
    "CustomAttributes": "X-Amzn-SageMaker-Custom-Attributes",
    "OutputLocation": "X-Amzn-SageMaker-OutputLocation",
    "FailureLocation": "X-Amzn-SageMaker-FailureLocation",
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
    emulator = client.emulator
    region = client.world.region
    queued = model.name == "InvokeEndpointAsync"
    error: runtime.RuntimeApiError | None = None
    if not queued:
        params["Body"] = _bytes(params.get("Body"))
        if len(params["Body"]) > runtime.MAX_CONTENT_LENGTH:
            return _too_large(emulator, model, region)
    try:
        runtime.check_request(constraints(model), params)
        if queued:
            params["Body"] = _read(region, params["InputLocation"])
    except runtime.RuntimeApiError as failure:
        error = failure
    with emulator.lock:
        request_id = emulator.request_id()
        emulator.run_due()
        response: dict[str, Any] = {}
        if error is None:
            try:
                response = handler(client.world, params)
            except runtime.RuntimeApiError as failure:
                error = failure
    status = 202 if queued else 200
    headers = {"x-amzn-requestid": request_id, "date": formatdate(emulator.now(), usegmt=True)}
    if error is None:
        for member, header in _HEADERS.items():
            if response.get(member) is not None:
                headers[header] = response[member]
        raw: Any
        if queued:
            _write(region, response)
            body = json.dumps({"InferenceId": response["InferenceId"]}).encode("utf-8")
            raw = body
        else:
            body = response["Body"]
            raw = _AsyncBody(body) if asynchronous else _streaming(body)
    else:
        status = error.status
        headers["x-amzn-ErrorType"] = error.code
        headers["content-type"] = "application/json"
        members = {"ErrorCode": error.code, "Message": error.message, **error.members}
        body = raw = json.dumps(members).encode("utf-8")
    headers["content-length"] = str(len(body))
    parsed = _parse(model, status, headers, raw)
    parsed.setdefault("ResponseMetadata", {})["RetryAttempts"] = 0
    return _http_response(client.world.region, status, headers), parsed


@functools.cache
def _constraints(operation: Any) -> tuple[runtime.Constraint, ...]:
    return tuple(
        runtime.Constraint(
            name,
            shape.metadata.get("min"),
            shape.metadata.get("max"),
            shape.metadata.get("pattern"),
            bool(shape.metadata.get("sensitive")),
        )
        for name, shape in operation.input_shape.members.items()
    )


def constraints(model: Any) -> tuple[runtime.Constraint, ...]:
    """The request constraints of a sagemaker-runtime operation, from botocore's model."""
    return _constraints(model)


def _too_large(emulator: Any, model: Any, region: str) -> tuple[Any, dict[str, Any]]:
    """The runtime's HTTP front end refusing a Body over its limit: 413 and plain text,
    which botocore's own parser reports as a ClientError of code ``413``."""
    with emulator.lock:
        request_id = emulator.request_id()
    body = messages.runtime_payload_too_large(runtime.MAX_CONTENT_LENGTH).encode("utf-8")
    headers = {
        "x-amzn-requestid": request_id,
        "date": formatdate(emulator.now(), usegmt=True),
        "content-type": "text/plain",
        "content-length": str(len(body)),
    }
    parsed = _parse(model, 413, headers, body)
    parsed.setdefault("ResponseMetadata", {})["RetryAttempts"] = 0
    return _http_response(region, 413, headers), parsed


def _s3_served() -> bool:
    """Whether S3 is served in-process (moto's mock_aws is active): async inference reads
    and writes its objects there, and nowhere else."""
    models = sys.modules.get("moto.core.models")
    return bool(models is not None and models.botocore_stubber.enabled)


def _s3(region: str) -> Any:
    if not _s3_served():
        raise NotImplementedError(
            "sagemaker_lite serves InvokeEndpointAsync only while S3 is served in-process "
            "(moto's mock_aws): its input and output are S3 objects"
        )
    import boto3

    return boto3.client("s3", region_name=region)


def _split(uri: str) -> tuple[str, str]:
    bucket, _, key = uri.removeprefix("s3://").partition("/")
    return bucket, key


def _read(region: str, location: str) -> bytes:
    """The object at an ``s3://`` InputLocation; the runtime's ValidationError when absent."""
    from botocore.exceptions import ClientError

    bucket, key = _split(location)
    try:
        data: bytes = _s3(region).get_object(Bucket=bucket, Key=key)["Body"].read()
    except ClientError:
        raise runtime.RuntimeApiError(
            "ValidationError", messages.runtime_input_missing(location)
        ) from None
    return data


def _write(region: str, response: dict[str, Any]) -> None:
    """Put an async answer (or its failure) where the endpoint's config says."""
    if "Output" in response:
        bucket, key = _split(response["OutputLocation"])
        _s3(region).put_object(Bucket=bucket, Key=key, Body=response["Output"])
    elif "FailureLocation" in response:
        bucket, key = _split(response["FailureLocation"])
        _s3(region).put_object(Bucket=bucket, Key=key, Body=response["Failure"])


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


__all__ = ["HANDLERS", "constraints", "serve"]
