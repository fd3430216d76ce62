"""Exceptions shaped exactly like the ones boto3 raises for SageMaker.

When botocore is installed our classes *are* subclasses of
``botocore.exceptions.ClientError`` (and ``ParamValidationError`` is botocore's
own class), so code written against boto3 catches them unchanged.  Without
botocore, look-alike bases with the same attributes and ``str()`` are used.

The service layer never builds client exceptions itself: it raises
:class:`ApiError` (a code and a message), and the client turns that into the
right class with the operation's name, as botocore does on a 400 response.
"""

from __future__ import annotations

from typing import Any

try:  # pragma: no cover - exercised by whichever environment runs the tests
    from botocore.exceptions import ClientError, ParamValidationError
except ImportError:  # pragma: no cover

    class ClientError(Exception):  # type: ignore[no-redef]
        """Look-alike of ``botocore.exceptions.ClientError``."""

        MSG_TEMPLATE = (
            "An error occurred ({error_code}) when calling the {operation_name} "
            "operation: {error_message}"
        )

        def __init__(self, error_response: dict[str, Any], operation_name: str) -> None:
            error = error_response.get("Error", {})
            super().__init__(
                self.MSG_TEMPLATE.format(
                    error_code=error.get("Code", "Unknown"),
                    error_message=error.get("Message", "Unknown"),
                    operation_name=operation_name,
                )
            )
            self.response = error_response
            self.operation_name = operation_name

    class ParamValidationError(Exception):  # type: ignore[no-redef]
        """Look-alike of ``botocore.exceptions.ParamValidationError``."""

        fmt = "Parameter validation failed:\n{report}"

        def __init__(self, **kwargs: Any) -> None:
            super().__init__(self.fmt.format(**kwargs))
            self.kwargs = kwargs


class ResourceNotFound(ClientError):  # type: ignore[misc]
    """The named resource does not exist (modeled SageMaker error)."""


class ResourceInUse(ClientError):  # type: ignore[misc]
    """The resource is in use or already exists (modeled SageMaker error)."""


class ResourceLimitExceeded(ClientError):  # type: ignore[misc]
    """An account or service limit was hit (modeled SageMaker error)."""


class ConflictException(ClientError):  # type: ignore[misc]
    """The request conflicts with the resource's state (modeled SageMaker error)."""


#: Error codes botocore models for SageMaker, each with its class.  Any other
#: code (``ValidationException`` above all) is raised as a plain ClientError,
#: exactly as boto3 does.
MODELED_ERRORS: dict[str, type[ClientError]] = {
    cls.__name__: cls
    for cls in (ResourceNotFound, ResourceInUse, ResourceLimitExceeded, ConflictException)
}

HTTP_STATUS = 400


class ApiError(Exception):
    """An error the (emulated) service answers with: an AWS error code and message."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message


def validation_error(message: str) -> ApiError:
    """The service's ``ValidationException`` (HTTP 400)."""
    return ApiError("ValidationException", message)


def to_client_error(error: ApiError, operation_name: str, request_id: str) -> ClientError:
    """Build the exception boto3 would raise for ``error`` on ``operation_name``."""
    response: dict[str, Any] = {
        "Error": {"Code": error.code, "Message": error.message},
        "ResponseMetadata": {
            "RequestId": request_id,
            "HTTPStatusCode": HTTP_STATUS,
            "HTTPHeaders": {
                "x-amzn-requestid": request_id,
                "content-type": "application/x-amz-json-1.1",
            },
            "RetryAttempts": 0,
        },
    }
    cls = MODELED_ERRORS.get(error.code)
    if cls is None:
        return ClientError(response, operation_name)
    # botocore copies a modeled error's members (here just Message) to the top level.
    response["Message"] = error.message
    return cls(response, operation_name)


class ClientExceptions:
    """``client.exceptions``: the modeled classes plus ``ClientError``, as on boto3."""

    ClientError = ClientError
    ResourceNotFound = ResourceNotFound
    ResourceInUse = ResourceInUse
    ResourceLimitExceeded = ResourceLimitExceeded
    ConflictException = ConflictException

    def from_code(self, code: str) -> type[Exception]:
        """The class raised for an error code (``ClientError`` when unmodeled)."""
        cls: type[Exception] = MODELED_ERRORS.get(code, ClientError)
        return cls


__all__ = [
    "ApiError",
    "ClientError",
    "ClientExceptions",
    "ConflictException",
    "ParamValidationError",
    "ResourceInUse",
    "ResourceLimitExceeded",
    "ResourceNotFound",
    "to_client_error",
    "validation_error",
]
