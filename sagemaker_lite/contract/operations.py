"""The one operation table: every API operation the client offers.

Adding an operation is one row here plus its handler; the client, the
validators, the boto3 adapter and the CLI all read this table.
"""

from __future__ import annotations

import re

import attrs


@attrs.frozen
class Operation:
    """One API operation: its AWS name and the dotted path of its handler."""

    name: str
    handler: str  # "module:function" under sagemaker_lite.families
    legacy: bool = (
        False  # not in botocore's model: validated by sagemaker_lite.contract.spec.LEGACY
    )

    @property
    def python_name(self) -> str:
        """The boto3 method name (``CreateTrainingJob`` -> ``create_training_job``)."""
        return _snake(self.name)


def _snake(name: str) -> str:
    return re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", name).lower()


_T = "training.service"
_H = "tuning.service"
_C = "compilation.service"
_G = "tags.service"
_M = "models.service"
_P = "processing.service"
_X = "transform.service"
_E = "endpoints.service"
_R = "registry.service"
_L = "pipelines.service"

OPERATIONS: dict[str, Operation] = {
    op.name: op
    for op in (
        Operation("CreateTrainingJob", f"{_T}:create_training_job"),
        Operation("DescribeTrainingJob", f"{_T}:describe_training_job"),
        Operation("ListTrainingJobs", f"{_T}:list_training_jobs"),
        Operation("StopTrainingJob", f"{_T}:stop_training_job"),
        Operation("UpdateTrainingJob", f"{_T}:update_training_job"),
        Operation("DeleteTrainingJob", f"{_T}:delete_training_job"),
        Operation("CreateHyperParameterTuningJob", f"{_H}:create_hyper_parameter_tuning_job"),
        Operation("DescribeHyperParameterTuningJob", f"{_H}:describe_hyper_parameter_tuning_job"),
        Operation("ListHyperParameterTuningJobs", f"{_H}:list_hyper_parameter_tuning_jobs"),
        Operation(
            "ListTrainingJobsForHyperParameterTuningJob",
            f"{_H}:list_training_jobs_for_hyper_parameter_tuning_job",
        ),
        Operation("StopHyperParameterTuningJob", f"{_H}:stop_hyper_parameter_tuning_job"),
        Operation("DeleteHyperParameterTuningJob", f"{_H}:delete_hyper_parameter_tuning_job"),
        Operation("CreateCompilationJob", f"{_C}:create_compilation_job"),
        Operation("DescribeCompilationJob", f"{_C}:describe_compilation_job"),
        Operation("ListCompilationJobs", f"{_C}:list_compilation_jobs"),
        Operation("StopCompilationJob", f"{_C}:stop_compilation_job"),
        Operation("DeleteCompilationJob", f"{_C}:delete_compilation_job"),
        Operation("CreateModel", f"{_M}:create_model"),
        Operation("DescribeModel", f"{_M}:describe_model"),
        Operation("ListModels", f"{_M}:list_models"),
        Operation("DeleteModel", f"{_M}:delete_model"),
        Operation("CreateProcessingJob", f"{_P}:create_processing_job"),
        Operation("DescribeProcessingJob", f"{_P}:describe_processing_job"),
        Operation("ListProcessingJobs", f"{_P}:list_processing_jobs"),
        Operation("StopProcessingJob", f"{_P}:stop_processing_job"),
        Operation("CreateTransformJob", f"{_X}:create_transform_job"),
        Operation("DescribeTransformJob", f"{_X}:describe_transform_job"),
        Operation("ListTransformJobs", f"{_X}:list_transform_jobs"),
        Operation("StopTransformJob", f"{_X}:stop_transform_job"),
        Operation("CreateEndpointConfig", f"{_E}:create_endpoint_config"),
        Operation("DescribeEndpointConfig", f"{_E}:describe_endpoint_config"),
        Operation("ListEndpointConfigs", f"{_E}:list_endpoint_configs"),
        Operation("DeleteEndpointConfig", f"{_E}:delete_endpoint_config"),
        Operation("CreateEndpoint", f"{_E}:create_endpoint"),
        Operation("DescribeEndpoint", f"{_E}:describe_endpoint"),
        Operation("ListEndpoints", f"{_E}:list_endpoints"),
        Operation("UpdateEndpoint", f"{_E}:update_endpoint"),
        Operation(
            "UpdateEndpointWeightsAndCapacities", f"{_E}:update_endpoint_weights_and_capacities"
        ),
        Operation("DeleteEndpoint", f"{_E}:delete_endpoint"),
        # What the SDK's clean-up asks of an endpoint without monitoring: an empty list.
        Operation("ListMonitoringSchedules", f"{_E}:list_monitoring_schedules"),
        # The early tuning API (seed 002), kept as a legacy view of tuning jobs.
        Operation("DescribeTuningJob", f"{_H}:describe_tuning_job", legacy=True),
        Operation("CreateModelPackageGroup", f"{_R}:create_model_package_group"),
        Operation("DescribeModelPackageGroup", f"{_R}:describe_model_package_group"),
        Operation("ListModelPackageGroups", f"{_R}:list_model_package_groups"),
        Operation("DeleteModelPackageGroup", f"{_R}:delete_model_package_group"),
        Operation("CreateModelPackage", f"{_R}:create_model_package"),
        Operation("DescribeModelPackage", f"{_R}:describe_model_package"),
        Operation("ListModelPackages", f"{_R}:list_model_packages"),
        Operation("UpdateModelPackage", f"{_R}:update_model_package"),
        Operation("DeleteModelPackage", f"{_R}:delete_model_package"),
        Operation("BatchDescribeModelPackage", f"{_R}:batch_describe_model_package"),
        Operation("Search", "search.service:search"),
        Operation("CreatePipeline", f"{_L}:create_pipeline"),
        Operation("DescribePipeline", f"{_L}:describe_pipeline"),
        Operation("UpdatePipeline", f"{_L}:update_pipeline"),
        Operation("DeletePipeline", f"{_L}:delete_pipeline"),
        Operation("ListPipelines", f"{_L}:list_pipelines"),
        Operation("ListPipelineVersions", f"{_L}:list_pipeline_versions"),
        Operation("StartPipelineExecution", f"{_L}:start_pipeline_execution"),
        Operation("DescribePipelineExecution", f"{_L}:describe_pipeline_execution"),
        Operation("ListPipelineExecutions", f"{_L}:list_pipeline_executions"),
        Operation("ListPipelineExecutionSteps", f"{_L}:list_pipeline_execution_steps"),
        Operation(
            "ListPipelineParametersForExecution", f"{_L}:list_pipeline_parameters_for_execution"
        ),
        Operation(
            "DescribePipelineDefinitionForExecution",
            f"{_L}:describe_pipeline_definition_for_execution",
        ),
        Operation("StopPipelineExecution", f"{_L}:stop_pipeline_execution"),
        Operation("RetryPipelineExecution", f"{_L}:retry_pipeline_execution"),
        Operation("UpdatePipelineExecution", f"{_L}:update_pipeline_execution"),
        Operation("SendPipelineExecutionStepSuccess", f"{_L}:send_pipeline_execution_step_success"),
        Operation("SendPipelineExecutionStepFailure", f"{_L}:send_pipeline_execution_step_failure"),
        Operation("AddTags", f"{_G}:add_tags"),
        Operation("ListTags", f"{_G}:list_tags"),
        Operation("DeleteTags", f"{_G}:delete_tags"),
    )
}

#: Operations in the constraint model (every operation of AWS's current API we serve).
SPEC_OPERATIONS = tuple(name for name, op in OPERATIONS.items() if not op.legacy)
