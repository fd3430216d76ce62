"""The built-in demo: a Bayesian tuning job over a small XGBoost-like training definition.

``python -m sagemaker_lite demo`` runs it end to end on the virtual clock.
The objective is scripted as a function of the hyperparameters (a bowl with
its minimum near ``eta=0.1``, ``max_depth=6``, ``booster=gbtree``), so the
search has a real optimum to find and every run prints the same figures.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from sagemaker_lite.surfaces.emulator import Emulator

TUNING_JOB_NAME = "demo-xgboost-tuning"
OBJECTIVE_METRIC = "validation:rmse"
ACCOUNT = "123456789012"
IMAGE = "683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1"
ROLE = f"arn:aws:iam::{ACCOUNT}:role/SageMakerRole"


def objective(hyperparameters: Mapping[str, str]) -> dict[str, float]:
    """The demo's scripted final metric: validation RMSE as a function of the hyperparameters."""
    eta = float(hyperparameters.get("eta", "0.3"))
    depth = int(hyperparameters.get("max_depth", "6"))
    booster_penalty = 0.0 if hyperparameters.get("booster", "gbtree") == "gbtree" else 0.04
    rmse = 0.21 + 0.03 * (math.log10(eta) + 1.0) ** 2 + 0.004 * (depth - 6) ** 2 + booster_penalty
    return {OBJECTIVE_METRIC: round(rmse, 5)}


def tuning_request(max_jobs: int = 15, parallel: int = 3) -> dict[str, Any]:
    """The demo's CreateHyperParameterTuningJob request (boto3 keyword arguments)."""
    return {
        "HyperParameterTuningJobName": TUNING_JOB_NAME,
        "HyperParameterTuningJobConfig": {
            "Strategy": "Bayesian",
            "HyperParameterTuningJobObjective": {
                "Type": "Minimize",
                "MetricName": OBJECTIVE_METRIC,
            },
            "ResourceLimits": {
                "MaxNumberOfTrainingJobs": max_jobs,
                "MaxParallelTrainingJobs": parallel,
            },
            "ParameterRanges": {
                "ContinuousParameterRanges": [
                    {
                        "Name": "eta",
                        "MinValue": "0.001",
                        "MaxValue": "1",
                        "ScalingType": "Logarithmic",
                    }
                ],
                "IntegerParameterRanges": [
                    {"Name": "max_depth", "MinValue": "2", "MaxValue": "10"}
                ],
                "CategoricalParameterRanges": [{"Name": "booster", "Values": ["gbtree", "dart"]}],
            },
        },
        "TrainingJobDefinition": {
            "AlgorithmSpecification": {
                "TrainingImage": IMAGE,
                "TrainingInputMode": "File",
                "MetricDefinitions": [
                    {"Name": OBJECTIVE_METRIC, "Regex": r"validation-rmse:([0-9\.]+)"}
                ],
            },
            "RoleArn": ROLE,
            "StaticHyperParameters": {"objective": "reg:squarederror", "num_round": "200"},
            "InputDataConfig": [
                {
                    "ChannelName": "train",
                    "DataSource": {
                        "S3DataSource": {
                            "S3DataType": "S3Prefix",
                            "S3Uri": "s3://demo-bucket/data/train/",
                        }
                    },
                }
            ],
            "OutputDataConfig": {"S3OutputPath": "s3://demo-bucket/output/"},
            "ResourceConfig": {
                "InstanceType": "ml.m5.xlarge",
                "InstanceCount": 1,
                "VolumeSizeInGB": 10,
            },
            "StoppingCondition": {"MaxRuntimeInSeconds": 3600},
        },
    }


def script(emulator: Emulator) -> None:
    """Script the demo's training jobs: a 5-minute Training phase and the objective above."""
    emulator.script_training(durations={"Training": 300.0}, metrics=objective)
