"""``mock_sagemaker()``: real boto3/botocore SageMaker clients served by the emulator.

How a call flows (see docs/boto3.md):

1. botocore runs as usual up to the wire: ``before-parameter-build`` (we note
   the api params), its own ``ParamValidator`` and request serialisation.
2. Our ``before-call`` handler answers instead of the network, as botocore's
   ``Stubber`` does: the call goes to :meth:`Client.call` of a client bound to
   the emulator world of (account, the boto3 client's region).
3. The answer is written as the JSON body SageMaker sends (HTTP 200, or 400
   with ``__type``/``Message`` for errors) and parsed by botocore's own JSON
   parser against the operation's output shape, so types (timestamps!) and
   members are exactly what boto3 gives for a real response, and botocore
   raises its own exception classes (``client.exceptions.ResourceInUse``...).

Only clients created inside the context are served (their creation, at
``botocore.client.BaseClient.__init__``, is where the handlers are attached:
boto3, botocore and aiobotocore clients alike); services without an entry in
:data:`ATTACHERS` are untouched, so moto's ``mock_aws`` can serve S3 or STS in
the same test.  Which mock serves a call, and which sleeps become virtual
time, is decided per thread (:func:`serving_mock`, :mod:`.virtual_time`).
"""

from __future__ import annotations

import base64
import contextlib
import datetime as _dt
import functools
import json
import os
import threading
from collections.abc import Callable, Iterable, Iterator
from email.utils import formatdate
from pathlib import Path
from typing import Any, Literal, TypeVar, overload

from sagemaker_lite.contract import spec
from sagemaker_lite.contract.errors import ClientError
from sagemaker_lite.contract.operations import OPERATIONS
from sagemaker_lite.engine.clock import VirtualClock
from sagemaker_lite.surfaces import mock_forms, network_guard, shared_models, virtual_time
from sagemaker_lite.surfaces.client import Client
from sagemaker_lite.surfaces.emulator import Emulator
from sagemaker_lite.surfaces.s3_artifacts import S3Artifacts
from sagemaker_lite.surfaces.virtual_time import MODES, Mode, Scope

Sleep = Mode
Parse = Literal["fast", "botocore"]
_Target = TypeVar("_Target", bound=Callable[..., Any])

_CHECKED_KEY = "sagemaker_lite.botocore_checked"
_PARAMS_KEY = "sagemaker_lite.params"
_HANDLER_ID = "sagemaker_lite"
# Set only while no credentials/region are configured, and only inside the context.
_DUMMY_CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SESSION_TOKEN": "testing",
}
_CREDENTIAL_SOURCES = (
    "AWS_ACCESS_KEY_ID",
    "AWS_PROFILE",
    "AWS_DEFAULT_PROFILE",
    "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
    "AWS_CONTAINER_CREDENTIALS_FULL_URI",
    "AWS_WEB_IDENTITY_TOKEN_FILE",
)

_lock = threading.RLock()
#: Active mocks of every thread, in the order they were entered.
_active: list[mock_sagemaker] = []
#: Active mocks per thread (by ident), innermost last: the innermost serves that thread.
_entered: dict[int, list[mock_sagemaker]] = {}
_saved: dict[str, Any] = {}


class mock_sagemaker(contextlib.ContextDecorator):
    """Serve boto3 SageMaker clients from an in-process emulator.

    ``with mock_sagemaker() as emulator:``, ``@mock_sagemaker`` or ``@mock_sagemaker()``
    (on a function, ``async def``, test class: see :mod:`.mock_forms`), or
    ``emulator = mock.start()`` ... ``mock.stop()``.  Every
    SageMaker client (boto3, botocore or aiobotocore) created inside is served by
    ``emulator``, in the world of ``account_id`` and the client's region.  A call
    is served by the innermost mock its thread entered, else by the mock active
    where the client was created, else by the latest mock entered anywhere.

    ``sleep`` says which sleeps become virtual time (see docs/time.md and
    :mod:`sagemaker_lite.surfaces.virtual_time`): ``"auto"`` (default: the sleeps of a
    thread polling this mock, while a job is in flight), ``"waiters"`` (botocore
    waiters' sleeps only), ``"global"`` (every ``time.sleep``) or ``"real"``.
    Used as a decorator without an ``emulator``, each call gets a fresh one.
    ``parse``: ``"fast"`` or ``"botocore"`` (run botocore's JSON parser on the
    body SageMaker would send; same result, slower), see :func:`respond`.
    ``allow_network``: service names and host patterns whose requests may leave the
    process (see :mod:`.network_guard` and docs/boto3.md); by default none may.
    """

    @overload
    def __new__(cls, emulator: _Target, /) -> _Target: ...  # type: ignore[misc]

    @overload
    def __new__(
        cls,
        emulator: Emulator | None = None,
        *,
        account_id: str = ...,
        clock: VirtualClock | None = ...,
        auto_advance: bool = ...,
        sleep: Sleep = ...,
        parse: Parse = ...,
        allow_network: Iterable[str] | None = ...,
    ) -> mock_sagemaker: ...

    def __new__(cls, emulator: Any = None, **options: Any) -> Any:
        # Bare ``@mock_sagemaker``: the decorated function or class comes in as emulator.
        if emulator is not None and not isinstance(emulator, Emulator) and not options:
            return mock_forms.decorate(cls(), emulator)
        return super().__new__(cls)

    def __init__(
        self,
        emulator: Emulator | None = None,
        *,
        account_id: str = "123456789012",
        clock: VirtualClock | None = None,
        auto_advance: bool = False,
        sleep: Sleep = "auto",
        parse: Parse = "fast",
        allow_network: Iterable[str] | None = None,
    ) -> None:
        if sleep not in MODES:
            raise ValueError(f"sleep must be one of {', '.join(map(repr, MODES))}, not {sleep!r}")
        self._fresh = emulator is None
        self._clock, self._auto_advance = clock, auto_advance
        self.emulator = emulator or Emulator(clock, auto_advance=auto_advance)
        self.account_id = account_id
        self.sleep: Sleep = sleep
        self.parse: Parse = parse
        self.allow_network = network_guard.allowance(allow_network)
        self._clients: dict[str, Client[Emulator]] = {}
        self._time = Scope(self.emulator, sleep, fresh=self._fresh and clock is None)
        self._threads: list[int] = []  # where each open entry of this mock was made

    def _recreate_cm(self) -> mock_sagemaker:
        # Each decorated call starts from an empty emulator unless one was given.
        if not self._fresh:
            return self
        return mock_sagemaker(
            account_id=self.account_id,
            sleep=self.sleep,
            parse=self.parse,
            clock=self._clock,
            auto_advance=self._auto_advance,
            allow_network=self.allow_network.entries,
        )

    def __call__(self, target: _Target) -> _Target:
        """Decorate a function, ``async def`` or class (see :mod:`.mock_forms`)."""
        return mock_forms.decorate(self, target)

    def start(self) -> Emulator:
        """Enter the mock (as ``with`` does) until :meth:`stop`; returns its emulator."""
        return self.__enter__()

    def stop(self) -> None:
        """Leave the mock entered by :meth:`start`."""
        if not self._threads:
            raise RuntimeError("mock_sagemaker.stop() called without a matching start()")
        self.__exit__(None, None, None)

    def client_for(self, region: str) -> Client[Emulator]:
        """The direct client serving boto3 calls made in ``region``."""
        client = self._clients.get(region)
        if client is None:
            client = self._clients[region] = self.emulator.client(region, self.account_id)
        return client

    def __enter__(self) -> Emulator:
        thread = threading.get_ident()
        with _lock:
            if not _active:
                _install()
            _active.append(self)
            _entered.setdefault(thread, []).append(self)
            self._threads.append(thread)
            if self.emulator.artifacts is None:  # jobs read and write S3 if moto serves it
                self.emulator.artifacts = S3Artifacts()
        network_guard.open_hosts(self.allow_network, True)
        virtual_time.activate(self._time)
        return self.emulator

    def __exit__(self, *exc: object) -> None:
        virtual_time.deactivate(self._time)
        network_guard.open_hosts(self.allow_network, False)
        with _lock:
            # Usually exited where it was entered; a mock shared by threads (a decorator
            # given an emulator) may be open in several at once.
            thread = threading.get_ident()
            if thread not in self._threads:
                thread = self._threads[-1]
            self._threads.remove(thread)
            stack = _entered[thread]
            stack.reverse()  # drop this thread's innermost entry of this mock
            stack.remove(self)
            stack.reverse()
            if not stack:
                del _entered[thread]
            _active.remove(self)
            if not _active:
                _uninstall()


def active_emulator() -> Emulator | None:
    """The emulator serving the calling thread now (None outside every mock)."""
    with _lock:
        mock = _serving(None)
    return None if mock is None else mock.emulator


def _serving(bound: mock_sagemaker | None) -> mock_sagemaker | None:
    """The mock serving a call from this thread by a client bound to ``bound`` (lock held)."""
    stack = _entered.get(threading.get_ident())
    if stack:
        return stack[-1]
    if bound is not None and bound in _active:
        return bound
    return _active[-1] if _active else None


# --- installing: attach our handlers to every SageMaker client created inside ------------

Attacher = Callable[[Any, "mock_sagemaker | None"], None]


def _attach_sagemaker(client: Any, mock: mock_sagemaker | None) -> None:
    attach(client, _bound=mock)


def _attach_view(client: Any, mock: mock_sagemaker | None) -> None:
    # CloudWatch Logs / CloudWatch: only SageMaker's log groups and namespaces are ours.
    attach(client, _bound=mock, _answer_with=_answer_view)


def _attach_runtime(client: Any, mock: mock_sagemaker | None) -> None:
    # Real-time inference: answered by sagemaker_lite.surfaces.runtime.
    asynchronous = type(client).__module__.startswith("aiobotocore")
    attach(
        client,
        _bound=mock,
        _answer_with=functools.partial(_answer_runtime, asynchronous=asynchronous),
    )


def _answer_runtime(
    model: Any,
    context: dict[str, Any],
    *,
    bound: mock_sagemaker | None = None,
    asynchronous: bool = False,
    **_: Any,
) -> tuple[Any, dict[str, Any]] | None:
    from sagemaker_lite.surfaces import runtime

    mock = serving_mock(bound, model.name)
    if mock is None:
        return None  # attached by hand, outside every mock: botocore goes on as usual
    params = dict(context.pop(_PARAMS_KEY, {}))
    context.pop(_CHECKED_KEY, None)
    client = mock.client_for(context["client_region"])
    return runtime.serve(client, model, params, asynchronous=asynchronous)


#: How a client of each service (botocore's service name) created inside a mock is served.
ATTACHERS: dict[str, Attacher] = {
    "sagemaker": _attach_sagemaker,
    "logs": _attach_view,
    "cloudwatch": _attach_view,
    "sagemaker-runtime": _attach_runtime,
}


def _attacher(service: str) -> Attacher | None:
    return ATTACHERS.get(service)


def _not_emulated(operation: str) -> NotImplementedError:
    # A SageMaker call we do not emulate went on to the next mock; none served it.
    return NotImplementedError(
        f"sagemaker_lite does not emulate {operation}, and no mock stacked with it "
        "(moto's mock_aws) served it"
    )


def _install() -> None:
    # Every botocore-based client (boto3, botocore, aiobotocore: its client class
    # subclasses BaseClient) passes through BaseClient.__init__ once, so wrapping it
    # catches them all, whatever session or creator made them.
    import botocore.client

    original = botocore.client.BaseClient.__init__
    _saved["BaseClient.__init__"] = original

    @functools.wraps(original)
    def init(client: Any, *args: Any, **kwargs: Any) -> None:
        original(client, *args, **kwargs)
        service = client.meta.service_model.service_name
        attacher = _attacher(service)
        with _lock:
            stack = _entered.get(threading.get_ident())
            mock = stack[-1] if stack else (_active[-1] if _active else None)
        if attacher is not None:
            attacher(client, mock)
        # Whatever the service, what no in-process mock answers is refused, never sent
        # (unless the mock it was created in lets it out: allow_network).
        network_guard.guard(
            client,
            _not_emulated if service == "sagemaker" else None,
            mock.allow_network if mock is not None else network_guard.NOTHING,
        )

    botocore.client.BaseClient.__init__ = init
    _saved["environ"] = _default_environment()
    # The SDK makes a session per step: they share loaded models instead of re-parsing them.
    shared_models.install()
    network_guard.install()


def _uninstall() -> None:
    import botocore.client

    botocore.client.BaseClient.__init__ = _saved.pop("BaseClient.__init__")
    shared_models.uninstall()
    network_guard.uninstall()
    for name, value in _saved.pop("environ").items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


def attach(
    client: Any,
    *,
    _bound: mock_sagemaker | None = None,
    _answer_with: Callable[..., tuple[Any, dict[str, Any]] | None] | None = None,
) -> None:
    """Route a botocore SageMaker client's calls to the active emulator (idempotent).

    Clients made inside ``mock_sagemaker`` get this automatically; call it on a
    client made earlier to serve it too.  Outside any mock it is inert.
    """
    events = client.meta.events
    service = client.meta.service_model.service_id.hyphenize()
    # botocore runs its ParamValidator before before-call unless the client was
    # built with parameter_validation=False; then the request reaches the service
    # unchecked and the service answers (ValidationException, AWS's wording), so
    # the client-side checks are never repeated on this path.
    checked = True
    events.register(
        f"before-parameter-build.{service}",
        functools.partial(_note_params, checked=checked),
        unique_id=f"{_HANDLER_ID}-params",
    )
    events.register(
        f"before-call.{service}",
        functools.partial(_answer_with or _answer, bound=_bound),
        unique_id=f"{_HANDLER_ID}-call",
    )


def _default_environment() -> dict[str, str | None]:
    """Set dummy credentials and a region when none are configured; return what to restore."""
    config_files = [
        os.environ.get("AWS_CONFIG_FILE", "~/.aws/config"),
        os.environ.get("AWS_SHARED_CREDENTIALS_FILE", "~/.aws/credentials"),
    ]
    configured = any(Path(f).expanduser().exists() for f in config_files)
    changes: dict[str, str] = {}
    if not configured and not any(os.environ.get(n) for n in _CREDENTIAL_SOURCES):
        changes.update(_DUMMY_CREDENTIALS)
    if not configured and not (
        os.environ.get("AWS_DEFAULT_REGION") or os.environ.get("AWS_REGION")
    ):
        changes["AWS_DEFAULT_REGION"] = "us-east-1"
    saved = {name: os.environ.get(name) for name in changes}
    os.environ.update(changes)
    return saved


# --- answering a call ---------------------------------------------------------------


def _note_params(
    params: dict[str, Any], context: dict[str, Any], *, checked: bool = True, **_: Any
) -> None:
    if _active:
        context[_PARAMS_KEY] = params
        context[_CHECKED_KEY] = checked


def serving_mock(bound: mock_sagemaker | None, operation: str) -> mock_sagemaker | None:
    """The mock that serves a call made now, from this thread, by a client bound to ``bound``.

    For the ``before-call`` handlers of every service served here: it records the
    call for virtual time (the thread now polls that mock), and raises
    ``RuntimeError`` for a client made inside a mock that has exited, rather than
    let it reach AWS.  None: no mock is active and the client was attached by
    hand, so botocore goes on as usual.
    """
    with _lock:
        mock = _serving(bound)
    if mock is None:
        if bound is not None:
            raise RuntimeError(
                f"a client created inside mock_sagemaker() called {operation} "
                "after the mock exited; create a new client to reach AWS"
            )
        return None
    virtual_time.note_call(mock._time)
    return mock


def _answer(
    model: Any, context: dict[str, Any], *, bound: mock_sagemaker | None = None, **_: Any
) -> tuple[Any, dict[str, Any]] | None:
    mock = serving_mock(bound, model.name)
    if mock is None:
        return None  # attached by hand, outside every mock: botocore goes on as usual
    params = context.pop(_PARAMS_KEY, {})
    if model.name not in OPERATIONS:
        if bound is None:  # attached by hand: no guard stands behind it
            raise NotImplementedError(f"sagemaker_lite does not emulate {model.name}")
        return None  # on to the next mock (moto); the client's guard refuses if none serves it
    return respond(
        mock.client_for(context["client_region"]),
        model,
        params,
        parse=mock.parse,
        botocore_checked=context.pop(_CHECKED_KEY, False),
    )


def _answer_view(
    model: Any, context: dict[str, Any], *, bound: mock_sagemaker | None = None, **_: Any
) -> tuple[Any, dict[str, Any]] | None:
    """CloudWatch Logs/CloudWatch: serve calls about SageMaker's jobs, pass on the rest."""
    from sagemaker_lite.surfaces import observability

    with _lock:
        mock = _serving(bound)
    params = context.pop(_PARAMS_KEY, {})
    context.pop(_CHECKED_KEY, None)
    service = model.service_model.service_name
    serve = None if mock is None else observability.handler(service, model.name, params)
    if mock is None or serve is None:
        return None  # not ours: on to moto, or to AWS, as before
    virtual_time.note_call(mock._time)  # a log-tailing loop polls the job too
    client = mock.client_for(context["client_region"])
    status, request_id, parsed = observability.call(client, serve, params)
    if status >= 300:
        parsed = _modeled_error(model, parsed)
    headers = {
        "x-amzn-requestid": request_id,
        "content-type": "application/x-amz-json-1.1",
        "date": formatdate(client.emulator.now(), usegmt=True),
    }
    parsed["ResponseMetadata"] = {
        "RequestId": request_id,
        "HTTPStatusCode": status,
        "HTTPHeaders": dict(headers),
        "RetryAttempts": 0,
    }
    return _http_response(client.world.region, status, headers, b"", service), parsed


def _modeled_error(model: Any, parsed: dict[str, Any]) -> dict[str, Any]:
    """An error answer with the members botocore adds for a modeled error (its message)."""
    error = parsed["Error"]
    shape = model.service_model.shape_for_error_code(error["Code"])
    answer: dict[str, Any] = {"Error": error}
    for member in getattr(shape, "members", {}):
        if member.lower() == "message":
            answer[member] = error["Message"]
    return answer


def respond(
    client: Client[Emulator],
    model: Any,
    params: dict[str, Any],
    *,
    parse: Parse = "fast",
    botocore_checked: bool = False,
) -> tuple[Any, dict[str, Any]]:
    """Serve one call and return ``(http_response, parsed)`` as botocore's endpoint would.

    ``parse="botocore"`` writes the JSON body SageMaker sends and runs botocore's
    parser over it; ``"fast"`` (default) gives the same dict by converting our
    response's timestamps to the tz botocore's parser gives, at a tenth of the cost.
    The parse-fidelity tests check that both are equal for every operation.
    """
    try:
        response = client.call(model.name, params, botocore_checked=botocore_checked)
        status = 200
        request_id = response.pop("ResponseMetadata")["RequestId"]
        error: dict[str, str] | None = None
    except ClientError as exc:  # our service answered with an error
        status = exc.response["ResponseMetadata"]["HTTPStatusCode"]
        request_id = exc.response["ResponseMetadata"]["RequestId"]
        error = exc.response["Error"]
    headers = {
        "x-amzn-requestid": request_id,
        "content-type": "application/x-amz-json-1.1",
        "date": formatdate(client.emulator.now(), usegmt=True),
    }
    if parse == "botocore" or error is not None:
        body = (
            json.dumps(response, default=_json_default, separators=(",", ":"))
            if error is None
            else json.dumps({"__type": error["Code"], "Message": error["Message"]})
        )
        encoded = body.encode("utf-8")
        headers["content-length"] = str(len(encoded))
        parsed = _parse(model, status, headers, encoded)
    else:
        encoded = b""  # the fast path never writes the body
        output = spec.operation(model.name).get("output")
        convert = None if output is None else _localizer(output)
        parsed = response if convert is None else convert(response)
        parsed["ResponseMetadata"] = {
            "RequestId": request_id,
            "HTTPStatusCode": status,
            "HTTPHeaders": dict(headers),
        }
    parsed["ResponseMetadata"]["RetryAttempts"] = 0
    return _http_response(client.world.region, status, headers, encoded), parsed


def _parse(model: Any, status: int, headers: dict[str, str], body: bytes) -> dict[str, Any]:
    """botocore's parsing of a SageMaker JSON response, as its endpoint does it."""
    raw = {"body": body, "headers": headers, "status_code": status}
    parser = _parser(model.service_model.protocol)
    parsed: dict[str, Any] = parser.parse(raw, model.output_shape if status < 300 else None)
    if status >= 300:  # botocore's endpoint adds a modeled error's members
        error_shape = model.service_model.shape_for_error_code(parsed["Error"]["Code"])
        if error_shape is not None:
            parsed.update(parser.parse(raw, error_shape))
    return parsed


Localizer = Callable[[Any], Any]


@functools.cache
def _localizer(shape_name: str) -> Localizer | None:
    """A function converting the timestamps of a ``shape_name`` value in place (None: none).

    Compiled once per shape from the constraint model, visiting only members
    that can hold a timestamp, so the fast path costs little on big answers.
    """
    shape = spec.shape(shape_name)
    kind = shape["type"]
    if kind == "timestamp":
        return _local_time
    if kind in ("list", "map"):
        inner = _localizer(shape["member" if kind == "list" else "value"])
        if inner is None:
            return None
        if kind == "list":
            return lambda items: [inner(item) for item in items]
        return lambda mapping: {key: inner(item) for key, item in mapping.items()}
    if kind == "structure":
        members = [
            (name, f)
            for name, member in shape.get("members", ())
            if (f := _localizer(member)) is not None
        ]
        if not members:
            return None

        def structure(value: dict[str, Any]) -> dict[str, Any]:
            for name, convert in members:
                if name in value:
                    value[name] = convert(value[name])
            return value

        return structure
    return None


@functools.lru_cache(maxsize=8192)
def _local_time(moment: _dt.datetime) -> _dt.datetime:
    """A timestamp as botocore's parser gives it (epoch seconds read in its local tz)."""
    return _dt.datetime.fromtimestamp(moment.timestamp(), _local_tz())


@functools.cache
def _local_tz() -> Any:
    from botocore.utils import get_tzinfo_options

    return get_tzinfo_options()[0]()


def _json_default(value: Any) -> Any:
    """How SageMaker writes what JSON lacks: timestamps as epoch seconds, blobs as base64."""
    if isinstance(value, _dt.datetime):
        return value.timestamp()
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    raise TypeError(f"cannot serialise {type(value).__name__}")


_parsers: dict[str, Any] = {}


def _parser(protocol: str) -> Any:
    parser = _parsers.get(protocol)
    if parser is None:
        from botocore.parsers import create_parser

        parser = _parsers[protocol] = create_parser(protocol)
    return parser


class _Raw:
    """The raw stream ``AWSResponse.content`` reads."""

    def __init__(self, body: bytes) -> None:
        self._body = body

    def stream(self, **_: Any) -> Iterator[bytes]:
        yield self._body


def _http_response(
    region: str, status: int, headers: dict[str, str], body: bytes, service: str = "api.sagemaker"
) -> Any:
    from botocore.awsrequest import AWSResponse

    url = f"https://{service}.{region}.amazonaws.com/"
    return AWSResponse(url, status, headers, _Raw(body))


__all__ = ["ATTACHERS", "active_emulator", "attach", "mock_sagemaker", "respond", "serving_mock"]
