"""Nothing leaves the process: what no in-process mock answered is refused, loudly.

Two guards, both installed while a ``mock_sagemaker()`` is open (see docs/boto3.md,
"Nothing leaves the process"):

* Every botocore/aiobotocore client created inside a mock is *guarded*
  (:func:`guard`): its endpoint sends only what no ``before-send`` handler
  answered (moto's ``mock_aws``, a stub), and for that it refuses, naming the
  service and operation, before any DNS lookup or socket.  The guard stays on
  the client, so a client made inside a mock refuses the same after it exits.
  A client whose endpoint is this machine (``endpoint_url`` on localhost: a moto
  server, LocalStack) is left alone: what it sends never leaves the machine.
* While a mock is open, a urllib3 connection to an AWS host (``*.amazonaws.com``,
  the instance metadata addresses) is refused before its DNS lookup
  (:func:`install`): this catches what is not a botocore client made inside, such
  as the SageMaker SDK's telemetry GET (``requests``) or a client created before
  the mock.  moto's ``mock_aws`` answers those requests before urllib3 is reached.

The one opt-in, ``mock_sagemaker(allow_network=[...])``: each entry is a botocore
service name (``"dynamodb"``) or a host pattern (``"localstack"``,
``"minio:9000"``, ``"*.corp.example"``, fnmatch, with or without the port).  A
client created inside that mock whose service or endpoint host is listed sends
what no mock answered for real (it stays allowed after the mock exits, as the
guard stays); while the mock is open, a urllib3 connection to a listed host is
let through too.  Everything else is refused as above.
"""

from __future__ import annotations

import fnmatch
import functools
import threading
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import urlsplit

__all__ = [
    "NOTHING",
    "Allowance",
    "RequestRefused",
    "allowance",
    "guard",
    "install",
    "is_aws_host",
    "open_hosts",
    "uninstall",
]

#: What a guarded client raises instead of sending: an operation -> the error.
Refusal = Callable[[str], BaseException]

_OPERATION = "_sagemaker_lite_operation"  # set on each request by our before-send handler
_GUARDED = "_sagemaker_lite_guarded"
_LOOPBACK = frozenset(("localhost", "127.0.0.1", "::1", "[::1]"))
#: Hosts whose requests would reach AWS: its endpoints and the metadata services
#: (EC2 instance metadata, ECS container credentials).
_AWS_SUFFIXES = (".amazonaws.com", ".amazonaws.com.cn", ".api.aws", ".c2s.ic.gov", ".sc2s.sgov.gov")
_METADATA_HOSTS = frozenset(
    ("169.254.169.254", "169.254.170.2", "fd00:ec2::254", "[fd00:ec2::254]")
)

_lock = threading.Lock()
_saved: dict[str, Any] = {}
#: Host patterns the urllib3 guard lets through: those of each open mock's allowance.
_open_hosts: list[tuple[str, ...]] = []
#: Set while an allowed client sends, so the urllib3 guard lets its connection through.
_sending = threading.local()


class Allowance:
    """What ``allow_network`` lets out: service names and host patterns (see the module)."""

    def __init__(self, entries: Iterable[str]) -> None:
        if isinstance(entries, (str, bytes)):
            raise TypeError(
                "allow_network takes a list of service names and host patterns, "
                f"not one string: use [{entries!r}]"
            )
        self.entries = tuple(entries)
        for entry in self.entries:
            if not isinstance(entry, str) or not entry:
                raise TypeError(f"allow_network entries are non-empty strings, not {entry!r}")

    def __bool__(self) -> bool:
        return bool(self.entries)

    def service(self, name: str) -> bool:
        """Whether ``name`` (a botocore service name) is allowed out."""
        return name in self.entries

    def host(self, host: str, port: int | None = None) -> bool:
        """Whether a connection to ``host`` (and ``port``) is allowed out."""
        host = host.lower().rstrip(".")
        names = (host,) if port is None else (host, f"{host}:{port}")
        return any(
            fnmatch.fnmatchcase(name, entry.lower()) for entry in self.entries for name in names
        )


NOTHING = Allowance(())


def allowance(entries: Iterable[str] | None) -> Allowance:
    """``allow_network`` as given to ``mock_sagemaker`` (None: nothing)."""
    return NOTHING if entries is None else Allowance(entries)


def open_hosts(allowed: Allowance, opened: bool) -> None:
    """Let the urllib3 guard through to ``allowed``'s hosts while its mock is open
    (``opened``), or no longer (each open adds, each close removes one)."""
    if not allowed:
        return
    with _lock:
        if opened:
            _open_hosts.append(allowed.entries)
        else:
            _open_hosts.remove(allowed.entries)


def _host_open(host: str, port: int | None) -> bool:
    return any(Allowance(entries).host(host, port) for entries in tuple(_open_hosts))


class RequestRefused(RuntimeError):
    """A request made inside ``mock_sagemaker()`` that nothing in the process served."""


def refusal(service: str, operation: str) -> RequestRefused:
    """The error a guarded ``service`` client raises for ``operation`` nobody served."""
    return RequestRefused(
        f"sagemaker_lite does not emulate {service} {operation}, and a client created inside "
        "mock_sagemaker() never sends to AWS: serve it in the process (stack moto's "
        "mock_aws(), or a botocore Stubber), create and use the client outside every mock, "
        f'or let it out with mock_sagemaker(allow_network=["{service}"])'
    )


def guard(client: Any, refuse: Refusal | None = None, allowed: Allowance = NOTHING) -> None:
    """Make ``client`` refuse to send what no in-process mock answered (idempotent).

    ``refuse`` builds the error for an operation (default: :func:`refusal`);
    ``allowed``: the allowance of the mock it was created in (its service or its
    endpoint's host listed: it sends for real what no mock answered).
    """
    endpoint = getattr(client, "_endpoint", None)
    if endpoint is None or getattr(endpoint, _GUARDED, False):
        return
    if _host(endpoint.host) in _LOOPBACK or _host(endpoint.host).endswith(".localhost"):
        return  # a server on this machine the user chose (moto server, LocalStack)
    service = client.meta.service_model.service_name
    parts = urlsplit(endpoint.host)
    if allowed.service(service) or allowed.host(parts.hostname or "", parts.port):
        _let_out(endpoint)
        return
    make_error = refuse or functools.partial(refusal, service)
    service_id = client.meta.service_model.service_id.hyphenize()
    client.meta.events.register(
        f"before-send.{service_id}", _note_operation, unique_id="sagemaker_lite-operation"
    )

    def send(request: Any) -> Any:
        # Reached only when no before-send handler (moto's, a stub's) answered.
        raise make_error(getattr(request, _OPERATION, "(unknown operation)"))

    endpoint._send = send
    setattr(endpoint, _GUARDED, True)


def _let_out(endpoint: Any) -> None:
    """An allowed client: it sends for real, its connections let through the urllib3 guard."""
    original = endpoint._send

    def send(request: Any) -> Any:
        previous = getattr(_sending, "allowed", False)
        _sending.allowed = True
        try:
            return original(request)
        finally:
            _sending.allowed = previous

    endpoint._send = send
    setattr(endpoint, _GUARDED, True)


def _note_operation(event_name: str, request: Any, **_: Any) -> None:
    # before-send.{service}.{Operation}: the request itself carries no operation name.
    setattr(request, _OPERATION, event_name.rpartition(".")[2])


def _host(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


def is_aws_host(host: str) -> bool:
    """Whether a connection to ``host`` would reach AWS (an endpoint or a metadata service)."""
    host = host.lower().rstrip(".")
    return host in _METADATA_HOSTS or host == "amazonaws.com" or host.endswith(_AWS_SUFFIXES)


# --- the urllib3 guard -------------------------------------------------------------


def install() -> None:
    """Refuse urllib3 connections to AWS hosts until :func:`uninstall` (not reentrant:
    the boto3 adapter installs it with the first mock and removes it with the last)."""
    try:
        import urllib3.connection
        import urllib3.exceptions
    except ImportError:  # pragma: no cover - botocore depends on urllib3
        return
    with _lock:
        original = urllib3.connection.HTTPConnection._new_conn
        _saved["_new_conn"] = original
        refused = urllib3.exceptions.NewConnectionError

        @functools.wraps(original)
        def new_conn(connection: Any) -> Any:
            # Through a proxy the socket goes to the proxy; the tunnel names the target.
            target = getattr(connection, "_tunnel_host", None) or connection.host
            port = getattr(connection, "_tunnel_port", None) or connection.port
            if (
                isinstance(target, str)
                and is_aws_host(target)
                and not getattr(_sending, "allowed", False)
                and not _host_open(target, port)
            ):
                raise refused(
                    connection,
                    f"sagemaker_lite refused a connection to {target} inside mock_sagemaker(): "
                    "nothing leaves the process (stack moto's mock_aws() to serve AWS calls)",
                )
            return original(connection)

        urllib3.connection.HTTPConnection._new_conn = new_conn  # type: ignore[method-assign,assignment]


def uninstall() -> None:
    """Undo :func:`install`."""
    with _lock:
        original = _saved.pop("_new_conn", None)
        if original is not None:
            import urllib3.connection

            urllib3.connection.HTTPConnection._new_conn = original  # type: ignore[method-assign]
