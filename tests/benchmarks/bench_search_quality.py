"""Search quality benchmark: Bayesian vs Random on four standard functions.

Run: ``python tests/benchmarks/bench_search_quality.py [--seeds N] [--trials N] [--direct]``.

Each function is scripted as the objective metric of the training jobs of a
real tuning job (``Strategy``, ``RandomSeed`` = seed, one job at a time), run
to completion on the virtual clock; ``--direct`` drives the strategies without
the emulator, to isolate the search from the service.  The table
shows the median over seeds of the best value after the last trial (for the
noisy function: the noise-free value of the trial that *looked* best, which
is what a user would deploy).  Target: Bayesian beats Random on >= 3 of 4.
"""

from __future__ import annotations

import argparse
import math
import random
import statistics
import sys
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import sagemaker_lite
from sagemaker_lite.families.tuning.search import SearchSpace, Trial, make_strategy

Objective = Callable[[Mapping[str, str]], float]


def branin(hp: Mapping[str, str]) -> float:
    """Branin-Hoo; global minimum 0.397887."""
    x1, x2 = float(hp["x1"]), float(hp["x2"])
    b, c = 5.1 / (4 * math.pi**2), 5 / math.pi
    return (x2 - b * x1**2 + c * x1 - 6) ** 2 + 10 * (1 - 1 / (8 * math.pi)) * math.cos(x1) + 10


_H3_A = ((3.0, 10, 30), (0.1, 10, 35), (3.0, 10, 30), (0.1, 10, 35))
_H3_C = (1.0, 1.2, 3.0, 3.2)
_H3_P = (
    (0.3689, 0.1170, 0.2673),
    (0.4699, 0.4387, 0.7470),
    (0.1091, 0.8732, 0.5547),
    (0.0381, 0.5743, 0.8828),
)


def hartmann3(hp: Mapping[str, str]) -> float:
    """Hartmann-3, as a quantity to *maximise*; global maximum 3.86278."""
    x = [float(hp[f"x{i}"]) for i in range(3)]
    return sum(
        c * math.exp(-sum(a * (xi - p) ** 2 for a, xi, p in zip(row, x, prow, strict=True)))
        for c, row, prow in zip(_H3_C, _H3_A, _H3_P, strict=True)
    )


def quadratic(hp: Mapping[str, str]) -> float:
    """Noise-free bowl; minimum 0 at (0.5, -0.3)."""
    return (float(hp["x"]) - 0.5) ** 2 + (float(hp["y"]) + 0.3) ** 2


def lr_bowl(hp: Mapping[str, str]) -> float:
    """Learning-rate bowl in log10(lr) plus an integer term; minimum 0 at lr=1e-3, layers=4."""
    return (math.log10(float(hp["learning_rate"])) + 3) ** 2 + 0.1 * (int(hp["layers"]) - 4) ** 2


def _cont(name: str, lo: float, hi: float, scaling: str = "Linear") -> dict[str, str]:
    return {"Name": name, "MinValue": str(lo), "MaxValue": str(hi), "ScalingType": scaling}


PROBLEMS: list[tuple[str, dict[str, Any], str, Objective, float]] = [
    # name, ParameterRanges, objective type, function, noise sd
    (
        "branin",
        {"ContinuousParameterRanges": [_cont("x1", -5, 10), _cont("x2", 0, 15)]},
        "Minimize",
        branin,
        0.0,
    ),
    (
        "hartmann3",
        {"ContinuousParameterRanges": [_cont(f"x{i}", 0, 1) for i in range(3)]},
        "Maximize",
        hartmann3,
        0.0,
    ),
    (
        "noisy_quadratic",
        {"ContinuousParameterRanges": [_cont("x", -2, 2), _cont("y", -2, 2)]},
        "Minimize",
        quadratic,
        0.1,
    ),
    (
        "lr_bowl",
        {
            "ContinuousParameterRanges": [_cont("learning_rate", 1e-6, 1.0, "Logarithmic")],
            "IntegerParameterRanges": [
                {"Name": "layers", "MinValue": "1", "MaxValue": "8", "ScalingType": "Linear"}
            ],
        },
        "Minimize",
        lr_bowl,
        0.0,
    ),
]


def run(
    strategy_name: str,
    ranges: dict[str, Any],
    objective_type: str,
    fn: Objective,
    noise: float,
    seed: int,
    trials: int,
) -> float:
    """Best (noise-free) value found after ``trials`` sequential trials."""
    space = SearchSpace.from_ranges(ranges)
    strategy = make_strategy(
        strategy_name, space, seed=seed, objective_type=objective_type, max_trials=trials
    )
    noise_rng = random.Random(f"noise:{seed}")
    history: list[Trial] = []
    for index in range(trials):
        suggestion = strategy.suggest(index, history)
        assert suggestion is not None
        observed = fn(suggestion.hyperparameters) + noise_rng.gauss(0.0, noise)
        history.append(Trial(suggestion.hyperparameters, observed))
    pick = min if objective_type == "Minimize" else max
    best = pick(history, key=lambda t: t.objective or 0.0)
    return fn(best.hyperparameters)


_ROLE = "arn:aws:iam::123456789012:role/SageMakerRole"
_IMAGE = "123456789012.dkr.ecr.us-east-1.amazonaws.com/objective:latest"


def run_tuning_job(
    strategy_name: str,
    ranges: dict[str, Any],
    objective_type: str,
    fn: Objective,
    noise: float,
    seed: int,
    trials: int,
) -> float:
    """Best (noise-free) value of a real tuning job whose children report ``fn``."""
    sm = sagemaker_lite.client()

    def observed(hp: Mapping[str, str]) -> dict[str, float]:
        tuned = sorted((k, v) for k, v in hp.items() if not k.startswith("_"))
        rng = random.Random(f"noise:{seed}:{tuned}")
        return {"objective": fn(hp) + rng.gauss(0.0, noise)}

    sm.emulator.script_training(metrics=observed)
    sm.create_hyper_parameter_tuning_job(
        HyperParameterTuningJobName="quality",
        HyperParameterTuningJobConfig={
            "Strategy": strategy_name,
            "RandomSeed": seed,
            "HyperParameterTuningJobObjective": {"Type": objective_type, "MetricName": "objective"},
            "ResourceLimits": {"MaxNumberOfTrainingJobs": trials, "MaxParallelTrainingJobs": 1},
            "ParameterRanges": ranges,
        },
        TrainingJobDefinition={
            "AlgorithmSpecification": {
                "TrainingImage": _IMAGE,
                "TrainingInputMode": "File",
                "MetricDefinitions": [{"Name": "objective", "Regex": "objective=(\\S+)"}],
            },
            "RoleArn": _ROLE,
            "OutputDataConfig": {"S3OutputPath": "s3://bucket/quality"},
            "ResourceConfig": {
                "InstanceType": "ml.m5.large",
                "InstanceCount": 1,
                "VolumeSizeInGB": 10,
            },
            "StoppingCondition": {"MaxRuntimeInSeconds": 3600},
        },
    )
    sm.emulator.run_until_idle()
    best = sm.describe_hyper_parameter_tuning_job(HyperParameterTuningJobName="quality")[
        "BestTrainingJob"
    ]
    return fn(best["TunedHyperParameters"])


def main() -> int:
    """Print the quality table; exit 1 if Bayesian wins on fewer than 3 of 4."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seeds", type=int, default=20)
    parser.add_argument("--trials", type=int, default=30)
    parser.add_argument("--direct", action="store_true", help="strategies without the emulator")
    args = parser.parse_args()
    trial = run if args.direct else run_tuning_job
    start = time.perf_counter()
    wins = 0
    how = "strategies alone" if args.direct else "tuning jobs on the emulator"
    print(f"median best after {args.trials} trials over {args.seeds} seeds ({how})")
    print(f"{'function':<16} {'goal':<9} {'Random':>10} {'Bayesian':>10}  Bayesian better")
    for name, ranges, objective_type, fn, noise in PROBLEMS:
        medians = {}
        for strategy_name in ("Random", "Bayesian"):
            results = [
                trial(strategy_name, ranges, objective_type, fn, noise, seed, args.trials)
                for seed in range(args.seeds)
            ]
            medians[strategy_name] = statistics.median(results)
        better = (
            medians["Bayesian"] < medians["Random"]
            if objective_type == "Minimize"
            else medians["Bayesian"] > medians["Random"]
        )
        wins += better
        print(
            f"{name:<16} {objective_type:<9} {medians['Random']:>10.4f} "
            f"{medians['Bayesian']:>10.4f}  {'yes' if better else 'no'}"
        )
    print(f"Bayesian better on {wins}/4 (target >= 3); {time.perf_counter() - start:.1f}s")
    return 0 if wins >= 3 else 1


if __name__ == "__main__":
    sys.exit(main())
