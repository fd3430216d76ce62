"""SageMaker Pipelines: pipelines, versions, executions and the executor."""
