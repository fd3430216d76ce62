"""Snapshot and restore: the whole state of an emulator as plain JSON data.

A snapshot holds the virtual clock, the random state behind generated names,
the request-id counter, every world with its jobs (in creation order, so listings
keep their order) and every live scheduled event.  Jobs carry their plan in
``Job.data``: scripts (which may be callables) are evaluated when a job is
created, so an in-flight job is fully captured even though the scripts
themselves are not; a restored emulator keeps the scripts it already had.

Values JSON cannot hold natively (datetimes, bytes, decimals, tuples) are
tagged (``{"$datetime": iso}``...) so a snapshot survives ``json.dumps`` and
``json.loads`` unchanged.
"""

from __future__ import annotations

import base64
import decimal
from datetime import datetime
from typing import TYPE_CHECKING, Any

from .jobs import Job

if TYPE_CHECKING:
    from .emulator import Emulator

#: Bumped whenever the layout changes; restore refuses other versions.
FORMAT_VERSION = 2

# Tag keys for values JSON cannot represent.
_DATETIME, _BYTES, _DECIMAL, _TUPLE = "$datetime", "$bytes", "$decimal", "$tuple"
_TAGS = frozenset((_DATETIME, _BYTES, _DECIMAL, _TUPLE))


def encode(value: Any) -> Any:
    """``value`` as JSON data, with non-JSON scalars tagged."""
    if isinstance(value, dict):
        return {str(k): encode(v) for k, v in value.items()}
    if isinstance(value, list):
        return [encode(v) for v in value]
    if isinstance(value, tuple):
        return {_TUPLE: [encode(v) for v in value]}
    if isinstance(value, datetime):
        return {_DATETIME: value.isoformat()}
    if isinstance(value, (bytes, bytearray)):
        return {_BYTES: base64.b64encode(bytes(value)).decode("ascii")}
    if isinstance(value, decimal.Decimal):
        return {_DECIMAL: str(value)}
    return value


def decode(value: Any) -> Any:
    """The inverse of :func:`encode`."""
    if isinstance(value, dict):
        if len(value) == 1:
            ((key, inner),) = value.items()
            if key in _TAGS:
                return _untag(key, inner)
        return {k: decode(v) for k, v in value.items()}
    if isinstance(value, list):
        return [decode(v) for v in value]
    return value


def _untag(key: str, inner: Any) -> Any:
    if key == _DATETIME:
        return datetime.fromisoformat(inner)
    if key == _BYTES:
        return base64.b64decode(inner)
    if key == _DECIMAL:
        return decimal.Decimal(inner)
    return tuple(decode(v) for v in inner)


# --- jobs -------------------------------------------------------------------


def _job_ref(job: Job, account: str, region: str) -> list[str]:
    return [account, region, job.kind, job.name.lower()]


def _dump_job(job: Job) -> dict[str, Any]:
    return {
        "kind": job.kind,
        "name": job.name,
        "arn": job.arn,
        "request": encode(job.request),
        "created": job.created,
        "status": job.status,
        "secondary": job.secondary,
        "modified": job.modified,
        "history": [[status, start] for status, start in job.history],
        "tags": dict(job.tags),
        "generation": job.generation,
        "failure_reason": job.failure_reason,
        "data": encode(job.data),
    }


def _load_job(data: dict[str, Any]) -> Job:
    return Job(
        kind=data["kind"],
        name=data["name"],
        arn=data["arn"],
        request=decode(data["request"]),
        created=float(data["created"]),
        status=data["status"],
        secondary=data["secondary"],
        modified=float(data["modified"]),
        history=[(status, float(start)) for status, start in data["history"]],
        tags=dict(data["tags"]),
        generation=int(data["generation"]),
        failure_reason=data["failure_reason"],
        data=decode(data["data"]),
    )


# --- the emulator -------------------------------------------------------------


def snapshot(emulator: Emulator) -> dict[str, Any]:
    """The emulator's whole state as JSON-serialisable data (taken under its lock)."""
    with emulator.lock:
        worlds = []
        where: dict[int, list[str]] = {}  # id(job) -> its reference, for scheduled events
        for (account, region), world in emulator.worlds.items():
            tables = {}
            for kind, table in world.tables.items():
                tables[kind] = [_dump_job(job) for job in table.values()]
                for job in table.values():
                    where[id(job)] = _job_ref(job, account, region)
            worlds.append({"account": account, "region": region, "tables": tables})
        pending = [
            [at, where[id(job)], event]
            for at, job, event in emulator.scheduler.pending()
            if id(job) in where  # an event of a job no world holds can never fire visibly
        ]
        version, state, gauss = emulator._random.getstate()
        return {
            "format": FORMAT_VERSION,
            "clock": emulator.clock.time(),
            "seed": emulator.seed,
            "auto_advance": emulator.auto_advance,
            "random": [version, list(state), gauss],
            "request_ids": [emulator.request_id_prefix, emulator.requests_served],
            "worlds": worlds,
            "pending": pending,
        }


def restore(emulator: Emulator, state: dict[str, Any]) -> None:
    """Replace ``emulator``'s state with ``state`` (from :func:`snapshot`), in place.

    Existing clients stay valid: their worlds are refilled, not replaced.  The
    clock is set to the snapshot's time even if that is earlier than now.
    Scripts (``script_training`` & co.) are left as they are.
    """
    if state.get("format") != FORMAT_VERSION:
        raise ValueError(f"unsupported snapshot format {state.get('format')!r}")
    with emulator.lock:
        emulator.scheduler.clear()
        for world in emulator.worlds.values():
            world.clear()  # any job reference a caller kept goes stale
        jobs: dict[tuple[str, ...], Job] = {}
        for saved in state["worlds"]:
            world = emulator.world(saved["account"], saved["region"])
            for kind, table in saved["tables"].items():
                world.table(kind)  # keep empty tables too: they were part of the state
                for data in table:
                    job = _load_job(data)
                    world.add(job)
                    jobs[(saved["account"], saved["region"], kind, job.name.lower())] = job
        for at, ref, event in state["pending"]:
            emulator.scheduler.schedule(jobs[tuple(ref)], event, float(at))
        version, internal, gauss = state["random"]
        emulator._random.setstate((version, tuple(internal), gauss))
        emulator.request_id_prefix, emulator.requests_served = state["request_ids"]
        emulator.seed = state["seed"]
        emulator.auto_advance = state["auto_advance"]
        _rewind(emulator, float(state["clock"]))


def _rewind(emulator: Emulator, when: float) -> None:
    # VirtualClock.set refuses to go back, rightly for users; a restore is the
    # one legitimate time travel, so it sets the clock's time directly.
    clock = emulator.clock
    with clock._lock:
        clock._t = when


__all__ = ["FORMAT_VERSION", "decode", "encode", "restore", "snapshot"]
