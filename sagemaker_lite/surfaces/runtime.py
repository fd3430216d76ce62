"""``sagemaker-runtime`` clients created inside ``mock_sagemaker()``, served in-process.

The adapter (:mod:`.boto3_adapter`) routes every sagemaker-runtime client (boto3,
botocore or aiobotocore) created inside the mock to :func:`serve`.  A call is served by
the endpoints family's :mod:`~sagemaker_lite.families.endpoints.runtime` in the world of
the client's region,
then written as the HTTP response the runtime sends (headers and a raw body, or a
JSON error with ``x-amzn-ErrorType``) and parsed by botocore's own REST-JSON parser:
``Body`` is a ``StreamingBody`` (an awaitable one for aiobotocore), errors are
botocore's modeled classes (``client.exceptions.ModelError``...).

InvokeEndpoint, InvokeEndpointWithResponseStream and InvokeEndpointAsync are emulated.
The streamed answer is written in the AWS event-stream encoding (a ``PayloadPart`` event
per part of the model's answer, a ``ModelStreamError`` event when the model broke off)
and read by botocore's own ``EventStream`` (aiobotocore's ``AioEventStream``).
InvokeEndpointAsync reads its input and writes its output through a boto3 S3 client,
only while moto's ``mock_aws`` serves S3 in-process (otherwise it fails loudly).
"""

from __future__ import annotations

import functools
import importlib
import io
import json
import struct
import sys
import zlib
from collections.abc import AsyncIterator, Callable, Iterator, Mapping
from email.utils import formatdate
from typing import Any

from sagemaker_lite.contract import messages
from sagemaker_lite.families.endpoints import runtime

Handler = Callable[[Any, Mapping[str, Any]], dict[str, Any]]
#: Operation -> the family's handler.
HANDLERS: dict[str, Handler] = {
    "InvokeEndpoint": runtime.invoke_endpoint,
    "InvokeEndpointAsync": runtime.invoke_endpoint_async,
    "InvokeEndpointWithResponseStream": runtime.invoke_endpoint_with_response_stream,
}
STREAMED = "InvokeEndpointWithResponseStream"


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
        for member, shape in model.output_shape.members.items():
            location = shape.serialization
            if location.get("location") == "header" and response.get(member) is not None:
                headers[location["name"]] = response[member]
        raw: Any
        if model.name == STREAMED:
            headers["content-type"] = "application/vnd.amazon.eventstream"
            body = _event_stream(response["Parts"], response.get("StreamError"))
            raw = _EventStreamBody(body)
        elif queued:
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
    if asynchronous and model.name == STREAMED and error is None:
        parsed["Body"] = _aio_event_stream(model, raw)
    return _http_response(client.world.region, status, headers), parsed


# --- event streams (InvokeEndpointWithResponseStream) -------------------------------------


def _event_header(name: str, value: str) -> bytes:
    """One header of an event-stream message: a string (value type 7)."""
    key, text = name.encode("utf-8"), value.encode("utf-8")
    return struct.pack("!B", len(key)) + key + struct.pack("!BH", 7, len(text)) + text


def event_message(headers: Mapping[str, str], payload: bytes) -> bytes:
    """One message of the AWS event-stream encoding (what botocore's EventStreamBuffer
    reads): prelude (total and headers lengths, CRC32), headers, payload, message CRC32."""
    encoded = b"".join(_event_header(name, value) for name, value in headers.items())
    prelude = struct.pack("!II", 16 + len(encoded) + len(payload), len(encoded))
    prelude += struct.pack("!I", zlib.crc32(prelude))
    message = prelude + encoded + payload
    return message + struct.pack("!I", zlib.crc32(message))


def _event_stream(parts: list[bytes], failure: Mapping[str, str] | None) -> bytes:
    """A PayloadPart event per part, then the ModelStreamError that ended it, if any."""
    events = [
        event_message(
            {
                ":event-type": "PayloadPart",
                ":content-type": "application/octet-stream",
                ":message-type": "event",
            },
            part,
        )
        for part in parts
    ]
    if failure is not None:
        headers = {
            ":exception-type": "ModelStreamError",
            ":content-type": "application/json",
            ":message-type": "exception",
        }
        events.append(event_message(headers, json.dumps(dict(failure)).encode("utf-8")))
    return b"".join(events)


class _EventStreamBody:
    """The raw event stream botocore reads (``stream()``), and aiobotocore
    (``content.iter_chunks()``)."""

    def __init__(self, data: bytes) -> None:
        self._data = data
        self.content = self

    def stream(self) -> Iterator[bytes]:
        """The stream's bytes, in one chunk."""
        yield self._data

    async def iter_chunks(self) -> AsyncIterator[tuple[bytes, bool]]:
        """The stream's bytes as aiohttp yields them: (chunk, end of HTTP chunk)."""
        yield self._data, True

    def close(self) -> None:
        """Release the stream (nothing to release in-process)."""


def _aio_event_stream(model: Any, raw: _EventStreamBody) -> Any:
    """aiobotocore's event stream over ``raw`` (``async for event in response["Body"]``)."""
    # Imported by name: aiobotocore is optional and ships no type information.
    events: Any = importlib.import_module("aiobotocore.eventstream")
    parsers: Any = importlib.import_module("aiobotocore.parsers")
    shape = model.output_shape.members["Body"]
    return events.AioEventStream(raw, shape, parsers.AioEventStreamJSONParser(), model.name)


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
    raw = {
        "body": body,
        "headers": HeadersDict(headers),
        "status_code": status,
        "context": {"operation_name": model.name},
    }
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


__all__ = ["HANDLERS", "constraints", "event_message", "serve"]
