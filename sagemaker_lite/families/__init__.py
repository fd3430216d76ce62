"""The job families: one folder each, service and rules together.

A family never imports another family's folder; what several share lives in
``shared/``, and a family reaches another through the engine
(``world.emulator.family(kind)``).

Imports: ``engine`` and ``contract`` (and ``shared/``).
"""

#: Job kind -> its family's module: the engine's ``family(kind)`` (events and the
#: calls families make on one another) and nothing else reads it.
FAMILIES = {
    "training-job": "sagemaker_lite.families.training.service",
    "hyper-parameter-tuning-job": "sagemaker_lite.families.tuning.service",
    "compilation-job": "sagemaker_lite.families.compilation.service",
    "processing-job": "sagemaker_lite.families.processing.service",
    "transform-job": "sagemaker_lite.families.transform.service",
    "model": "sagemaker_lite.families.models.service",
    "endpoint": "sagemaker_lite.families.endpoints.service",
    "model-package-group": "sagemaker_lite.families.registry.service",
    "model-package": "sagemaker_lite.families.registry.service",
    "pipeline": "sagemaker_lite.families.pipelines.service",
    "pipeline-execution": "sagemaker_lite.families.pipelines.service",
}
