"""The SageMaker Python SDK v2 trains, deploys, predicts, updates and deletes under the
default ``mock_sagemaker()`` (S3 and STS served by moto)."""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Iterator
from typing import Any

import boto3
import factories
import pytest

from sagemaker_lite import Emulator, mock_sagemaker
from sagemaker_lite.families.shared.inference import score

os.environ.setdefault("SAGEMAKER_SUPPRESS_V2_WARNING", "1")
sagemaker = pytest.importorskip("sagemaker")
moto = pytest.importorskip("moto")

from sagemaker.deserializers import CSVDeserializer, JSONDeserializer  # noqa: E402
from sagemaker.serializers import CSVSerializer, JSONSerializer  # noqa: E402

BUCKET = "my-bucket"


@pytest.fixture
def world() -> Iterator[tuple[Emulator, Any]]:
    with moto.mock_aws(), mock_sagemaker() as emulator:
        boto_session = boto3.Session(region_name="us-east-1")
        factories.seed_inputs(boto_session.client("s3"), BUCKET)
        yield emulator, sagemaker.Session(boto_session=boto_session, default_bucket=BUCKET)


def _sums(body: bytes, content_type: str) -> tuple[bytes, str]:
    """A fake model: the sum of each CSV row, or of each JSON row."""
    if content_type == "text/csv":
        rows = [[float(x) for x in line.split(",")] for line in body.decode().splitlines()]
        return "\n".join(str(sum(r)) for r in rows).encode(), "text/csv"
    return json.dumps({"sums": [sum(r) for r in json.loads(body)]}).encode(), "application/json"


def test_train_deploy_predict_update_delete(
    world: tuple[Emulator, Any], real_sleeps: list[float]
) -> None:
    emulator, session = world
    emulator.script_model(factories.SDK_IMAGE, respond=_sums)
    estimator = factories.sdk_estimator(session, BUCKET)
    estimator.fit({"train": f"s3://{BUCKET}/data/train"}, logs=False)
    predictor = estimator.deploy(
        initial_instance_count=1,
        instance_type="ml.m5.large",
        serializer=CSVSerializer(),
        deserializer=CSVDeserializer(),
    )
    client = session.sagemaker_client
    described = client.describe_endpoint(EndpointName=predictor.endpoint_name)
    assert described["EndpointStatus"] == "InService"
    assert predictor.predict([[1, 2], [3, 4]]) == [["3.0"], ["7.0"]]
    predictor.serializer, predictor.deserializer = JSONSerializer(), JSONDeserializer()
    assert predictor.predict([[1, 2, 3]]) == {"sums": [6]}

    predictor.update_endpoint(initial_instance_count=2, instance_type="ml.m5.xlarge")
    variant = client.describe_endpoint(EndpointName=predictor.endpoint_name)["ProductionVariants"][
        0
    ]
    assert variant["CurrentInstanceCount"] == 2
    assert predictor.predict([[5, 5]]) == {"sums": [10]}

    predictor.delete_model()
    predictor.delete_endpoint()
    assert client.describe_endpoint(EndpointName=predictor.endpoint_name)["EndpointStatus"] == (
        "Deleting"
    )
    assert client.list_models()["Models"] == []
    assert real_sleeps == []


def test_serverless_deploy_and_a_failing_deploy(world: tuple[Emulator, Any]) -> None:
    from sagemaker.model import Model
    from sagemaker.serverless import ServerlessInferenceConfig

    emulator, session = world
    model = Model(
        image_uri=factories.SDK_IMAGE,
        model_data=f"s3://{BUCKET}/{factories.MODEL_DATA}",  # seeded: CreateModel reads it
        role=factories.ROLE,
        sagemaker_session=session,
    )
    model.deploy(
        serverless_inference_config=ServerlessInferenceConfig(memory_size_in_mb=2048),
        endpoint_name="serverless",
    )
    predictor = sagemaker.predictor.Predictor("serverless", sagemaker_session=session)
    variant = session.sagemaker_client.describe_endpoint(EndpointName="serverless")[
        "ProductionVariants"
    ][0]
    assert variant["CurrentServerlessConfig"]["MemorySizeInMB"] == 2048
    # The default model (no script): a score per record; the body is JSON for a type it
    # does not write (the SDK's default IdentitySerializer sends no CSV or JSON).
    assert json.loads(predictor.predict(b"1,2")) == {"predictions": [score(b"1,2")]}
    np = pytest.importorskip("numpy")
    from sagemaker.deserializers import NumpyDeserializer
    from sagemaker.serializers import NumpySerializer

    predictor.serializer, predictor.deserializer = NumpySerializer(), NumpyDeserializer()
    assert predictor.predict(np.zeros((4, 3))).shape == (4,)  # a score per row

    emulator.script_endpoint("broken", fail_at="Creating")
    with pytest.raises(sagemaker.exceptions.UnexpectedStatusException, match="ping health"):
        model.deploy(initial_instance_count=1, instance_type="ml.m5.large", endpoint_name="broken")


def test_a_tuners_best_job_deploys(world: tuple[Emulator, Any], real_sleeps: list[float]) -> None:
    """HyperparameterTuner.deploy(): the best training job's model, on an endpoint named
    after it, answering as its image's script says."""
    from sagemaker.parameter import ContinuousParameter
    from sagemaker.tuner import HyperparameterTuner

    emulator, session = world
    emulator.script_training(metrics=lambda hp: {"validation:rmse": float(hp["eta"])})
    emulator.script_model(factories.SDK_IMAGE, respond=_sums)
    tuner: Any = HyperparameterTuner(
        factories.sdk_estimator(session, BUCKET),
        objective_metric_name="validation:rmse",
        objective_type="Minimize",
        hyperparameter_ranges={"eta": ContinuousParameter(0.1, 0.5)},
        metric_definitions=[{"Name": "validation:rmse", "Regex": "rmse: ([0-9.]+)"}],
        max_jobs=3,
        max_parallel_jobs=3,
        strategy="Random",
    )
    tuner.fit({"train": f"s3://{BUCKET}/data/train"})
    tuner.wait()
    best = tuner.best_training_job()
    predictor = tuner.deploy(
        initial_instance_count=1,
        instance_type="ml.m5.large",
        serializer=JSONSerializer(),
        deserializer=JSONDeserializer(),
    )
    assert predictor.endpoint_name == best  # the SDK names the endpoint after the job
    client = session.sagemaker_client
    described = client.describe_endpoint(EndpointName=best)
    assert described["EndpointStatus"] == "InService"
    config = client.describe_endpoint_config(EndpointConfigName=described["EndpointConfigName"])
    model = client.describe_model(ModelName=config["ProductionVariants"][0]["ModelName"])
    artifacts = client.describe_training_job(TrainingJobName=best)["ModelArtifacts"]
    assert model["PrimaryContainer"]["ModelDataUrl"] == artifacts["S3ModelArtifacts"]
    assert predictor.predict([[1, 2], [3, 4]]) == {"sums": [3, 7]}
    predictor.delete_endpoint()
    assert real_sleeps == []


def test_async_deploy_and_predict_read_the_answer_from_s3(
    world: tuple[Emulator, Any], real_sleeps: list[float]
) -> None:
    """AsyncInferenceConfig: AsyncPredictor.predict uploads the input, InvokeEndpointAsync
    writes the answer under the output path, and predict reads it back from S3."""
    from sagemaker.async_inference import AsyncInferenceConfig
    from sagemaker.model import Model

    emulator, session = world
    # The SDK's AsyncPredictor sends no ContentType (the input's type is on its S3
    # object), so this model reads CSV whatever the type.
    emulator.script_model(factories.SDK_IMAGE, respond=lambda body, kind: _sums(body, "text/csv"))
    model = Model(
        image_uri=factories.SDK_IMAGE,
        model_data=f"s3://{BUCKET}/{factories.MODEL_DATA}",  # seeded: CreateModel reads it
        role=factories.ROLE,
        sagemaker_session=session,
        predictor_cls=sagemaker.predictor.Predictor,
    )
    output = f"s3://{BUCKET}/async-out/"
    predictor = model.deploy(
        initial_instance_count=1,
        instance_type="ml.m5.large",
        endpoint_name="queued",
        async_inference_config=AsyncInferenceConfig(output_path=output),
        serializer=CSVSerializer(),
        deserializer=CSVDeserializer(),
    )
    assert type(predictor).__name__ == "AsyncPredictor"
    described = session.sagemaker_client.describe_endpoint(EndpointName="queued")
    assert described["AsyncInferenceConfig"]["OutputConfig"]["S3OutputPath"] == output
    assert predictor.predict([[1, 2], [3, 4]]) == [["3.0"], ["7.0"]]
    response = predictor.predict_async([[5, 5]])
    assert response.output_path.startswith(output)
    assert response.get_result() == [["10.0"]]
    s3 = session.boto_session.client("s3")
    keys = [o["Key"] for o in s3.list_objects_v2(Bucket=BUCKET, Prefix="async-out/")["Contents"]]
    assert len(keys) == 2 and all(key.endswith(".out") for key in keys)
    # The SDK leaves a thread polling the failure path until its waiter gives up: in
    # virtual time, so it ends before the mocks do.
    for thread in threading.enumerate():
        if thread.name.endswith("(check_failure_file)"):
            thread.join(timeout=10)
            assert not thread.is_alive()
    assert real_sleeps == []
