"""What users touch: the direct client (paginators, waiters), the boto3 adapter
(shared models, virtual time, the CloudWatch handlers), the CLI, the demo and
the coverage table.  (The testing kit is a surface too, at ``sagemaker_lite.testing``.)

Imports: anything below (``views``, ``families``, ``engine``, ``contract``).
"""
