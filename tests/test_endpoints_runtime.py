"""Real-time inference through sagemaker-runtime, and what a model answers (shared module)."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as _dt
import io
import json
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from factories import IMAGE, endpoint_config_request, model_request

from sagemaker_lite import Emulator, mock_sagemaker
from sagemaker_lite.families.shared import inference

np = pytest.importorskip("numpy")


@pytest.fixture
def served() -> Iterator[tuple[Emulator, Any, Any]]:
    """An endpoint ``ep`` InService with two variants (weights 3:1), and both clients."""
    with mock_sagemaker() as emulator:
        sm = boto3.client("sagemaker", region_name="us-east-1")
        runtime = boto3.client("sagemaker-runtime", region_name="us-east-1")
        sm.create_model(**model_request("blue"))
        sm.create_model(**model_request("green", PrimaryContainer={"Image": "green:2"}))
        config = endpoint_config_request("config-1", model="blue")
        config["ProductionVariants"][0].update(VariantName="Blue", InitialVariantWeight=3.0)
        config["ProductionVariants"].append(
            {**config["ProductionVariants"][0], "VariantName": "Green", "ModelName": "green",
             "InitialVariantWeight": 1.0}
        )  # fmt: skip
        sm.create_endpoint_config(**config)
        sm.create_endpoint(EndpointName="ep", EndpointConfigName="config-1")
        emulator.advance(300)
        yield emulator, sm, runtime


def test_the_default_model_answers_each_format(served: tuple[Emulator, Any, Any]) -> None:
    _, _, runtime = served
    csv = runtime.invoke_endpoint(
        EndpointName="ep", Body="1,2\n3,4\n", ContentType="text/csv", TargetVariant="Blue"
    )
    assert csv["ContentType"] == "text/csv" and csv["InvokedProductionVariant"] == "Blue"
    lines = csv["Body"].read().decode().splitlines()
    assert [float(x) for x in lines] == [inference.score(b"1,2"), inference.score(b"3,4")]
    answer = runtime.invoke_endpoint(
        EndpointName="ep", Body=json.dumps([[1, 2]]), ContentType="application/json"
    )
    assert json.loads(answer["Body"].read())["predictions"] == [inference.score(b"[1, 2]")]
    buffer = io.BytesIO()
    np.save(buffer, np.zeros((3, 2)))
    npy = runtime.invoke_endpoint(
        EndpointName="ep",
        Body=buffer.getvalue(),
        ContentType="application/x-npy",
        Accept="application/x-npy",
    )
    assert np.load(io.BytesIO(npy["Body"].read())).shape == (3,)


def test_a_scripted_model_by_image_and_its_errors(served: tuple[Emulator, Any, Any]) -> None:
    emulator, _, runtime = served
    emulator.script_model(IMAGE, respond=lambda body, kind: (body[::-1], "text/plain"))

    def fails(body: bytes, kind: str) -> bytes:
        raise inference.ModelFailure("bad input", status=400)

    emulator.script_model("green", respond=fails)
    blue = runtime.invoke_endpoint(EndpointName="ep", Body=b"abc", TargetVariant="Blue")
    assert (blue["Body"].read(), blue["ContentType"]) == (b"cba", "text/plain")
    with pytest.raises(runtime.exceptions.ModelError) as caught:
        runtime.invoke_endpoint(EndpointName="ep", Body=b"abc", TargetVariant="Green")
    error = caught.value.response
    assert error["OriginalStatusCode"] == 400 and error["OriginalMessage"] == "bad input"
    assert error["Error"]["Message"].startswith(
        'Received client error (400) from primary with message "bad input". See https://'
    )
    assert ":log-group:/aws/sagemaker/Endpoints/ep:log-stream:Green/i-" in error["LogStreamArn"]
    with pytest.raises(runtime.exceptions.ValidationError, match="Variant Red not found"):
        runtime.invoke_endpoint(EndpointName="ep", Body=b"abc", TargetVariant="Red")


def test_missing_or_unready_endpoints_answer_the_runtimes_error(
    served: tuple[Emulator, Any, Any],
) -> None:
    _, sm, runtime = served
    sm.create_endpoint(EndpointName="new", EndpointConfigName="config-1")
    for name in ("new", "nothing"):
        with pytest.raises(runtime.exceptions.ValidationError) as caught:
            runtime.invoke_endpoint(EndpointName=name, Body=b"1")
        assert caught.value.response["Error"]["Message"] == (
            f"Endpoint {name} of account 123456789012 not found."
        )


def test_traffic_follows_the_weights_deterministically(
    served: tuple[Emulator, Any, Any],
) -> None:
    _, _, runtime = served
    seen = [
        runtime.invoke_endpoint(EndpointName="ep", Body=b"1")["InvokedProductionVariant"]
        for _ in range(400)
    ]
    assert 0.65 < seen.count("Blue") / len(seen) < 0.85  # weights 3:1


def test_aiobotocore_reads_the_answer() -> None:
    aio = pytest.importorskip("aiobotocore.session")

    async def run() -> bytes:
        async with aio.get_session().create_client(
            "sagemaker-runtime", region_name="us-east-1"
        ) as runtime:
            answer = await runtime.invoke_endpoint(
                EndpointName="ep", Body=b"1,2", ContentType="text/csv"
            )
            body: bytes = await answer["Body"].read()
            return body

    with mock_sagemaker() as emulator:
        sm = boto3.client("sagemaker", region_name="us-east-1")
        sm.create_model(**model_request("model-1"))
        sm.create_endpoint_config(**endpoint_config_request())
        sm.create_endpoint(EndpointName="ep", EndpointConfigName="config-1")
        emulator.advance(300)
        assert asyncio.run(run()) == f"{inference.score(b'1,2')}\n".encode()


# --- the shared module, as batch transform calls it ------------------------------------


class _Script:
    def __init__(self, match: Any, respond: Any) -> None:
        self.match, self.respond = match, respond


def test_transform_object_splits_joins_and_filters() -> None:
    upper = [_Script("m", lambda body, kind: body.upper())]
    model = {"ModelName": "m"}
    out = inference.transform_object(
        upper,
        model,
        b"1,a\n2,b\n",
        content_type="text/csv",
        split_type="Line",
        assemble_with="Line",
        input_filter="$[1:]",
        join_source="Input",
        output_filter="$[0,-1]",
    )
    assert out == b"1,A\n2,B\n"
    records = b'{"id": 1, "x": [1]}\n{"id": 2, "x": [2]}\n'
    out = inference.transform_object(
        [_Script(None, lambda body, kind: b"7")],
        model,
        records,
        content_type="application/json",
        split_type="Line",
        batch_strategy="SingleRecord",
        assemble_with="None",
        input_filter="$.x",
        join_source="Input",
        output_filter="$['id','SageMakerOutput']",
    )
    assert out == b"[1, 7][2, 7]"
    whole = inference.transform_object([], model, b"9,9", content_type="text/csv")
    assert whole == f"{inference.score(b'9,9')}\n".encode()


def test_matching_and_the_jsonpath_subset() -> None:
    model = model_request(
        "m", PrimaryContainer={"Image": "img:1", "ModelDataUrl": "s3://my-bucket/m"}
    )
    assert all(inference.matches(m, model) for m in (None, "m", "img:1", "s3://my-bucket/m"))
    assert not inference.matches("other", model)
    assert inference.jsonpath("$.a[1:]", {"a": [1, 2, 3]}) == [2, 3]
    assert inference.jsonpath("$['a'][-1]", {"a": [1, 2, 3]}) == 3
    with pytest.raises(inference.TransformFailure):
        inference.jsonpath("$.missing", {})


def test_logs_and_metrics_follow_the_invocations_served(
    served: tuple[Emulator, Any, Any],
) -> None:
    emulator, _, runtime = served

    def fails(body: bytes, kind: str) -> bytes:
        raise ValueError("cannot parse")

    emulator.script_model("green", respond=fails)
    for target in ("Blue", "Blue", "Green"):
        with contextlib.suppress(runtime.exceptions.ModelError):
            runtime.invoke_endpoint(EndpointName="ep", Body=b"1,2", TargetVariant=target)
    logs = boto3.client("logs", region_name="us-east-1")
    streams = logs.describe_log_streams(logGroupName="/aws/sagemaker/Endpoints/ep")["logStreams"]
    names = [s["logStreamName"] for s in streams]
    assert len(names) == 2 and {n.split("/")[0] for n in names} == {"Blue", "Green"}
    green = next(n for n in names if n.startswith("Green/"))
    messages = [e["message"] for e in logs.get_log_events(
        logGroupName="/aws/sagemaker/Endpoints/ep", logStreamName=green, startFromHead=True
    )["events"]]  # fmt: skip
    assert messages[-1] == "Invocation error (500): ValueError: cannot parse"
    with pytest.raises(logs.exceptions.ResourceNotFoundException):
        logs.describe_log_streams(logGroupName="/aws/sagemaker/Endpoints/other")

    cloudwatch = boto3.client("cloudwatch", region_name="us-east-1")
    now = emulator.clock.now()

    def total(metric: str, variant: str) -> float:
        points = cloudwatch.get_metric_statistics(
            Namespace="AWS/SageMaker",
            MetricName=metric,
            Dimensions=[
                {"Name": "EndpointName", "Value": "ep"},
                {"Name": "VariantName", "Value": variant},
            ],
            StartTime=now - _dt.timedelta(hours=1),
            EndTime=now + _dt.timedelta(minutes=1),
            Period=3600,
            Statistics=["Sum"],
        )["Datapoints"]
        return float(sum(p["Sum"] for p in points))

    assert total("Invocations", "Blue") == 2 and total("Invocations", "Green") == 1
    assert total("Invocation5XXErrors", "Green") == 1 and total("Invocation5XXErrors", "Blue") == 0
    assert total("ModelLatency", "Blue") > 0 and total("ModelLatency", "Green") == 0


def test_async_inference_reads_and_writes_s3_through_moto() -> None:
    moto = pytest.importorskip("moto")
    with moto.mock_aws(), mock_sagemaker() as emulator:
        s3 = boto3.client("s3", region_name="us-east-1")
        s3.create_bucket(Bucket="my-bucket")
        s3.put_object(Bucket="my-bucket", Key="in/1.csv", Body=b"1,2\n")
        s3.put_object(Bucket="my-bucket", Key="model.tar.gz", Body=b"")  # CreateModel reads it
        sm = boto3.client("sagemaker", region_name="us-east-1")
        runtime = boto3.client("sagemaker-runtime", region_name="us-east-1")
        model = model_request("model-1")
        model["PrimaryContainer"]["ModelDataUrl"] = "s3://my-bucket/model.tar.gz"
        sm.create_model(**model)
        async_config = {"OutputConfig": {"S3OutputPath": "s3://my-bucket/out/",
                                         "S3FailurePath": "s3://my-bucket/failed"}}  # fmt: skip
        sm.create_endpoint_config(**endpoint_config_request(AsyncInferenceConfig=async_config))
        sm.create_endpoint(EndpointName="ep", EndpointConfigName="config-1")
        emulator.advance(300)
        answer = runtime.invoke_endpoint_async(
            EndpointName="ep", InputLocation="s3://my-bucket/in/1.csv", ContentType="text/csv"
        )
        assert answer["ResponseMetadata"]["HTTPStatusCode"] == 202
        identifier = answer["InferenceId"]
        assert answer["OutputLocation"] == f"s3://my-bucket/out/{identifier}.out"
        assert answer["FailureLocation"] == f"s3://my-bucket/failed/{identifier}-error.out"
        output = s3.get_object(Bucket="my-bucket", Key=f"out/{identifier}.out")["Body"].read()
        assert output == f"{inference.score(b'1,2')}\n".encode()
        with pytest.raises(runtime.exceptions.ValidationError, match="Could not read"):
            runtime.invoke_endpoint_async(EndpointName="ep", InputLocation="s3://my-bucket/none")


def test_async_inference_without_s3_served_fails_loudly() -> None:
    with mock_sagemaker():
        runtime = boto3.client("sagemaker-runtime", region_name="us-east-1")
        with pytest.raises(NotImplementedError, match="moto's mock_aws"):
            runtime.invoke_endpoint_async(EndpointName="ep", InputLocation="s3://my-bucket/in")


# --- request constraints (botocore's sagemaker-runtime model) --------------------------------


def test_a_body_over_the_documented_6_mb_is_refused_as_aws_refuses_it(
    served: tuple[Emulator, Any, Any],
) -> None:
    """Up to 6 MB is served; a little over it the runtime's ValidationError (the value not
    echoed: Body is sensitive); far over it the HTTP front end's 413, in plain text."""
    from botocore.exceptions import ClientError

    _, _, runtime = served
    limit = 6 * 1024 * 1024
    assert runtime.invoke_endpoint(EndpointName="ep", Body=b"1" * limit)["Body"].read()
    with pytest.raises(runtime.exceptions.ValidationError) as caught:
        runtime.invoke_endpoint(EndpointName="ep", Body=b"1" * (limit + 1))
    assert caught.value.response["Error"]["Message"] == (
        "1 validation error detected: Value at 'body' failed to satisfy constraint: "
        "Member must have length less than or equal to 6291456"
    )
    with pytest.raises(ClientError) as refused:
        runtime.invoke_endpoint(EndpointName="ep", Body=b"1" * (limit + 8192))
    assert refused.value.response["Error"] == {
        "Code": "413",
        "Message": "HTTP content length exceeded 6295552 bytes.",
    }
    assert refused.value.response["ResponseMetadata"]["HTTPStatusCode"] == 413
    assert str(refused.value).startswith("An error occurred (413) when calling the InvokeEndpoint")


def test_header_and_name_constraints_answer_the_runtimes_validation_error(
    served: tuple[Emulator, Any, Any],
) -> None:
    _, _, runtime = served
    cases = {
        "EndpointName": ("ep_1", "Value 'ep_1' at 'endpointName' failed to satisfy constraint: "
                         "Member must satisfy regular expression pattern: "
                         "^[a-zA-Z0-9](-*[a-zA-Z0-9])*"),
        "ContentType": ("t" * 1025, "at 'contentType' failed to satisfy constraint: "
                        "Member must have length less than or equal to 1024"),
        "Accept": ("tëxt/csv", "Value 'tëxt/csv' at 'accept' failed to satisfy constraint: "
                   "Member must satisfy regular expression pattern: \\p{ASCII}*"),
        "CustomAttributes": ("ä", "Value at 'customAttributes' failed to satisfy constraint: "
                             "Member must satisfy regular expression pattern: \\p{ASCII}*"),
        "TargetVariant": ("-blue", "Value '-blue' at 'targetVariant' failed to satisfy"),
        "InferenceId": (" id", "Value ' id' at 'inferenceId' failed to satisfy constraint: "
                        "Member must satisfy regular expression pattern: \\A\\S[\\p{Print}]*\\z"),
    }  # fmt: skip
    for member, (value, text) in cases.items():
        request = {"EndpointName": "ep", "Body": b"1", member: value}
        with pytest.raises(runtime.exceptions.ValidationError) as caught:
            runtime.invoke_endpoint(**request)
        message = caught.value.response["Error"]["Message"]
        assert message.startswith("1 validation error detected: ") and text in message, message
    with pytest.raises(
        runtime.exceptions.ValidationError, match=": 2 validation errors detected: "
    ):
        runtime.invoke_endpoint(EndpointName="ep", Body=b"1", Accept="ä", TargetVariant="-b")


def test_botocore_checks_the_minimums_first_and_the_service_when_it_does_not() -> None:
    """An empty InferenceId: botocore's ParamValidationError (its min check runs before the
    call); with parameter_validation off the service's ValidationError says the same."""
    from botocore.config import Config
    from botocore.exceptions import ParamValidationError

    with mock_sagemaker():
        runtime = boto3.client("sagemaker-runtime", region_name="us-east-1")
        with pytest.raises(ParamValidationError, match="valid min length: 1"):
            runtime.invoke_endpoint(EndpointName="ep", Body=b"1", InferenceId="")
        unchecked = boto3.client(
            "sagemaker-runtime", region_name="us-east-1", config=Config(parameter_validation=False)
        )
        with pytest.raises(unchecked.exceptions.ValidationError) as caught:
            unchecked.invoke_endpoint(EndpointName="ep", Body=b"1", InferenceId="")
        assert caught.value.response["Error"]["Message"] == (
            "2 validation errors detected: Value '' at 'inferenceId' failed to satisfy "
            "constraint: Member must have length greater than or equal to 1; Value '' at "
            "'inferenceId' failed to satisfy constraint: Member must satisfy regular "
            "expression pattern: \\A\\S[\\p{Print}]*\\z"
        )


def test_async_requests_are_checked_before_s3_is_read() -> None:
    with mock_sagemaker():
        runtime = boto3.client("sagemaker-runtime", region_name="us-east-1")
        with pytest.raises(runtime.exceptions.ValidationError) as caught:
            runtime.invoke_endpoint_async(EndpointName="ep", InputLocation="ftp://bucket/in")
        assert caught.value.response["Error"]["Message"] == (
            "1 validation error detected: Value 'ftp://bucket/in' at 'inputLocation' failed to "
            "satisfy constraint: Member must satisfy regular expression pattern: "
            "^(https|s3)://([^/]+)/?(.*)$"
        )


# --- InvokeEndpointWithResponseStream: botocore's own event-stream parsing ------------------


def test_a_streamed_answer_arrives_as_payload_parts(served: tuple[Emulator, Any, Any]) -> None:
    """Unscripted: the default answer in one PayloadPart; a script yielding parts: one
    PayloadPart each, then, if it breaks off, the ModelStreamError botocore raises."""
    emulator, _, runtime = served
    answer = runtime.invoke_endpoint_with_response_stream(
        EndpointName="ep", Body=b"1,2\n", ContentType="text/csv", TargetVariant="Blue"
    )
    assert (answer["ContentType"], answer["InvokedProductionVariant"]) == ("text/csv", "Blue")
    assert answer["ResponseMetadata"]["HTTPHeaders"]["content-type"] == (
        "application/vnd.amazon.eventstream"
    )
    expected = f"{inference.score(b'1,2')}\n".encode()
    assert list(answer["Body"]) == [{"PayloadPart": {"Bytes": expected}}]

    def tokens(body: bytes, kind: str) -> Any:
        yield from (b"Hello", b", ", b"world")
        if body == b"long":
            raise inference.ModelFailure("out of memory")

    emulator.script_model(IMAGE, respond=lambda body, kind: (tokens(body, kind), "text/plain"))
    answer = runtime.invoke_endpoint_with_response_stream(
        EndpointName="ep", Body=b"hi", TargetVariant="Blue"
    )
    assert answer["ContentType"] == "text/plain"
    parts = [event["PayloadPart"]["Bytes"] for event in answer["Body"]]
    assert parts == [b"Hello", b", ", b"world"]
    # The same script answers InvokeEndpoint with the parts joined.
    joined = runtime.invoke_endpoint(EndpointName="ep", Body=b"hi", TargetVariant="Blue")
    assert joined["Body"].read() == b"Hello, world"
    from botocore.exceptions import EventStreamError

    broken = runtime.invoke_endpoint_with_response_stream(
        EndpointName="ep", Body=b"long", TargetVariant="Blue"
    )
    events = iter(broken["Body"])
    assert [next(events) for _ in range(3)][-1] == {"PayloadPart": {"Bytes": b"world"}}
    with pytest.raises(EventStreamError) as caught:
        next(events)
    assert caught.value.response["Error"] == {
        "Code": "ModelStreamError",
        "Message": "out of memory",
    }
    with pytest.raises(runtime.exceptions.ModelError):  # broken before the stream begins
        runtime.invoke_endpoint(EndpointName="ep", Body=b"long", TargetVariant="Blue")


def test_a_stream_refused_before_it_begins_answers_the_runtimes_errors(
    served: tuple[Emulator, Any, Any],
) -> None:
    emulator, _, runtime = served

    def fails(body: bytes, kind: str) -> bytes:
        raise inference.ModelFailure("bad input", status=400)

    emulator.script_model("green", respond=fails)
    with pytest.raises(runtime.exceptions.ModelError) as caught:
        runtime.invoke_endpoint_with_response_stream(
            EndpointName="ep", Body=b"x", TargetVariant="Green"
        )
    assert caught.value.response["OriginalStatusCode"] == 400
    with pytest.raises(runtime.exceptions.ValidationError, match="Endpoint nothing of account"):
        runtime.invoke_endpoint_with_response_stream(EndpointName="nothing", Body=b"x")
    with pytest.raises(runtime.exceptions.ValidationError, match="at 'accept' failed"):
        runtime.invoke_endpoint_with_response_stream(EndpointName="ep", Body=b"x", Accept="é")


def test_aiobotocore_reads_a_streamed_answer() -> None:
    aio = pytest.importorskip("aiobotocore.session")

    async def run() -> list[bytes]:
        async with aio.get_session().create_client(
            "sagemaker-runtime", region_name="us-east-1"
        ) as runtime:
            answer = await runtime.invoke_endpoint_with_response_stream(
                EndpointName="ep", Body=b"x"
            )
            return [event["PayloadPart"]["Bytes"] async for event in answer["Body"]]

    with mock_sagemaker() as emulator:
        sm = boto3.client("sagemaker", region_name="us-east-1")
        sm.create_model(**model_request("model-1"))
        sm.create_endpoint_config(**endpoint_config_request())
        sm.create_endpoint(EndpointName="ep", EndpointConfigName="config-1")
        emulator.advance(300)
        emulator.script_model("model-1", respond=lambda body, kind: [b"a", b"b"])
        assert asyncio.run(run()) == [b"a", b"b"]
