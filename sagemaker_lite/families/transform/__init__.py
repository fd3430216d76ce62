"""Batch transform jobs (their run is the batch run of ``families.shared.batch``)."""
