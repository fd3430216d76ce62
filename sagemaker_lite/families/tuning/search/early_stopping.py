"""``TrainingJobEarlyStoppingType: Auto``: SageMaker's median stopping rule.

As SageMaker documents it: after each epoch, take the objective value of
the current job; compute each previous job's running average of the
objective up to the same epoch and the median of those averages; if the
current value is worse (higher when minimising, lower when maximising)
than that median, stop the current job.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence


def median_rule_should_stop(
    current_values: Sequence[float], others: Sequence[Sequence[float]], *, minimize: bool
) -> bool:
    """Whether the job with per-epoch ``current_values`` stops at its latest epoch.

    ``others`` are the per-epoch values of previously launched jobs; only those
    that reached the same epoch take part.  With none, the job continues.
    """
    epoch = len(current_values)
    if epoch == 0:
        return False
    averages = [sum(values[:epoch]) / epoch for values in others if len(values) >= epoch]
    if not averages:
        return False
    median = statistics.median(averages)
    latest = current_values[-1]
    return latest > median if minimize else latest < median
