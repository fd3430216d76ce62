"""What jobs publish: CloudWatch Logs and metrics, derived from the job plan.

Views are computed at each call from a job's plan, request and history; they
store nothing.

Imports: ``families``, ``engine``, ``contract``.
"""
