"""Inside mock_sagemaker(), botocore sessions share their loaded models; nothing else changes."""

from __future__ import annotations

import copy
import json
import pickle
from pathlib import Path
from typing import Any

import boto3
import botocore.loaders
import pytest
from botocore.exceptions import UnknownServiceError

from sagemaker_lite import mock_sagemaker
from sagemaker_lite.surfaces import shared_models


def _model(session: Any, service: str) -> Any:
    return session.client(service, region_name="us-east-1").meta.service_model


def _made_up_service(root: Path, operation: str) -> None:
    """Write a minimal service model for ``madeup`` under ``root`` (an AWS_DATA_PATH)."""
    folder = root / "madeup" / "2020-01-01"
    folder.mkdir(parents=True, exist_ok=True)
    model = {
        "version": "2.0",
        "metadata": {
            "apiVersion": "2020-01-01",
            "endpointPrefix": "madeup",
            "jsonVersion": "1.1",
            "protocol": "json",
            "serviceId": "MadeUp",
            "signatureVersion": "v4",
            "targetPrefix": "MadeUp",
            "uid": "madeup-2020-01-01",
        },
        "operations": {
            operation: {
                "name": operation,
                "http": {"method": "POST", "requestUri": "/"},
                "input": {"shape": "Empty"},
                "output": {"shape": "Empty"},
            }
        },
        "shapes": {"Empty": {"type": "structure", "members": {}}},
    }
    (folder / "service-2.json").write_text(json.dumps(model))


def test_sessions_created_inside_share_one_parsed_model() -> None:
    with mock_sagemaker():
        first = _model(boto3.Session(), "sagemaker")
        second = _model(boto3.Session(), "sagemaker")
        # The same loaded description, not a second parse of the same file.
        assert second._service_description is first._service_description
        assert second.operation_names == first.operation_names


def test_the_shared_cache_is_removed_when_the_last_mock_exits() -> None:
    plain_init = botocore.loaders.Loader.__init__
    with mock_sagemaker():
        with mock_sagemaker():
            inside = boto3.Session()
            _model(inside, "sagemaker")
        assert botocore.loaders.Loader.__init__ is not plain_init  # the outer mock is open
    assert botocore.loaders.Loader.__init__ is plain_init
    assert shared_models._store is None
    first, second = _model(boto3.Session(), "sagemaker"), _model(boto3.Session(), "sagemaker")
    assert second._service_description is not first._service_description
    # A session made inside keeps working, and what it loaded stays its own.
    again = _model(inside, "sagemaker")
    assert again._service_description is not first._service_description
    assert again.operation_names == first.operation_names


def test_a_custom_data_path_is_read_as_botocore_reads_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with mock_sagemaker():
        default = boto3.Session()
        _model(default, "sagemaker")  # the default search path's services, loaded first
        with pytest.raises(UnknownServiceError):
            _model(default, "madeup")
        monkeypatch.setenv("AWS_DATA_PATH", str(tmp_path))
        _made_up_service(tmp_path, "DoFirst")
        custom = boto3.Session()
        assert _model(custom, "madeup").operation_names == ["DoFirst"]
        # A file rewritten meanwhile is what the next session reads, as outside the mock;
        # the built-in models it shares are still the ones everyone else loaded.
        _made_up_service(tmp_path, "DoSecond")
        later = boto3.Session()
        assert _model(later, "madeup").operation_names == ["DoSecond"]
        assert _model(later, "sagemaker").operation_names == (
            _model(default, "sagemaker").operation_names
        )


def test_a_loader_made_inside_copies_and_pickles_as_botocore_s_does() -> None:
    with mock_sagemaker():
        loader = botocore.loaders.create_loader()
        endpoints = loader.load_data("endpoints")
        for twin in (pickle.loads(pickle.dumps(loader)), copy.deepcopy(loader)):
            assert type(twin._cache) is dict
            assert twin.load_data("endpoints") == endpoints
