"""Hyperparameter tuning jobs that really tune.

A tuning job launches real child training jobs (through the training
service, so they follow their own scripted or default plans), never more
than ``MaxParallelTrainingJobs`` at once.  Each time a child finishes, the
search strategy (pure: ``sagemaker_lite.families.tuning.search``) proposes the next
configuration from everything observed so far, and the completion criteria
are checked.  Early stopping (``Auto``'s median rule, Hyperband's rungs) is
decided at each epoch a child reports, on the same virtual clock.

The tuning job keeps only small JSON data: its children's names and tuned
values in launch order.  Counters, best jobs and objective values are
computed from the children whenever a describe asks.
"""

from __future__ import annotations

import hashlib
import weakref
from collections.abc import Callable, Iterator, Sequence
from typing import Any, overload

from sagemaker_lite.contract import messages
from sagemaker_lite.contract.copying import fresh
from sagemaker_lite.contract.errors import ApiError
from sagemaker_lite.engine.behaviour import DEFAULT_EPOCHS, STOP_SECONDS, metric_series
from sagemaker_lite.engine.jobs import Job, new_job
from sagemaker_lite.engine.lifecycle import IN_PROGRESS, TRAINING, TUNING
from sagemaker_lite.engine.ordering import RankedJobs
from sagemaker_lite.engine.world import World, lower_cased
from sagemaker_lite.families.shared import builtin_algorithms, training_metrics
from sagemaker_lite.families.shared.service import (
    drop_none,
    echoed_members,
    find,
    list_jobs,
    timestamp,
)
from sagemaker_lite.families.tuning import rules as rules
from sagemaker_lite.families.tuning.search import (
    MINIMIZE,
    SearchSpace,
    Strategy,
    Trial,
    grid_size,
    make_strategy,
    median_rule_should_stop,
)

KIND = TUNING.kind
_ECHOED = echoed_members("CreateHyperParameterTuningJob", "DescribeHyperParameterTuningJob")
OBJECTIVE_HYPERPARAMETER = "_tuning_objective_metric"
# ConvergenceDetected: the search has converged when the best objective moved by
# less than this fraction over the last CONVERGENCE_WINDOW finished children.
CONVERGENCE_WINDOW = 10
CONVERGENCE_TOLERANCE = 1e-3
MAX_EPOCHS = 1000  # cap on a child's reported epochs (Hyperband's MaxResource may be 20,000)


# --- create -------------------------------------------------------------------------


def create_hyper_parameter_tuning_job(world: World, request: dict[str, Any]) -> dict[str, Any]:
    """CreateHyperParameterTuningJob: validate, store, launch the first children."""
    rules.check_create_hyper_parameter_tuning_job(request)
    name = request["HyperParameterTuningJobName"]
    if world.get(KIND, name) is not None:
        raise ApiError("ResourceInUse", messages.tuning_job_exists(name))
    parents = _warm_start_parents(request)
    rules.check_warm_start_parents(
        parents, lambda parent: getattr(world.get(KIND, parent), "status", None)
    )
    for parent in parents:
        rules.check_warm_start_compatibility(request, _job_of_kind(world, KIND, parent).request)
    at = world.emulator.now()
    tags = {tag["Key"]: tag["Value"] for tag in request.pop("Tags", None) or ()}
    job = new_job(KIND, name, world.arn(KIND, name), request, at, tags)
    # "Tags that you specify for the tuning job are also added to all training jobs
    # that the tuning job launches" (API reference): the tags given here, not later ones.
    job.data["child_tags"] = dict(tags)
    seed = _config(job).get("RandomSeed")
    if seed is None:  # AWS picks one; ours is derived from the name, so runs repeat
        seed = int(hashlib.sha256(name.encode()).hexdigest()[:8], 16)
    job.data.update(children=[], seed=seed, ending=None, converged_at=None, exhausted=False)
    tables, random_state = set(world.tables), world.emulator._random.getstate()
    world.add(job)
    try:
        max_runtime = (_config(job).get("ResourceLimits") or {}).get("MaxRuntimeInSeconds")
        if max_runtime:
            world.emulator.scheduler.schedule(job, "max_runtime", at + max_runtime)
        _progress(world, job, at)
    except BaseException:
        # A user's script failed while the first children launched: the create
        # fails whole, never leaving a tuning job InProgress without children.
        for entry in job.data["children"]:
            child = world.get(TRAINING.kind, entry["name"])
            if child is not None:
                world.remove(child)
        world.remove(job)
        for kind in set(world.tables) - tables:
            del world.tables[kind]
        world.emulator._random.setstate(random_state)
        raise
    return {"HyperParameterTuningJobArn": job.arn}


def _warm_start_parents(request: dict[str, Any]) -> list[str]:
    warm = request.get("WarmStartConfig") or {}
    return [
        p["HyperParameterTuningJobName"] for p in warm.get("ParentHyperParameterTuningJobs", ())
    ]


def _job_of_kind(world: World, kind: str, name: str) -> Job:
    job = world.get(kind, name)
    assert job is not None  # the caller knows it exists
    return job


def _config(job: Job) -> dict[str, Any]:
    config: dict[str, Any] = job.request["HyperParameterTuningJobConfig"]
    return config


# --- the search ---------------------------------------------------------------------


class _Definition:
    """One training definition of a tuning job, with its objective, space and strategy."""

    def __init__(self, job: Job, index: int, definition: rules.Definition) -> None:
        config = _config(job)
        self.index = index
        self.body = definition.body
        objective = definition.objective or {}
        self.metric: str = objective.get("MetricName", "")
        self.objective_type: str = objective.get("Type", MINIMIZE)
        # The objective's Type decides which way the children's default curves go.
        self.directions = {self.metric: objective["Type"]} if "Type" in objective else {}
        self.space = SearchSpace.from_ranges(definition.ranges)
        strategy_name = config.get("Strategy") or "Bayesian"
        strategy_config = dict(config.get("StrategyConfig") or {})
        if strategy_name == "Hyperband":
            hyperband = dict(strategy_config.get("HyperbandStrategyConfig") or {})
            hyperband.setdefault("MaxResource", rules.infer_max_resource([definition]))
            strategy_config["HyperbandStrategyConfig"] = hyperband
        self.hyperband = strategy_name == "Hyperband"
        self.strategy: Strategy = make_strategy(
            strategy_name,
            self.space,
            seed=job.data["seed"] + index,
            objective_type=self.objective_type,
            config=strategy_config,
        )

    def better(self, a: float, b: float) -> bool:
        """Whether objective ``a`` beats ``b``."""
        return a < b if self.objective_type == MINIMIZE else a > b


_DEFINITIONS: weakref.WeakKeyDictionary[Job, list[_Definition]] = weakref.WeakKeyDictionary()


def _definitions(job: Job) -> list[_Definition]:
    """The job's definitions with their strategies (built once per job; they are immutable)."""
    found = _DEFINITIONS.get(job)
    if found is None:
        found = [_Definition(job, i, d) for i, d in enumerate(rules.definitions(job.request))]
        _DEFINITIONS[job] = found
    return found


def _children(world: World, job: Job) -> Iterator[tuple[dict[str, Any], Job]]:
    """(entry, training job) of every child still stored, in launch order.

    An entry is what the tuning job knows of a child: its name, definition and
    tuned values, and once it has ended its ``status``, ``objective`` and ``ended`` time.
    """
    for entry in job.data["children"]:
        child = world.get(TRAINING.kind, entry["name"])
        if child is not None:
            yield entry, child


def _running(world: World, job: Job) -> list[Job]:
    """Children that have not ended yet."""
    return [
        _job_of_kind(world, TRAINING.kind, entry["name"])
        for entry in job.data["children"]
        if "status" not in entry
    ]


def _training(world: World) -> Any:
    """The training family, which launches and stops a tuning job's children."""
    return world.emulator.family(TRAINING.kind)


def objective_value(child: Job, metric: str) -> float | None:
    """A child's final objective: its last reported value of the metric, once it has ended."""
    if not child.terminal or child.status == "Failed":
        return None
    end = training_metrics.training_end(child)
    for point in training_metrics.final_metrics(child, end if end is not None else child.modified):
        if point["MetricName"] == metric:
            value: float = point["Value"]
            return value
    return None


def _epoch_values(child: Job, metric: str, now: float) -> tuple[float, ...]:
    """The objective values a child has reported by ``now``, one per epoch."""
    start = training_metrics.training_start(child)
    if start is None:
        return ()
    end = training_metrics.training_end(child)
    cutoff = (end if end is not None and end < now else now) - start
    plan = child.data["plan"]
    if metric not in plan["series"] and metric not in plan["metrics"]:
        return ()
    return tuple(value for t, value in metric_series(plan, metric) if t <= cutoff)


class _History(Sequence[Trial]):
    """The strategy's view of one definition's children, in launch order.

    Children are dealt to definitions in turn, so definition ``d`` of ``k``
    owns children ``d, d + k, d + 2k...``: the view is that slice of the
    tuning job's list, read in place.  Trials are built only when a strategy
    reads them (Random never does), so launching the n-th child does not cost n.
    """

    def __init__(self, world: World, job: Job, definition: _Definition, now: float) -> None:
        self._world, self._definition, self._now = world, definition, now
        self._children: list[dict[str, Any]] = job.data["children"]
        self._step = len(_definitions(job))
        # An ended child's trial never changes (its epochs stop at its end), except
        # that a deleted child has no epochs to read any more: checked on reuse.
        self._ended = _ENDED_TRIALS.setdefault(job, {})

    def __len__(self) -> int:
        return len(range(self._definition.index, len(self._children), self._step))

    def __iter__(self) -> Iterator[Trial]:
        # Strategies read whole histories at every suggestion: no index arithmetic here,
        # and a kept trial is returned at once unless Hyperband must re-check its child.
        ended = self._ended
        check = self._definition.hyperband
        for position in range(self._definition.index, len(self._children), self._step):
            known = None if check else ended.get(position)
            yield known if known is not None else self._trial(position)

    @overload
    def __getitem__(self, index: int) -> Trial: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[Trial]: ...

    def __getitem__(self, index: int | slice) -> Trial | Sequence[Trial]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        size = len(self)
        if index < 0:
            index += size
        if not 0 <= index < size:
            raise IndexError(index)
        return self._trial(self._definition.index + index * self._step)

    def _trial(self, position: int) -> Trial:
        """The trial of the tuning job's child number ``position``."""
        entry = self._children[position]
        hyperband = self._definition.hyperband  # only Hyperband judges children by their epochs
        child = self._world.get(TRAINING.kind, entry["name"]) if hyperband else None
        known = self._ended.get(position)
        if known is not None and (child is not None or not hyperband):
            return known
        intermediate: tuple[float, ...] = ()
        if child is not None:
            intermediate = _epoch_values(child, self._definition.metric, self._now)
        trial = Trial(
            hyperparameters=entry["tuned"],
            objective=entry.get("objective"),
            running="status" not in entry,
            intermediate=intermediate,
        )
        if not trial.running and (child is not None or not hyperband):
            self._ended[position] = trial
        return trial


#: Trials of ended children by position, per tuning job (see _History).
_ENDED_TRIALS: weakref.WeakKeyDictionary[Job, dict[int, Trial]] = weakref.WeakKeyDictionary()


def _warm_trials(world: World, job: Job, definition: _Definition) -> list[Trial]:
    """Finished children of warm-start parents whose values fit this space."""
    names = set(definition.space.names)
    return [
        Trial(hyperparameters=entry["tuned"], objective=entry["objective"])
        for parent in _warm_start_parents(job.request)
        if (parent_job := world.get(KIND, parent)) is not None
        for entry in parent_job.data["children"]
        if entry.get("objective") is not None and set(entry["tuned"]) == names
    ]


def _max_jobs(job: Job) -> int | None:
    limit: int | None = (_config(job).get("ResourceLimits") or {}).get("MaxNumberOfTrainingJobs")
    return limit


def child_budget(job: Job) -> float | None:
    """The seconds each child's default plan should end within (None: no bound).

    Children run ``MaxParallelTrainingJobs`` at a time, each slot refilled as its
    child ends, so ``MaxNumberOfTrainingJobs`` children that each end within a
    share of ``MaxRuntimeInSeconds`` all end within ``ceil(jobs / parallel)``
    shares, the expected waves.  The training plan's fit (``fit_limits``) shrinks a
    default plan (and the time a stop takes) that would reach its share to half of
    it; scripted durations run as given.  No bound without a runtime limit, or
    without a known number of children (Autotune with no ``MaxNumberOfTrainingJobs``).
    """
    config = _config(job)
    limits = config.get("ResourceLimits") or {}
    runtime = limits.get("MaxRuntimeInSeconds")
    jobs = _max_jobs(job)
    if jobs is None and config.get("Strategy") == "Grid":
        jobs = sum(grid_size(definition.space) for definition in _definitions(job))
    if not runtime or not jobs:
        return None
    waves: int = -(-jobs // limits["MaxParallelTrainingJobs"])
    return float(runtime) / waves


def _launch_child(world: World, job: Job, definitions: list[_Definition], at: float) -> Job | None:
    """Launch the next child; None when the strategy has nothing left (Grid exhausted)."""
    index = len(job.data["children"])
    definition = definitions[index % len(definitions)]
    own = _History(world, job, definition, at)
    warm = [] if definition.hyperband else _warm_trials(world, job, definition)
    history: Sequence[Trial] = [*warm, *own] if warm else own
    suggestion = definition.strategy.suggest(len(history), history)
    if suggestion is None:
        return None
    name = rules.child_training_job_name(job.name, index + 1, world.emulator.random_hex(8))
    request = rules.as_training_request(definition.body)
    request["TrainingJobName"] = name
    child_tags = job.data.get("child_tags") or {}
    if child_tags:
        request["Tags"] = [{"Key": k, "Value": v} for k, v in child_tags.items()]
    request["HyperParameters"] = {
        **(request.get("HyperParameters") or {}),
        **suggestion.hyperparameters,
        OBJECTIVE_HYPERPARAMETER: definition.metric,
    }
    early = definition.hyperband or _config(job).get("TrainingJobEarlyStoppingType") == "Auto"
    epochs = min(suggestion.resource or DEFAULT_EPOCHS, MAX_EPOCHS)
    child: Job = _training(world).launch(
        world,
        request,
        at,
        tuning_job_arn=job.arn,
        metric_names=(definition.metric,),
        epochs=epochs,
        epoch_metric=definition.metric if early else None,
        directions=definition.directions,
        budget=child_budget(job),
    )
    job.data["children"].append(
        {"name": name, "definition": definition.index, "tuned": suggestion.hyperparameters}
    )
    child.data["tuning_index"] = index
    return child


def _progress(world: World, job: Job, at: float) -> None:
    """Decide what the tuning job does now: end, or launch children up to the limits."""
    running = _running(world, job)
    emulator = world.emulator
    if job.status == "Stopping":
        if not running:
            emulator.dispatch(job, "stopped", at)
        return
    if job.status != IN_PROGRESS:
        return
    definitions = _definitions(job)
    if job.data["ending"] is None:
        job.data["ending"] = _ending(world, job, definitions)
        if job.data["ending"] is not None:
            for child in running:
                if child.status == IN_PROGRESS:
                    _training(world).stop(world, child, at)
    if job.data["ending"] is None:
        parallel = _config(job)["ResourceLimits"]["MaxParallelTrainingJobs"]
        max_jobs = _max_jobs(job)
        launched = len(job.data["children"])
        while (
            len(running) < parallel
            and (max_jobs is None or launched < max_jobs)
            and not job.data["exhausted"]
        ):
            child = _launch_child(world, job, definitions, at)
            if child is None:
                job.data["exhausted"] = True
                break
            running.append(child)
            launched += 1
    if not running:
        event = "fail" if job.failure_reason else "complete"
        emulator.dispatch(job, event, at)


def _ending(world: World, job: Job, definitions: list[_Definition]) -> str | None:
    """Why the tuning job stops launching children now, or None to go on."""
    ended = [entry.get("status") for entry in job.data["children"]]
    reason = rules.tuning_job_failure_reason(ended.count("Completed"), ended.count("Failed"))
    if reason is not None:
        job.failure_reason = reason
        return "Failed"
    criteria = _config(job).get("TuningJobCompletionCriteria") or {}
    if not criteria:
        return None
    definition = definitions[0]
    values = _finished_objectives(job, definition)
    if "TargetObjectiveMetricValue" in criteria and values:
        best = _best_value(values, definition)
        target = criteria["TargetObjectiveMetricValue"]
        if best == target or definition.better(best, target):
            return "TargetObjectiveMetricValueReached"
    not_improving = (criteria.get("BestObjectiveNotImproving") or {}).get(
        "MaxNumberOfTrainingJobsNotImproving"
    )
    if not_improving and _not_improving(values, definition) >= not_improving:
        return "BestObjectiveNotImproving"
    convergence = (criteria.get("ConvergenceDetected") or {}).get("CompleteOnConvergence")
    if convergence == "Enabled" and _converged(values, definition):
        job.data["converged_at"] = world.emulator.now()
        return "ConvergenceDetected"
    return None


def _finished_objectives(job: Job, definition: _Definition) -> list[float]:
    """Objective values of this definition's ended children, in the order they ended."""
    ended = sorted(
        (entry["ended"], entry["objective"])
        for entry in job.data["children"]
        if entry.get("objective") is not None and entry["definition"] == definition.index
    )
    return [value for _, value in ended]


def _best_value(values: list[float], definition: _Definition) -> float:
    return min(values) if definition.objective_type == MINIMIZE else max(values)


def _not_improving(values: list[float], definition: _Definition) -> int:
    """How many finished children in a row have not beaten the best before them."""
    count, best = 0, None
    for value in values:
        if best is None or definition.better(value, best):
            best, count = value, 0
        else:
            count += 1
    return count


def _converged(values: list[float], definition: _Definition) -> bool:
    if len(values) < 2 * CONVERGENCE_WINDOW:
        return False
    before = _best_value(values[:-CONVERGENCE_WINDOW], definition)
    after = _best_value(values, definition)
    return abs(after - before) <= CONVERGENCE_TOLERANCE * max(abs(before), 1e-12)


def on_event(world: World, job: Job, event: str, at: float) -> None:
    """React to a tuning job's own ticks (its transitions need no follow-up)."""
    if event == "max_runtime":
        _stop(world, job, at)


def child_finished(world: World, child: Job, at: float) -> None:
    """A child reached a terminal status: count it, then decide what comes next."""
    parent = world.by_arn.get(child.data["tuning_job_arn"])
    if parent is None:
        return
    entry = parent.data["children"][child.data["tuning_index"]]
    metric = _definitions(parent)[entry["definition"]].metric
    entry.update(status=child.status, objective=objective_value(child, metric), ended=at)
    if child.status == "Failed":
        entry["error"] = rules.classify_child_failure(child.failure_reason or "")
    _progress(world, parent, at)


def child_epoch(world: World, child: Job, at: float) -> None:
    """A child reported an epoch: apply Hyperband's rungs or the median stopping rule."""
    parent = world.by_arn.get(child.data["tuning_job_arn"])
    if parent is None or parent.status != IN_PROGRESS or child.status != IN_PROGRESS:
        return
    definitions = _definitions(parent)
    index = child.data["tuning_index"]
    children = parent.data["children"]
    definition = definitions[children[index]["definition"]]
    if definition.hyperband:
        history = _History(world, parent, definition, at)
        # Children are dealt to definitions in turn (see _History).
        stop = definition.strategy.should_stop(index // len(definitions), history)
    else:
        current = _epoch_values(child, definition.metric, at)
        earlier = (
            world.get(TRAINING.kind, entry["name"])
            for entry in children[definition.index : index : len(definitions)]
        )
        others = [_epoch_values(c, definition.metric, at) for c in earlier if c is not None]
        stop = median_rule_should_stop(
            current, others, minimize=definition.objective_type == MINIMIZE
        )
    if stop:
        children[index]["early_stopped"] = True
        _training(world).stop(world, child, at)


def _stop(world: World, job: Job, at: float) -> None:
    """Stopping now; every running child is stopped; Stopped once they all are."""
    world.emulator.dispatch(job, "stop", at)
    running = False
    for _, child in _children(world, job):
        if child.status == IN_PROGRESS:
            _training(world).stop(world, child, at)
        running = running or not child.terminal
    if not running:
        world.emulator.scheduler.schedule(job, "stopped", at + STOP_SECONDS)


# --- describe -----------------------------------------------------------------------------


def _summary(job: Job, entry: dict[str, Any], child: Job) -> dict[str, Any]:
    """A HyperParameterTrainingJobSummary of one child."""
    definition = _definitions(job)[entry["definition"]]
    value = entry.get("objective")
    ended = "status" in entry
    status = "Pending" if not ended else "Succeeded" if value is not None else "Failed"
    summary = {
        "TrainingJobDefinitionName": definition.body.get("DefinitionName"),
        "TrainingJobName": child.name,
        "TrainingJobArn": child.arn,
        "TuningJobName": job.name,
        "CreationTime": timestamp(child.created),
        "TrainingStartTime": timestamp(training_metrics.training_start(child)),
        "TrainingEndTime": timestamp(training_metrics.training_end(child)),
        "TrainingJobStatus": child.status,
        "TunedHyperParameters": dict(entry["tuned"]),
        "FailureReason": child.failure_reason,
        "ObjectiveStatus": status,
    }
    if value is not None:
        summary["FinalHyperParameterTuningJobObjectiveMetric"] = {
            "Type": definition.objective_type,
            "MetricName": definition.metric,
            "Value": value,
        }
    return drop_none(summary)


def _best(world: World, jobs: list[Job]) -> dict[str, Any] | None:
    """The summary of the best ended child of ``jobs`` still stored (earliest wins ties)."""
    best: tuple[float, Job, dict[str, Any], Job] | None = None
    for job in jobs:
        definitions = _definitions(job)
        for entry, child in _children(world, job):
            value = entry.get("objective")
            if value is None:
                continue
            if best is None or definitions[entry["definition"]].better(value, best[0]):
                best = (value, job, entry, child)
    return None if best is None else _summary(best[1], best[2], best[3])


def _counters(job: Job) -> tuple[dict[str, int], dict[str, int]]:
    """TrainingJobStatusCounters and ObjectiveStatusCounters, counted from the children."""
    status = dict.fromkeys(
        ("Completed", "InProgress", "RetryableError", "NonRetryableError", "Stopped"), 0
    )
    objective = {"Succeeded": 0, "Pending": 0, "Failed": 0}
    for entry in job.data["children"]:
        ended = entry.get("status")
        if ended is None:
            status["InProgress"] += 1  # Stopping children are still in progress
            objective["Pending"] += 1
            continue
        status[entry["error"] if ended == "Failed" else ended] += 1
        objective["Succeeded" if entry["objective"] is not None else "Failed"] += 1
    return status, objective


def describe_hyper_parameter_tuning_job(world: World, request: dict[str, Any]) -> dict[str, Any]:
    """DescribeHyperParameterTuningJob: everything computed from the real children."""
    name = request["HyperParameterTuningJobName"]
    job = find(
        world, KIND, name, messages.missing_tuning_job("DescribeHyperParameterTuningJob", name)
    )
    response = describe(world, job)
    world.emulator.polled(job)
    return response


def describe(world: World, job: Job) -> dict[str, Any]:
    """The DescribeHyperParameterTuningJob answer for ``job`` now."""
    now = world.emulator.now()
    response: dict[str, Any] = {
        "HyperParameterTuningJobName": job.name,
        "HyperParameterTuningJobArn": job.arn,
    }
    for member in _ECHOED:
        if member in job.request:
            response[member] = fresh(job.request[member])
    _describe_definitions(response, _definitions(job))
    end = job.modified if job.terminal else None
    status_counters, objective_counters = _counters(job)
    response.update(
        HyperParameterTuningJobStatus=job.status,
        CreationTime=timestamp(job.created),
        HyperParameterTuningEndTime=timestamp(end),
        LastModifiedTime=timestamp(job.modified),
        TrainingJobStatusCounters=status_counters,
        ObjectiveStatusCounters=objective_counters,
        BestTrainingJob=_best(world, [job]),
        FailureReason=job.failure_reason,
    )
    parents = [p for p in (world.get(KIND, n) for n in _warm_start_parents(job.request)) if p]
    if parents:
        response["OverallBestTrainingJob"] = _best(world, [job, *parents])
    definitions = _definitions(job)
    details: dict[str, Any] = {
        "NumberOfTrainingJobsObjectiveNotImproving": _not_improving(
            _finished_objectives(job, definitions[0]), definitions[0]
        )
    }
    if job.data["converged_at"] is not None:
        details["ConvergenceDetectedTime"] = timestamp(job.data["converged_at"])
    response["TuningJobCompletionDetails"] = details
    response["ConsumedResources"] = {
        "RuntimeInSeconds": int((end if end is not None else now) - job.created)
    }
    return drop_none(response)


def _describe_definitions(response: dict[str, Any], definitions: list[_Definition]) -> None:
    """Add what SageMaker reports in each echoed training job definition beyond the request.

    ``StaticHyperParameters`` carry ``_tuning_objective_metric`` (real describes and the
    SDK's fixtures show it; ``HyperparameterTuner.attach`` deletes it unconditionally);
    ``AlgorithmSpecification`` always has ``MetricDefinitions``.
    A definition given a ``HyperParameterTuningResourceConfig`` also answers the
    ``ResourceConfig`` it stands for, which the SDK's attach reads unconditionally
    although the SDK itself only sends the former (docs/fidelity.md).
    """
    echoed = response.get("TrainingJobDefinitions") or [response.get("TrainingJobDefinition")]
    for body, definition in zip(echoed, definitions, strict=False):
        if body is None:
            continue
        static = body.setdefault("StaticHyperParameters", {})
        static[OBJECTIVE_HYPERPARAMETER] = definition.metric
        algorithm = body.get("AlgorithmSpecification")
        if algorithm is not None:
            _fill_metric_definitions(algorithm, definition.metric)
        tuning_resources = body.get("HyperParameterTuningResourceConfig")
        if tuning_resources and "ResourceConfig" not in body:
            body["ResourceConfig"] = rules.resource_config_of(tuning_resources)


def _fill_metric_definitions(algorithm: dict[str, Any], objective: str | None) -> None:
    """A definition's MetricDefinitions as AWS answers them (the SDK's attach reads them).

    A built-in algorithm sent without definitions lists its own, then an
    ``ObjectiveMetric`` with the objective's regex, as real describes show
    (docs/fidelity.md, "Round 3"); other algorithms without them list none.
    """
    if algorithm.get("MetricDefinitions"):
        return
    definitions = builtin_algorithms.fill_metric_definitions(algorithm)
    regex = next((d["Regex"] for d in definitions if d["Name"] == objective), None)
    if regex is None:
        algorithm.setdefault("MetricDefinitions", [])
    else:
        algorithm["MetricDefinitions"].append({"Name": "ObjectiveMetric", "Regex": regex})


# --- list -----------------------------------------------------------------------------------


def list_hyper_parameter_tuning_jobs(world: World, request: dict[str, Any]) -> dict[str, Any]:
    """ListHyperParameterTuningJobs (by Name, Ascending, unless asked otherwise)."""

    def summary(job: Job) -> dict[str, Any]:
        status_counters, objective_counters = _counters(job)
        config = _config(job)
        return drop_none(
            {
                "HyperParameterTuningJobName": job.name,
                # AWS lists the ARN lower-cased, though describe keeps the case
                # (boto/boto3#4606); ListTags on the listed ARN then fails.
                "HyperParameterTuningJobArn": lower_cased(job.arn),
                "HyperParameterTuningJobStatus": job.status,
                "Strategy": config.get("Strategy"),
                "CreationTime": timestamp(job.created),
                "HyperParameterTuningEndTime": timestamp(job.modified if job.terminal else None),
                "LastModifiedTime": timestamp(job.modified),
                "TrainingJobStatusCounters": status_counters,
                "ObjectiveStatusCounters": objective_counters,
                "ResourceLimits": dict(config.get("ResourceLimits") or {}),
            }
        )

    return list_jobs(
        world.index(KIND),
        request,
        result_key="HyperParameterTuningJobSummaries",
        summary=summary,
        default_sort=("Name", "Ascending"),
    )


def list_training_jobs_for_hyper_parameter_tuning_job(
    world: World, request: dict[str, Any]
) -> dict[str, Any]:
    """ListTrainingJobsForHyperParameterTuningJob (by Name, Ascending, unless asked otherwise)."""
    operation = "ListTrainingJobsForHyperParameterTuningJob"
    name = request["HyperParameterTuningJobName"]
    job = find(world, KIND, name, messages.missing_tuning_job(operation, name))
    entries = {child.name: entry for entry, child in _children(world, job)}

    def objective(child: Job) -> float | None:
        value: float | None = entries[child.name].get("objective")
        return value

    sort_by = request.get("SortBy") or "Name"
    key, kind = _CHILD_ORDERS.get(sort_by, (objective, float))
    return list_jobs(
        RankedJobs((child for _, child in _children(world, job)), key, kind),
        request,
        result_key="TrainingJobSummaries",
        summary=lambda child: _summary(job, entries[child.name], child),
        default_sort=("Name", "Ascending"),
    )


# The orders of a tuning job's children: SortBy -> (key, its type in a token).
# FinalObjectiveMetricValue is the call's own: it reads the tuning job's entries.
_CHILD_ORDERS: dict[str, tuple[Callable[[Job], Any], type]] = {
    "Name": (lambda child: child.name, str),
    "CreationTime": (lambda child: child.created, float),
    "Status": (lambda child: child.status, str),
}


# --- stop, delete ----------------------------------------------------------------------------


def stop_hyper_parameter_tuning_job(world: World, request: dict[str, Any]) -> dict[str, Any]:
    """StopHyperParameterTuningJob: Stopping, running children stopped, then Stopped."""
    name = request["HyperParameterTuningJobName"]
    job = find(world, KIND, name, messages.missing_tuning_job("StopHyperParameterTuningJob", name))
    if job.status != IN_PROGRESS:
        raise ApiError("ValidationException", messages.tuning_job_not_stoppable(name, job.status))
    _stop(world, job, world.emulator.now())
    return {}


def delete_hyper_parameter_tuning_job(world: World, request: dict[str, Any]) -> dict[str, Any]:
    """DeleteHyperParameterTuningJob: the tuning job's entry only; its children stay."""
    name = request["HyperParameterTuningJobName"]
    job = find(
        world, KIND, name, messages.missing_tuning_job("DeleteHyperParameterTuningJob", name)
    )
    if not job.terminal:
        raise ApiError("ValidationException", messages.tuning_job_not_deletable(name, job.status))
    world.remove(job)
    return {}


# --- the early tuning API (legacy view) ------------------------------------------------------

_RANGE_TYPES = {
    "CategoricalParameterRanges": "Categorical",
    "ContinuousParameterRanges": "Continuous",
    "IntegerParameterRanges": "Integer",
}


def describe_tuning_job(world: World, request: dict[str, Any]) -> dict[str, Any]:
    """``describe_tuning_job``: the early API's view of a tuning job (see docs/client.md).

    Computed from the same tuning job as DescribeHyperParameterTuningJob, in the
    shape of the first published page of the API (seed 002): ranges carry a
    ``Type``, resources are summarised in ``ResourcesStats``.
    """
    name = request["TuningJobName"]
    job = find(
        world, KIND, name, messages.missing_tuning_job("DescribeHyperParameterTuningJob", name)
    )
    config = _config(job)
    definition = rules.definitions(job.request)[0]
    limits = config["ResourceLimits"]
    jobs = {"Completed": 0, "Failed": 0, "Pending": 0, "Running": 0}
    finished_seconds = in_flight_seconds = 0.0
    now = world.emulator.now()
    for _, child in _children(world, job):
        count = (child.request.get("ResourceConfig") or {}).get("InstanceCount", 1)
        start, end = training_metrics.training_start(child), training_metrics.training_end(child)
        if child.status == "Completed":
            jobs["Completed"] += 1
        elif child.status == "Failed":
            jobs["Failed"] += 1
        elif start is None and not child.terminal:
            jobs["Pending"] += 1
        elif not child.terminal:
            jobs["Running"] += 1
        if start is not None and end is not None:
            finished_seconds += (end - start) * count
        elif start is not None:
            in_flight_seconds += (now - start) * count
    resource_limits = {
        "MaxNumberOfTrainingJobs": limits.get("MaxNumberOfTrainingJobs"),
        "MaxParallelTrainingJobs": limits["MaxParallelTrainingJobs"],
    }
    if "MaxRuntimeInSeconds" in limits:
        resource_limits["MaxClockTimeInHours"] = -(-limits["MaxRuntimeInSeconds"] // 3600)
    response: dict[str, Any] = {
        "MetricDefinitions": [
            dict(d)
            for d in (definition.body.get("AlgorithmSpecification") or {}).get(
                "MetricDefinitions", ()
            )
        ],
        "ParameterRanges": {
            kind: [{**entry, "Type": _RANGE_TYPES[kind]} for entry in definition.ranges[kind]]
            for kind in _RANGE_TYPES
            if definition.ranges.get(kind)
        },
        "ResourcesStats": {
            "ConsumedResources": {
                "ComputeHours": {
                    "Finished": round(finished_seconds / 3600),
                    "InFlight": round(in_flight_seconds / 3600),
                },
                "Jobs": jobs,
                "ResourceLimits": drop_none(resource_limits),
            }
        },
        "Strategy": config.get("Strategy", "Bayesian"),
        "TuningJobName": job.name,
        "TuningJobStartTime": timestamp(job.created),
        "TuningJobEndTime": timestamp(job.modified if job.terminal else None),
        "TuningJobStatus": job.status,
        "FailureReason": job.failure_reason,
    }
    best = _best(world, [job])
    if best is not None:
        best_child = _job_of_kind(world, TRAINING.kind, best["TrainingJobName"])
        metric = best["FinalHyperParameterTuningJobObjectiveMetric"]
        response["BestTrainingJob"] = {
            "FinalTuningJobObjectiveMetric": {
                "MetricName": metric["MetricName"],
                "Value": metric["Value"],
            },
            "HyperParameters": dict(best_child.request.get("HyperParameters") or {}),
            "RetriedAttempt": 0,
            "TrainingJobName": best["TrainingJobName"],
            "TrainingJobStatus": best["TrainingJobStatus"],
        }
    world.emulator.polled(job)
    return drop_none(response)
