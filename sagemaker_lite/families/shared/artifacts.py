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
import json
import tarfile
from collections.abc import Iterable, Mapping
from typing import Any

from sagemaker_lite.contract import messages
from sagemaker_lite.contract.errors import validation_error
from sagemaker_lite.engine.behaviour import file_path
from sagemaker_lite.engine.jobs import Job
from sagemaker_lite.engine.world import World

__all__ = [
    "MANIFEST_TYPES",
    "PLACEHOLDER",
    "archive",
    "check_inputs",
    "inputs_missing",
    "manifest_failure",
    "manifest_listing",
    "put_archive",
    "put_files",
    "read_manifests",
    "scripted_files",
    "scripted_output",
]

#: The members of a model archive no script fills (training's ``model.tar.gz``, a
#: compiled model): one small text file, so the archive is a real, non-empty tar.
PLACEHOLDER_NAME = "sagemaker-lite-placeholder.txt"
PLACEHOLDER = {
    PLACEHOLDER_NAME: b"Placeholder model written by sagemaker_lite (no model_files scripted).\n"
}


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


# --- through the emulator's artifact store (S3 served in the process, or nothing) -------


def split_uri(uri: str) -> tuple[str, str]:
    """``s3://bucket/key`` -> ``(bucket, key)``."""
    bucket, _, key = uri.split("://", 1)[-1].partition("/")
    return bucket, key


def inputs_missing(world: World, uris: list[str]) -> str | None:
    """The first of ``uris`` under which S3 holds no object; None when every one has
    some, or when no S3 is served (then nothing is checked)."""
    store = world.emulator.artifacts
    if store is None:
        return None
    for uri in uris:
        if store.has_objects(uri, world.region) is False:
            return uri
    return None


def check_inputs(world: World, role: object, uris: list[str]) -> None:
    """AWS's ValidationException for a create whose input has no object under its S3Uri
    (checked only when S3 is served in the process; docs/fidelity.md, "S3 inputs")."""
    missing = inputs_missing(world, uris)
    if missing is not None:
        raise validation_error(
            messages.no_s3_objects(missing, world.region, str(role), split_uri(missing)[0])
        )


def put_archive(world: World, uri: str, members: Mapping[str, bytes], at: float) -> None:
    """Write a tar.gz of ``members`` at ``uri``, if S3 is served (virtual time ``at``)."""
    store = world.emulator.artifacts
    if store is not None:
        store.put(uri, archive(members, at), world.region)


def put_files(world: World, prefix: str, files: Mapping[str, bytes]) -> None:
    """Write each of ``files`` (``{relative path: bytes}``) under ``prefix``, if S3 is served."""
    store = world.emulator.artifacts
    if store is None:
        return
    base = prefix.rstrip("/")
    for path in sorted(files):
        if store.put(f"{base}/{path}", files[path], world.region) is None:
            return  # no S3 served: the rest would not be either


# --- manifests (ManifestFile, AugmentedManifestFile inputs) ---------------------------
# Read for training channels, transform inputs and processing inputs alike, as the
# job downloads its data (docs/fidelity.md, "S3 inputs").

#: The S3DataTypes whose S3Uri names a manifest, not a prefix: not looked up at create.
MANIFEST_TYPES = ("ManifestFile", "AugmentedManifestFile")

#: An augmented manifest's attributes whose values are S3 URIs: "Attribute names with a
#: "-ref" suffix point to preformatted binary data" (the developer guide's "Augmented
#: Manifest File Format for Pipe Mode Training").
REF_SUFFIX = "-ref"


class _Invalid(ValueError):
    """A manifest that cannot be read as the API reference describes it."""


def _manifest_uris(kind: str, body: bytes, attributes: list[str]) -> tuple[str, list[str]]:
    """The prefix and the S3 URIs a manifest lists (ManifestFile: its prefix, and the
    prefix + each suffix; augmented: no prefix, each ``-ref`` attribute of
    ``attributes`` on each line)."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise _Invalid("it is not UTF-8 text") from None
    if kind == "ManifestFile":
        return _manifest_file_uris(text)
    refs = [name for name in attributes if name.endswith(REF_SUFFIX)]
    uris = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except ValueError:
            raise _Invalid(f"line {number} is not a JSON object") from None
        if not isinstance(record, dict):
            raise _Invalid(f"line {number} is not a JSON object")
        for name in refs:
            value = record.get(name)
            if value is None:
                continue  # a record without the attribute: not ours to judge
            if not isinstance(value, str) or not value.startswith("s3://"):
                raise _Invalid(f"attribute '{name}' on line {number} is not an S3 URI")
            uris.append(value)
    return "", uris


def _manifest_file_uris(text: str) -> tuple[str, list[str]]:
    """A ManifestFile's prefix and URIs.  The API reference's form is one JSON array,
    ``[{"prefix": "s3://..."}, "suffix", ...]``; the same elements one per line
    (JSON lines) are accepted too."""
    try:
        elements: Any = json.loads(text)
    except ValueError:
        try:
            elements = [json.loads(line) for line in text.splitlines() if line.strip()]
        except ValueError:
            raise _Invalid("it is not JSON") from None
    if not isinstance(elements, list) or not elements:
        raise _Invalid('it is not a JSON array beginning with {"prefix": "s3://..."}')
    head, suffixes = elements[0], elements[1:]
    prefix = head.get("prefix") if isinstance(head, dict) else None
    if not isinstance(prefix, str) or not prefix.startswith("s3://") or len(prefix) <= 5:
        raise _Invalid('its first element is not {"prefix": "s3://..."}')
    if not all(isinstance(suffix, str) for suffix in suffixes):
        raise _Invalid("an element after the prefix is not a string")
    return prefix, [prefix + suffix for suffix in suffixes]


def _first_missing(world: World, uris: list[str]) -> str | None:
    """The first of ``uris`` naming no object (one listing per bucket, under the keys'
    common prefix); None when all exist or no S3 is served."""
    store = world.emulator.artifacts
    if store is None:
        return None
    by_bucket: dict[str, list[str]] = {}
    for uri in uris:
        bucket, key = split_uri(uri)
        by_bucket.setdefault(bucket, []).append(key)
    present: dict[str, set[str]] = {}
    for bucket, keys in by_bucket.items():
        first, last = min(keys), max(keys)  # their common prefix is every key's
        pairs = enumerate(zip(first, last, strict=False))
        common = first[: next((i for i, (a, b) in pairs if a != b), len(first))]
        found = store.keys(f"s3://{bucket}/{common}", world.region)
        if found is None:
            return None
        present[bucket] = set(found)
    for uri in uris:
        bucket, key = split_uri(uri)
        if key not in present[bucket]:
            return uri
    return None


def _listing(world: World, source: Mapping[str, Any]) -> tuple[str, list[str]] | None:
    """The manifest ``source`` names, read: ``(prefix, uris)`` as :func:`_manifest_uris`
    gives them.  None when there is none to read: another data type, no S3 served, or
    no object at its S3Uri.  Raises :class:`_Invalid` for a manifest that cannot be
    read as the API reference describes it."""
    store = world.emulator.artifacts
    kind = source.get("S3DataType")
    if store is None or kind not in MANIFEST_TYPES:
        return None
    body = store.get(str(source.get("S3Uri") or ""), world.region)
    if body is None:
        return None
    return _manifest_uris(str(kind), body, list(source.get("AttributeNames") or ()))


def manifest_listing(world: World, source: Mapping[str, Any]) -> tuple[str, list[str]] | None:
    """``(prefix, uris)`` of the manifest ``source`` (an S3DataSource of a
    :data:`MANIFEST_TYPES` S3DataType) names: a ManifestFile's prefix (the key
    outputs are named relative to) and the URIs it lists; an augmented manifest's
    ``-ref`` URIs with prefix "".  None when there is no such manifest to read (another
    data type, no S3 served, the manifest missing or not valid)."""
    try:
        return _listing(world, source)
    except _Invalid:
        return None


def manifest_failure(
    world: World, job_kind: str, name: str | None, source: Mapping[str, Any]
) -> str | None:
    """The FailureReason of a ``job_kind`` job whose input ``name`` (a channel, a
    processing InputName; None for a transform's one input) reads the manifest of
    ``source`` (an S3DataSource / S3Input of a :data:`MANIFEST_TYPES` S3DataType) when
    the manifest, or an object it lists, is missing or the manifest is not valid; None
    when all is there, for other data types, and when no S3 is served
    (messages.MANIFEST_FAILURE_REASONS; docs/fidelity.md, "S3 inputs")."""
    uri = str(source.get("S3Uri") or "")
    try:
        listing = _listing(world, source)
    except _Invalid as invalid:
        return messages.manifest_failure(job_kind, "invalid", uri, name, detail=str(invalid))
    if listing is None:
        store = world.emulator.artifacts
        if (
            store is None
            or source.get("S3DataType") not in MANIFEST_TYPES
            or store.has_objects(uri, world.region) is None  # no S3 served: nothing checked
        ):
            return None
        return messages.manifest_failure(job_kind, "missing", uri, name)
    missing = _first_missing(world, listing[1])
    if missing is None:
        return None
    return messages.manifest_failure(job_kind, "object_missing", uri, name, missing=missing)


def read_manifests(
    world: World,
    job: Job,
    inputs: Iterable[tuple[str | None, Mapping[str, Any]]],
    fails_at: float,
) -> bool:
    """Read the manifest of each of ``inputs`` (``(name, source)``, as for
    :func:`manifest_failure`) as ``job`` downloads its data.  At the first one missing
    (or a missing object it lists), the job fails at ``fails_at`` with that reason
    (kept as ``job.data["input_failure"]``; the rest of its plan never happens):
    True then."""
    for name, source in inputs:
        reason = manifest_failure(world, job.kind, name, source)
        if reason is not None:
            job.generation += 1  # the rest of the plan never happens
            job.data["input_failure"] = reason
            world.emulator.scheduler.schedule(job, "fail", fails_at)
            return True
    return False
