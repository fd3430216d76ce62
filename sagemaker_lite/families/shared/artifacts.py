"""What a job leaves behind: its scripted files, read from its plan.

A job's files are part of its plan (``script_processing(outputs=...)``,
``script_training(model_files=..., output_files=...)``, see docs/scripting.md),
fixed when it is created.  Whoever needs them reads them here: the S3 writes a
finished job makes, and code that must see a job's output without S3 (a
pipeline's ``JsonGet`` over a ``PropertyFile``).
"""

from __future__ import annotations

import gzip
import io
import tarfile
from collections.abc import Mapping

from sagemaker_lite.engine.behaviour import file_path
from sagemaker_lite.engine.jobs import Job

__all__ = ["archive", "scripted_files", "scripted_output"]


def scripted_files(job: Job, artifact: str) -> dict[str, bytes]:
    """``{path: bytes}`` scripted for one artifact of ``job`` (a processing job's
    OutputName; a training job's ``"model"`` or ``"output"``); empty if none."""
    files: Mapping[str, Mapping[str, bytes]] = job.data["plan"].get("files") or {}
    return dict(files.get(artifact) or {})


def scripted_output(job: Job, output_name: str, path: str) -> bytes | None:
    """The content of the file ``path`` (relative to the output's ``LocalPath``)
    that ``job``'s plan leaves in its output ``output_name``; None if it leaves none.

    Read from the plan, so it needs no S3 and is known from the job's creation
    (whether the job has written it yet is for its status to say).
    """
    try:
        normalised = file_path(path)
    except ValueError:
        return None
    return scripted_files(job, output_name).get(normalised)


def archive(members: Mapping[str, bytes], mtime: float) -> bytes:
    """A gzip-compressed tar of ``members`` (``{path: bytes}``, in path order).

    Deterministic: the same members and ``mtime`` (the job's virtual time) give
    the same bytes, so artifacts do not change from run to run.
    """
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for path in sorted(members):
            info = tarfile.TarInfo(path)
            info.size = len(members[path])
            info.mtime = int(mtime)
            info.mode = 0o644
            tar.addfile(info, io.BytesIO(members[path]))
    packed = io.BytesIO()
    with gzip.GzipFile(fileobj=packed, mode="wb", mtime=int(mtime)) as compressed:
        compressed.write(raw.getvalue())
    return packed.getvalue()
