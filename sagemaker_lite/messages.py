"""The one catalogue of the error messages the emulated service answers with.

Every user-visible error text lives here, so that fidelity fixes happen in
one place.  Texts are AWS's own wherever a public source shows them (see
docs/fidelity.md); each section belongs to one concern.
"""

from __future__ import annotations

# --- Request validation (schema constraints) --------------------------------
# Filled by sagemaker_lite.validation.

# --- Common resource errors --------------------------------------------------
# DescribeTrainingJob & co. answer ValidationException, not the modeled
# ResourceNotFound, for a missing job (docs/fidelity.md).
RESOURCE_NOT_FOUND = "Requested resource not found."
INVALID_NEXT_TOKEN = "Invalid pagination token because of invalid format."  # wording not confirmed

# --- Training jobs -----------------------------------------------------------
def training_job_exists(arn: str) -> str:
    """CreateTrainingJob with a name already used in this account and region."""
    return (
        "Training job names must be unique within an AWS account and region, "
        f"and a training job with this name already exists ({arn})"
    )


def training_job_not_stoppable(arn: str, status: str) -> str:
    """StopTrainingJob on a job that is not InProgress."""
    return f"The request was rejected because the training job is in status {status}."


def training_job_not_deletable(name: str, status: str) -> str:
    """DeleteTrainingJob on a job that has not reached a terminal status."""
    return f"Training job {name} is in status {status} and cannot be deleted."


# StatusMessage of each SecondaryStatusTransitions entry, by secondary status.
SECONDARY_STATUS_MESSAGES: dict[str, str] = {
    "Starting": "Preparing the instances for training",
    "Downloading": "Downloading input data",
    "Training": "Training image download completed. Training in progress.",
    "Uploading": "Uploading generated training model",
    "Completed": "Training job completed",
    "Stopping": "Stopping the training job",
    "Stopped": "Training job stopped",
    "MaxRuntimeExceeded": "Training job stopped because it exceeded MaxRuntimeInSeconds",
    "MaxWaitTimeExceeded": "Training job stopped because it exceeded MaxWaitTimeInSeconds",
    "Failed": "Training job failed",
    "Interrupted": "Spot instances were interrupted",
}

# --- Hyperparameter tuning jobs ----------------------------------------------

# --- Compilation jobs --------------------------------------------------------

# --- Tags ----------------------------------------------------------------------
