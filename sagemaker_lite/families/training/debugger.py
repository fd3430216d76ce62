"""Debugger and Profiler rule evaluations of a training job, as DescribeTrainingJob shows them.

Each rule in ``DebugRuleConfigurations`` / ``ProfilerRuleConfigurations`` runs as
a processing job beside the training job.  Its status is derived from the job's
times, so nothing is scheduled: ``InProgress`` from creation (with its
processing job's ARN once training has started), then, ``RULE_EVALUATION_SECONDS``
after the training job ends, the outcome the job's plan scripts (``NoIssuesFound``
unless ``script_training(rule_outcomes=...)`` says otherwise).  A job that ended
without ever training saved no data, so its rules end in ``Error``.  Evidence:
docs/fidelity.md, "Debugger and Profiler rules".
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any

from sagemaker_lite.engine.behaviour import rule_outcome
from sagemaker_lite.engine.jobs import Job
from sagemaker_lite.families.shared.service import timestamp

#: Seconds from the training job's end to its rules' outcome.  A 2021 describe shows
#: NoIssuesFound 13 s after TrainingEndTime; a 2022 one still InProgress 3 s after.
RULE_EVALUATION_SECONDS = 15.0
#: (request member, describe member) of each kind of rule.
RULE_KINDS = (
    ("DebugRuleConfigurations", "DebugRuleEvaluationStatuses"),
    ("ProfilerRuleConfigurations", "ProfilerRuleEvaluationStatuses"),
)
#: StatusDetails by outcome, as real describes print them (``{rule}``, ``{step}`` filled in).
STATUS_DETAILS = {
    "IssuesFound": (
        "RuleEvaluationConditionMet: Evaluation of the rule {rule} at step {step} "
        "resulted in the condition being met\n"
    ),
    "Error": (
        "ClientError: No debugging data was saved by the training job. Check that the "
        "debugger hook was configured correctly before starting the training job. "
        "Exception: Training job has ended. All the collection files could not be loaded"
    ),
}
# A processing job name keeps 26 characters of the training job's name.
_NAME_PREFIX = 26
_RULE_PART = 27  # what is left of the 63 characters for the rule's name


def rule_job_arn(job: Job, rule: str) -> str:
    """The ARN of the processing job evaluating ``rule``: ``{job[:26]}-{rule}-{8 hex}``."""
    prefix = job.arn.rsplit(":", 1)[0]
    digits = hashlib.sha256(f"{job.arn}\x00{rule}".encode()).hexdigest()[:8]
    # A processing job name holds only ASCII letters, digits and hyphens: the rule's
    # other characters ("Loss Not_Decreasing", "İ", which lower() makes two) are dropped.
    part = "".join(c for c in rule.lower() if c.isascii() and (c.isalnum() or c == "-"))
    name = f"{job.name[:_NAME_PREFIX]}-{part[:_RULE_PART]}-{digits}".lower()
    return f"{prefix}:processing-job/{name}"


def has_rules(request: Mapping[str, Any]) -> bool:
    """Whether a training job request configures any Debugger or Profiler rule."""
    return bool(request.get("DebugRuleConfigurations") or request.get("ProfilerRuleConfigurations"))


def rules_concluded(job: Job, end: float | None, now: float) -> float | None:
    """When the job's rules reached their outcome, if they have by ``now`` (None without rules)."""
    if end is None or not has_rules(job.request):
        return None
    concluded = end + RULE_EVALUATION_SECONDS
    return concluded if now >= concluded else None


def rule_statuses(
    job: Job, start: float | None, end: float | None, now: float
) -> dict[str, list[dict[str, Any]]]:
    """``DebugRuleEvaluationStatuses`` / ``ProfilerRuleEvaluationStatuses`` of ``job`` at ``now``.

    ``start``/``end`` are the job's TrainingStartTime and TrainingEndTime (None when
    not reached).  Members without configured rules are left out.
    """
    statuses: dict[str, list[dict[str, Any]]] = {}
    if not has_rules(job.request):
        return statuses
    concluded = rules_concluded(job, end, now)
    for request_member, describe_member in RULE_KINDS:
        rules = job.request.get(request_member) or ()
        if rules:
            statuses[describe_member] = [_status(job, rule, start, concluded) for rule in rules]
    return statuses


def _status(
    job: Job, rule: Mapping[str, Any], start: float | None, concluded: float | None
) -> dict[str, Any]:
    name = rule["RuleConfigurationName"]
    status: dict[str, Any] = {"RuleConfigurationName": name}
    if start is not None:
        status["RuleEvaluationJobArn"] = rule_job_arn(job, name)
    if concluded is None:
        status["RuleEvaluationStatus"] = "InProgress"
        status["LastModifiedTime"] = timestamp(start if start is not None else job.created)
        return status
    plan = job.data["plan"]
    outcome = rule_outcome(plan, name) if start is not None else "Error"
    status["RuleEvaluationStatus"] = outcome
    if outcome in STATUS_DETAILS:
        status["StatusDetails"] = STATUS_DETAILS[outcome].format(
            rule=name, step=10 * int(plan.get("epochs", 10))
        )
    status["LastModifiedTime"] = timestamp(concluded)
    return status


def profiling_status(request: Mapping[str, Any]) -> str | None:
    """``ProfilingStatus``: Enabled for a ProfilerConfig that does not disable the profiler."""
    config = request.get("ProfilerConfig")
    if config is None:
        return None
    return "Disabled" if config.get("DisableProfiler") else "Enabled"
