"""The API contract: what SageMaker accepts and answers, as data.

The shipped constraint model (``spec/``), the operation table, the JSON Schemas
and their validators (with the generated fast path for valid requests),
patterns, wire checks, the one catalogue of messages and the errors.

Imports: nothing of sagemaker_lite outside this folder.
"""
