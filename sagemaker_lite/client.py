"""Public path of the direct client (it lives in :mod:`sagemaker_lite.surfaces.client`)."""

from sagemaker_lite.surfaces.client import Client, ClientMeta, handler_for

__all__ = ["Client", "ClientMeta", "handler_for"]
