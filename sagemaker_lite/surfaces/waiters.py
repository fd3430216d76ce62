"""Waiters for the direct client: a small interpreter of botocore's waiter data.

The acceptor rules, attempt counting and ``WaiterError`` texts are botocore's
(``botocore.waiter``).  One difference by design: between attempts the waiter
does not sleep, it advances the emulator's virtual clock by the delay, so a
waiter with its default config (120 s x 180 attempts) returns at once while
the job still passes through every status virtual time gives it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from sagemaker_lite.contract.errors import ClientError
from sagemaker_lite.contract.operations import _snake
from sagemaker_lite.contract.spec.extras import load_waiters
from sagemaker_lite.engine.emulator import Engine
from sagemaker_lite.surfaces.paginators import search


class Caller(Protocol):
    """What a waiter needs of a client: serving calls, and the engine whose time it moves."""

    @property
    def emulator(self) -> Engine: ...

    def call(self, operation_name: str, params: dict[str, Any]) -> dict[str, Any]: ...


#: Waiter configuration by boto3 (snake_case) name.
WAITERS: dict[str, dict[str, Any]] = {
    _snake(name): {"name": name, **config} for name, config in load_waiters().items()
}

try:  # botocore's own class when installed, so ``except WaiterError`` works unchanged
    from botocore.exceptions import WaiterError
except ImportError:  # pragma: no cover

    class WaiterError(Exception):  # type: ignore[no-redef]
        """Look-alike of ``botocore.exceptions.WaiterError``."""

        def __init__(self, *, name: str, reason: str, last_response: dict[str, Any]) -> None:
            super().__init__(f"Waiter {name} failed: {reason}")
            self.kwargs = {"name": name, "reason": reason}
            self.last_response = last_response


Response = dict[str, Any]


def _is_error(response: Response) -> bool:
    error = response.get("Error")
    return isinstance(error, dict) and "Code" in error


def _path_values(argument: str, response: Response) -> list[Any] | None:
    found = search(argument, response)
    return found if isinstance(found, list) and found else None


def _matcher(acceptor: dict[str, Any]) -> Callable[[Response], bool]:
    """The test an acceptor applies to a response (or a parsed error response)."""
    kind, expected, argument = acceptor["matcher"], acceptor["expected"], acceptor.get("argument")
    if kind == "path":
        return lambda r: not _is_error(r) and search(argument or "", r) == expected
    if kind == "pathAll":

        def all_match(r: Response) -> bool:
            values = None if _is_error(r) else _path_values(argument or "", r)
            return values is not None and all(v == expected for v in values)

        return all_match
    if kind == "pathAny":
        return lambda r: (
            not _is_error(r) and any(v == expected for v in _path_values(argument or "", r) or ())
        )
    if kind == "status":
        return lambda r: r.get("ResponseMetadata", {}).get("HTTPStatusCode") == expected
    if kind == "error":
        if expected is True:
            return lambda r: "Error" in r and "Code" in r["Error"]
        if expected is False:
            return lambda r: "Error" not in r
        return lambda r: r.get("Error", {}).get("Code", "") == expected
    raise ValueError(f"Unknown acceptor: {kind}")


def explanation(acceptor: dict[str, Any]) -> str:
    """botocore's text for why an acceptor matched."""
    kind, expected, argument = acceptor["matcher"], acceptor["expected"], acceptor.get("argument")
    texts = {
        "path": f'For expression "{argument}" we matched expected path: "{expected}"',
        "pathAll": f'For expression "{argument}" all members matched expected path: "{expected}"',
        "pathAny": f'For expression "{argument}" we matched expected path: "{expected}" '
        "at least once",
        "status": f"Matched expected HTTP status code: {expected}",
        "error": f"Matched expected service error code: {expected}",
    }
    return texts.get(kind, f'No explanation for unknown waiter type: "{kind}"')


class Waiter:
    """``client.get_waiter(name)`` for the direct client."""

    def __init__(self, client: Caller, waiter_name: str) -> None:
        config = WAITERS.get(waiter_name)
        if config is None:
            raise ValueError(f"Waiter does not exist: {waiter_name}")
        self._client = client
        self.name: str = config["name"]
        self.operation: str = config["operation"]
        self.delay: float = config["delay"]
        self.max_attempts: int = config["maxAttempts"]
        self.acceptors: list[dict[str, Any]] = list(config["acceptors"])
        self._matchers = [_matcher(acceptor) for acceptor in self.acceptors]

    def _poll(self, params: dict[str, Any]) -> Response:
        try:
            return self._client.call(self.operation, dict(params))
        except ClientError as error:  # the waiter judges the parsed error response
            response: Response = error.response
            return response

    def wait(self, **kwargs: Any) -> None:
        """Poll until an acceptor succeeds (return) or fails / attempts run out (WaiterError).

        ``WaiterConfig={"Delay": s, "MaxAttempts": n}`` as on boto3; the delay is
        virtual time.
        """
        config = kwargs.pop("WaiterConfig", None) or {}
        delay = config.get("Delay", self.delay)
        max_attempts = config.get("MaxAttempts", self.max_attempts)
        matched: dict[str, Any] | None = None
        attempts = 0
        while True:
            response = self._poll(kwargs)
            attempts += 1
            state = "waiting"
            acceptor = self.acceptors[-1]
            for acceptor, matches in zip(self.acceptors, self._matchers, strict=True):
                if matches(response):
                    matched, state = acceptor, acceptor["state"]
                    break
            else:
                if _is_error(response):
                    error = response["Error"]
                    raise WaiterError(
                        name=self.name,
                        reason=f"An error occurred ({error.get('Code', 'Unknown')}): "
                        f"{error.get('Message', 'Unknown')}",
                        last_response=response,
                    )
            if state == "success":
                return
            if state == "failure":
                raise WaiterError(
                    name=self.name,
                    reason=f"Waiter encountered a terminal failure state: {explanation(acceptor)}",
                    last_response=response,
                )
            if attempts >= max_attempts:
                # botocore names the last acceptor it looked at, not the matched one.
                reason = (
                    "Max attempts exceeded"
                    if matched is None
                    else (
                        f"Max attempts exceeded. Previously accepted state: {explanation(acceptor)}"
                    )
                )
                raise WaiterError(name=self.name, reason=reason, last_response=response)
            self._client.emulator.advance(delay)
