"""What a model answers: one scripted answer per model, for every way a model is asked.

A user scripts a model once (:meth:`Emulator.script_model`): a callable from a request
body and content type to a response body (or ``(body, content type)``).  Real-time
inference (InvokeEndpoint), async inference and batch transform all ask the model
through this module, so endpoints and transform jobs never carry their own copy.

Two entry points:

* :func:`answer` serves one request (one InvokeEndpoint call, one mini-batch of a
  transform job); :func:`stream` the same as parts (InvokeEndpointWithResponseStream);
* :func:`transform_object` runs one input object of a batch transform job through the
  model record by record, as the transform job's ``TransformInput`` (``SplitType``,
  ``ContentType``), ``BatchStrategy``, ``TransformOutput`` (``AssembleWith``,
  ``Accept``) and ``DataProcessing`` (``InputFilter``, ``JoinSource``,
  ``OutputFilter``) say, and returns the body of its ``.out`` object.

Without a script a model answers deterministically (:func:`default_answer`): one score
in ``[0, 1)`` per input record, derived from the record's bytes, written as the
request's ``Accept`` type asks (CSV, JSON, JSON Lines or NumPy ``.npy``), which the
SageMaker SDK's serializers and deserializers read back.
"""

from __future__ import annotations

import hashlib
import json
import re
import struct
from collections.abc import Callable, Mapping, Sequence
from typing import Any

#: A model's script: (request body, content type) -> body, or (body, content type); a
#: body may be parts (a list or generator of bytes), which a streamed response sends
#: one PayloadPart each (InvokeEndpointWithResponseStream) and the other paths join.
Respond = Callable[[bytes, str], Any]

CSV, JSON, JSONLINES, NPY = (
    "text/csv",
    "application/json",
    "application/jsonlines",
    ("application/x-npy"),
)
#: The content type a model answers when neither Accept nor the request's type is one
#: the default model writes.
DEFAULT_ACCEPT = JSON


class ModelFailure(Exception):
    """The model's container answered an error: its HTTP status and message.

    A script signals one by raising; any exception it raises is a 500 with the
    exception's text, as a container whose handler crashed answers.
    """

    def __init__(self, message: str, status: int = 500) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


class TransformFailure(Exception):
    """A batch transform of one object cannot be assembled (the job fails with this reason)."""


# --- finding a model's script ---------------------------------------------------------


def containers(model: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """The containers of a model (its CreateModel request): primary first."""
    found: list[Mapping[str, Any]] = []
    if model.get("PrimaryContainer"):
        found.append(model["PrimaryContainer"])
    found.extend(model.get("Containers") or ())
    return found


def model_data_urls(container: Mapping[str, Any]) -> list[str]:
    """Where a container's model data is: ``ModelDataUrl`` and ``ModelDataSource``'s S3 URI."""
    urls = [container["ModelDataUrl"]] if container.get("ModelDataUrl") else []
    source = (container.get("ModelDataSource") or {}).get("S3DataSource") or {}
    if source.get("S3Uri"):
        urls.append(source["S3Uri"])
    return urls


def matches(match: Any, model: Mapping[str, Any]) -> bool:
    """Whether a script's ``match`` selects ``model`` (its CreateModel request).

    None selects every model; a string is a model name, a container image or a
    model-data URL of any of the model's containers; a callable is a predicate on
    the CreateModel request.
    """
    if match is None:
        return True
    if isinstance(match, str):
        if match == model.get("ModelName"):
            return True
        return any(
            match == container.get("Image") or match in model_data_urls(container)
            for container in containers(model)
        )
    return bool(match(model))


def script_for(scripts: Sequence[Any], model: Mapping[str, Any]) -> Respond | None:
    """The latest script (objects with ``match`` and ``respond``) selecting ``model``."""
    for script in reversed(scripts):
        if matches(script.match, model):
            respond: Respond = script.respond
            return respond
    return None


# --- one request ----------------------------------------------------------------------


def answer(
    scripts: Sequence[Any],
    model: Mapping[str, Any],
    body: bytes,
    content_type: str | None,
    accept: str | None = None,
) -> tuple[bytes, str]:
    """What ``model`` (its CreateModel request) answers to one request: ``(body, type)``.

    ``scripts``: the scripts in force (``emulator.behaviour.models``), latest last.
    Raises :class:`ModelFailure` when the model answers an error (its script raised,
    before answering or while yielding parts).
    """
    parts, out_type, failure = stream(scripts, model, body, content_type, accept)
    if failure is not None:
        raise failure
    return b"".join(parts), out_type


def stream(
    scripts: Sequence[Any],
    model: Mapping[str, Any],
    body: bytes,
    content_type: str | None,
    accept: str | None = None,
) -> tuple[list[bytes], str, ModelFailure | None]:
    """What ``model`` answers as parts of a streamed response: ``(parts, type, failure)``.

    A script may answer parts: a list or an iterator (a generator) of bytes, alone or
    with a content type; any other answer is one part.  ``failure`` is the
    :class:`ModelFailure` a generator raised after the parts it yielded (None when the
    stream ended well).  Raises :class:`ModelFailure` when the model fails before
    answering anything.
    """
    content_type = content_type or "application/octet-stream"
    respond = script_for(scripts, model)
    if respond is None:
        out, out_type = default_answer(body, content_type, accept)
        return [out], out_type, None
    result = _call(respond, body, content_type)
    if isinstance(result, tuple) and len(result) == 2 and isinstance(result[1], str):
        out, out_type = result
    else:
        out, out_type = result, accept or content_type
    chunks = [out] if isinstance(out, (bytes, bytearray, str, tuple, Mapping)) else out
    parts: list[bytes] = []
    try:
        iterator = iter(chunks)
    except TypeError:
        raise _bad_answer(result) from None
    while True:
        try:
            part = next(iterator)
        except StopIteration:
            break
        except ModelFailure as failure:
            return parts, out_type, failure
        except Exception as error:  # the handler crashed while streaming: a 500
            return parts, out_type, ModelFailure(f"{type(error).__name__}: {error}")
        if isinstance(part, str):
            part = part.encode("utf-8")
        if not isinstance(part, (bytes, bytearray)) or not isinstance(out_type, str):
            raise _bad_answer(result)
        parts.append(bytes(part))
    return parts, out_type, None


def _call(respond: Respond, body: bytes, content_type: str) -> Any:
    try:
        return respond(body, content_type)
    except ModelFailure:
        raise
    except Exception as error:  # the container's handler crashed: a 500 with its text
        raise ModelFailure(f"{type(error).__name__}: {error}") from error


def _bad_answer(result: Any) -> ModelFailure:
    return ModelFailure(
        "the model script must return bytes, parts of bytes, or either with a content "
        f"type, not {type(result).__name__}"
    )


def _base(content_type: str | None) -> str:
    """A content type without parameters, lower-cased (``text/csv; charset=utf-8``)."""
    return (content_type or "").split(";", 1)[0].strip().lower()


def default_answer(body: bytes, content_type: str, accept: str | None) -> tuple[bytes, str]:
    """The unscripted model: one deterministic score per input record, as ``accept`` asks.

    Records are the lines of CSV or JSON Lines, the rows of a JSON list of lists or
    objects (or of its ``instances``), the rows of a ``.npy`` array, else the whole
    body.  Answers are CSV (one score a line), JSON (``{"predictions": [...]}``),
    JSON Lines (one score a line) or ``.npy`` (a float64 vector); the type is
    ``accept`` when it is one of these, else the request's own type, else JSON.
    """
    scores = [score(record) for record in records(body, content_type)]
    wanted = _base(accept) if accept and _base(accept) != "*/*" else _base(content_type)
    if wanted not in (CSV, JSON, JSONLINES, NPY):
        wanted = DEFAULT_ACCEPT
    if wanted == CSV:
        return "".join(f"{s}\n" for s in scores).encode(), CSV
    if wanted == JSONLINES:
        return "".join(f"{json.dumps(s)}\n" for s in scores).encode(), JSONLINES
    if wanted == NPY:
        return npy_vector(scores), NPY
    return json.dumps({"predictions": scores}).encode(), JSON


def score(record: bytes) -> float:
    """A record's deterministic score in ``[0, 1)`` (six decimals)."""
    digest = hashlib.sha256(record.strip()).digest()
    return round(int.from_bytes(digest[:8], "big") / 2**64, 6)


def records(body: bytes, content_type: str | None) -> list[bytes]:
    """The records of a request body, by its content type (see :func:`default_answer`)."""
    kind = _base(content_type)
    if kind in (CSV, JSONLINES, "text/plain"):
        return [line for line in body.splitlines() if line.strip()] or [body]
    if kind == JSON:
        try:
            value = json.loads(body)
        except ValueError:
            return [body]
        if isinstance(value, dict) and isinstance(value.get("instances"), list):
            value = value["instances"]
        # A list of rows (lists or objects) is a batch; a list of numbers is one vector.
        if isinstance(value, list) and value and all(isinstance(i, (list, dict)) for i in value):
            return [json.dumps(item, sort_keys=True).encode() for item in value]
        return [body]
    if kind == NPY:
        rows = _npy_rows(body)
        if rows:
            return rows
    return [body]


_NPY_MAGIC = b"\x93NUMPY"


def npy_vector(values: Sequence[float]) -> bytes:
    """``values`` as a NumPy ``.npy`` file (version 1.0, little-endian float64, 1-D)."""
    header = f"{{'descr': '<f8', 'fortran_order': False, 'shape': ({len(values)},), }}"
    # The header is padded with spaces to a multiple of 64 bytes, ending in a newline.
    padding = 64 - (len(_NPY_MAGIC) + 4 + len(header) + 1) % 64
    header += " " * (padding % 64) + "\n"
    return (
        _NPY_MAGIC
        + b"\x01\x00"
        + struct.pack("<H", len(header))
        + header.encode("latin-1")
        + struct.pack(f"<{len(values)}d", *values)
    )


_NPY_SHAPE = re.compile(rb"'shape':\s*\(([0-9, ]*)\)")


def _npy_rows(body: bytes) -> list[bytes]:
    """The rows (first-axis slices, as raw bytes) of a ``.npy`` body; [] when unreadable."""
    if not body.startswith(_NPY_MAGIC) or len(body) < 10:
        return []
    major = body[6]
    if major == 1:
        length, start = struct.unpack("<H", body[8:10])[0], 10
    else:
        length, start = struct.unpack("<I", body[8:12])[0], 12
    header = body[start : start + length]
    found = _NPY_SHAPE.search(header)
    if found is None:
        return []
    dims = [int(d) for d in found.group(1).split(b",") if d.strip()]
    data = body[start + length :]
    if not dims or dims[0] == 0:
        return []
    size = len(data) // dims[0]
    return [data[i * size : (i + 1) * size] for i in range(dims[0])]


# --- batch transform ------------------------------------------------------------------


def transform_object(
    scripts: Sequence[Any],
    model: Mapping[str, Any],
    data: bytes,
    *,
    content_type: str | None = None,
    accept: str | None = None,
    split_type: str = "None",
    batch_strategy: str | None = None,
    assemble_with: str = "None",
    join_source: str = "None",
    input_filter: str = "$",
    output_filter: str = "$",
    max_payload_mb: int = 6,
) -> bytes:
    """The ``.out`` body batch transform writes for one input object ``data``.

    The arguments are the transform job's own members (``TransformInput.ContentType``
    and ``SplitType``, ``TransformOutput.Accept`` and ``AssembleWith``,
    ``BatchStrategy``, ``DataProcessing``, ``MaxPayloadInMB``).  With ``SplitType``
    ``Line`` the object is split into lines; ``SingleRecord`` sends each record alone,
    ``MultiRecord`` (the default) as many as fit in ``MaxPayloadInMB`` joined by
    newlines.  Each record first passes ``InputFilter``; with ``JoinSource`` ``Input``
    each answer is joined to its (unfiltered) input record, then ``OutputFilter``
    selects from the result.  Answers are assembled with a newline after each
    (``AssembleWith`` ``Line``) or concatenated (``None``).

    Raises :class:`ModelFailure` when the model answers an error and
    :class:`TransformFailure` when answers cannot be joined to their records.
    ``SplitType`` ``RecordIO``/``TFRecord`` are not emulated (NotImplementedError).
    """
    if split_type in ("RecordIO", "TFRecord"):
        raise NotImplementedError(f"sagemaker_lite does not emulate SplitType {split_type}")
    kind = _base(content_type)
    if split_type == "Line":
        inputs = [line for line in data.splitlines() if line.strip()]
    else:
        inputs = [data]
    filtered = [_filter_record(record, kind, input_filter) for record in inputs]
    answers: list[tuple[bytes, str]] = []
    if split_type == "Line" and batch_strategy != "SingleRecord":
        for batch in _batches(filtered, max_payload_mb):
            body, out_type = answer(scripts, model, b"\n".join(batch) + b"\n", content_type, accept)
            parts = [line for line in body.splitlines() if line.strip()]
            if len(parts) != len(batch):
                if join_source == "Input" or output_filter != "$":
                    raise TransformFailure(
                        f"the model answered {len(parts)} records for a batch of {len(batch)}"
                    )
                answers.append((body.rstrip(b"\n"), out_type))
                continue
            answers.extend((part, out_type) for part in parts)
    else:
        for record in filtered:
            body, out_type = answer(scripts, model, record, content_type, accept)
            answers.append((body.rstrip(b"\n") if split_type == "Line" else body, out_type))
    outputs = []
    for index, (body, out_type) in enumerate(answers):
        if join_source == "Input" and index < len(inputs):
            body = _join(inputs[index], kind, body, _base(out_type))
            out_type = content_type or out_type
        outputs.append(_filter_record(body, _base(out_type), output_filter))
    if assemble_with == "Line":
        return b"".join(out.rstrip(b"\n") + b"\n" for out in outputs)
    return b"".join(outputs)


def _batches(items: list[bytes], max_payload_mb: int) -> list[list[bytes]]:
    """Records grouped into requests of at most ``max_payload_mb`` (0: no limit)."""
    limit = max_payload_mb * 1024 * 1024
    batches: list[list[bytes]] = []
    size = 0
    for item in items:
        if not batches or (limit and size + len(item) + 1 > limit):
            batches.append([])
            size = 0
        batches[-1].append(item)
        size += len(item) + 1
    return batches


def _as_value(record: bytes, kind: str) -> Any:
    """A record as the JSON value JSONPath works on: CSV becomes an array of its fields."""
    if kind == CSV:
        return record.decode("utf-8").rstrip("\r\n").split(",")
    try:
        return json.loads(record)
    except ValueError:
        return record.decode("utf-8", "replace").rstrip("\n")


def _as_record(value: Any, kind: str) -> bytes:
    """The inverse of :func:`_as_value`."""
    if kind == CSV:
        items = value if isinstance(value, list) else [value]
        return ",".join(_csv_field(v) for v in items).encode("utf-8")
    if isinstance(value, str) and kind not in (JSON, JSONLINES):
        return value.encode("utf-8")
    return json.dumps(value).encode("utf-8")


def _csv_field(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value)


def _filter_record(record: bytes, kind: str, path: str) -> bytes:
    if path in ("", "$"):
        return record
    return _as_record(jsonpath(path, _as_value(record, kind)), kind)


def _join(source: bytes, kind: str, output: bytes, output_kind: str) -> bytes:
    """An answer joined to its input record, as ``JoinSource: Input`` does.

    CSV input: the output's fields are appended to the record's.  A JSON object: the
    output goes under ``SageMakerOutput``; a JSON array: the output is appended.
    """
    result = _as_value(output, output_kind)
    if kind == CSV:
        fields = _as_value(source, CSV)
        extra = result if isinstance(result, list) else [result]
        return _as_record(fields + extra, CSV)
    value = _as_value(source, kind)
    if isinstance(value, dict):
        return json.dumps({**value, "SageMakerOutput": result}).encode("utf-8")
    if isinstance(value, list):
        return json.dumps([*value, result]).encode("utf-8")
    return json.dumps([value, result]).encode("utf-8")


# --- JSONPath (the subset DataProcessing filters use) ---------------------------------

_STEP = re.compile(
    r"""\.(?P<name>[A-Za-z_][\w-]*)
      | \[(?P<index>[^\]]*)\]""",
    re.VERBOSE,
)


def jsonpath(path: str, value: Any) -> Any:
    """Select from ``value`` with a JSONPath of ``$``, ``.name``, ``['name']``, ``[i]``,
    ``[i,j,...]`` (indexes or quoted names) and ``[start:end]``, as SageMaker's batch
    transform filters use them.  A path that selects nothing raises TransformFailure.
    """
    if not path.startswith("$"):
        raise TransformFailure(f"invalid JSONPath {path!r}")
    position = 1
    current: Any = value
    while position < len(path):
        step = _STEP.match(path, position)
        if step is None:
            raise TransformFailure(f"invalid JSONPath {path!r}")
        position = step.end()
        if step.group("name") is not None:
            current = _member(current, step.group("name"), path)
        else:
            current = _subscript(current, step.group("index").strip(), path)
    return current


def _member(value: Any, name: str, path: str) -> Any:
    if isinstance(value, dict) and name in value:
        return value[name]
    raise TransformFailure(f"JSONPath {path!r} selects nothing")


def _subscript(value: Any, index: str, path: str) -> Any:
    if ":" in index:
        if not isinstance(value, list):
            raise TransformFailure(f"JSONPath {path!r} slices a non-array")
        start, _, end = index.partition(":")
        return value[
            _int(start, path) if start.strip() else None : (
                _int(end, path) if end.strip() else None
            )
        ]
    parts = [part.strip() for part in index.split(",")]
    picked = [_one(value, part, path) for part in parts]
    return picked if len(parts) > 1 else picked[0]


def _one(value: Any, part: str, path: str) -> Any:
    if len(part) >= 2 and part[0] == part[-1] and part[0] in "'\"":
        return _member(value, part[1:-1], path)
    number = _int(part, path)
    if isinstance(value, list) and -len(value) <= number < len(value):
        return value[number]
    raise TransformFailure(f"JSONPath {path!r} selects nothing")


def _int(text: str, path: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise TransformFailure(f"invalid JSONPath {path!r}") from None


__all__ = [
    "ModelFailure",
    "Respond",
    "TransformFailure",
    "answer",
    "containers",
    "default_answer",
    "jsonpath",
    "matches",
    "records",
    "score",
    "script_for",
    "transform_object",
]
