"""The boto3-shaped client: one method per row of the operation table."""

from __future__ import annotations

import functools
import importlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from sagemaker_lite.contract import fastpath, spec, validation, wire
from sagemaker_lite.contract.copying import plain
from sagemaker_lite.contract.errors import ApiError, ClientExceptions, to_client_error
from sagemaker_lite.contract.operations import OPERATIONS, Operation
from sagemaker_lite.engine.emulator import Engine
from sagemaker_lite.engine.world import World
from sagemaker_lite.surfaces.paginators import PAGINATORS, Paginator
from sagemaker_lite.surfaces.waiters import Waiter

Handler = Callable[[World, dict[str, Any]], dict[str, Any]]
#: The emulator a client serves from (the public Emulator, or any engine).
E = TypeVar("E", bound=Engine)
_HANDLERS: dict[str, Handler] = {}


def handler_for(operation: Operation) -> Handler:
    """The service function serving ``operation`` (imported on first use)."""
    handler = _HANDLERS.get(operation.name)
    if handler is None:
        module_name, _, function = operation.handler.partition(":")
        try:
            module = importlib.import_module(f"sagemaker_lite.families.{module_name}")
            handler = getattr(module, function)
        except (ModuleNotFoundError, AttributeError) as exc:
            raise NotImplementedError(
                f"sagemaker_lite does not emulate {operation.name} yet"
            ) from exc
        _HANDLERS[operation.name] = handler
    return handler


@functools.cache
def _idempotency_members(operation_name: str) -> tuple[str, ...]:
    operation = spec.operation(operation_name)
    if "input" not in operation:
        return ()
    return tuple(spec.shape(operation["input"]).get("idempotency", ()))


def _with_idempotency_tokens(
    emulator: Engine, operation_name: str, params: dict[str, Any]
) -> dict[str, Any]:
    """``params`` with a uuid4-shaped token in each idempotency member left out, as
    botocore fills them (``ClientRequestToken`` of CreatePipeline, ...).  The token is
    the request id this call is about to be given: unique, deterministic, and drawing
    no random numbers (a call that then fails changes nothing)."""
    missing = [m for m in _idempotency_members(operation_name) if m not in params]
    if not missing:
        return params
    token = f"{emulator.request_id_prefix}{emulator.requests_served + 1:012x}"
    return {**params, **dict.fromkeys(missing, token)}


def serve(world: World, operation_name: str, params: dict[str, Any]) -> dict[str, Any]:
    """One operation served as :meth:`Client.call` serves it, for ``Engine.call`` (a
    family acting as a client: pipeline steps, Search): the same checks and handler,
    the service's ``ApiError`` raised as is (a step fails with its code and message),
    no response metadata and no request id drawn, and due events not applied (the
    engine may be mid-event: a nested ``run_due`` would apply later events first)."""
    operation = OPERATIONS[operation_name]
    request = fastpath.valid_copy(operation_name, params)
    if request is None:
        validation.check_params(operation_name, params)
        request = plain(params)
        wire.check_serializable(operation_name, request)
        validation.check_request(operation_name, request)
    return handler_for(operation)(world, request)


class ClientMeta:
    """``client.meta``: the bits of boto3's that code commonly reads."""

    service_name = "sagemaker"

    def __init__(self, region_name: str) -> None:
        self.region_name = region_name


class Client(Generic[E]):
    """A SageMaker client served in-process by an :class:`Emulator`.

    Methods take boto3's keyword arguments and return boto3-shaped dicts;
    errors are boto3's (``ParamValidationError`` for what botocore checks
    client-side, ``ClientError`` subclasses for what the service answers).
    ``client.emulator`` holds the controls that are not AWS API.
    """

    def __init__(self, emulator: E, *, region_name: str, account_id: str) -> None:
        self.emulator: E = emulator
        self.world = emulator.world(account_id, region_name)
        self.exceptions = ClientExceptions()
        self.meta = ClientMeta(region_name)

    def call(
        self, operation_name: str, params: dict[str, Any], *, botocore_checked: bool = False
    ) -> dict[str, Any]:
        """Serve one API call by its AWS name (``"CreateTrainingJob"``).

        ``botocore_checked``: botocore's own ParamValidator already ran (the boto3
        path), so the same client-side checks are not repeated.
        """
        operation = OPERATIONS[operation_name]
        if not botocore_checked:
            params = _with_idempotency_tokens(self.emulator, operation_name, params)
        request = fastpath.valid_copy(operation_name, params)
        checked = request is not None
        if request is None:
            if not botocore_checked:
                validation.check_params(operation_name, params)
            # From here on, the request as botocore sends it: plain types only.
            request = plain(params)
            if not botocore_checked:
                wire.check_serializable(operation_name, request)
        emulator = self.emulator
        with emulator.lock:
            request_id = emulator.request_id()
            try:
                if not checked:
                    validation.check_request(operation_name, request)
                handler = handler_for(operation)
                emulator.run_due()
                response = handler(self.world, request)
            except ApiError as error:
                raise to_client_error(error, operation_name, request_id) from None
        response["ResponseMetadata"] = {
            "RequestId": request_id,
            "HTTPStatusCode": 200,
            "HTTPHeaders": {
                "x-amzn-requestid": request_id,
                "content-type": "application/x-amz-json-1.1",
            },
            "RetryAttempts": 0,
        }
        return response

    def can_paginate(self, operation_name: str) -> bool:
        """Whether ``get_paginator`` knows the (snake_case) operation."""
        return operation_name in PAGINATORS

    def get_paginator(self, operation_name: str) -> Any:
        """A boto3-style paginator for a list operation."""
        return Paginator(self, operation_name)

    def get_waiter(self, waiter_name: str) -> Any:
        """A boto3-style waiter (``training_job_completed_or_stopped``, ...)."""
        return Waiter(self, waiter_name)

    def __repr__(self) -> str:
        world = self.world
        return f"<sagemaker_lite.Client account={world.account} region={world.region}>"

    if TYPE_CHECKING:  # the methods generated from the operation table

        def __getattr__(self, name: str) -> Callable[..., dict[str, Any]]: ...


def _method(operation: Operation) -> Callable[..., dict[str, Any]]:
    def method(self: Client[Any], **params: Any) -> dict[str, Any]:
        return self.call(operation.name, params)

    method.__name__ = operation.python_name
    method.__qualname__ = f"Client.{operation.python_name}"
    method.__doc__ = (
        f"``{operation.name}``: takes boto3's keyword arguments and returns its response dict."
    )
    return method


for _operation in OPERATIONS.values():
    setattr(Client, _operation.python_name, _method(_operation))
