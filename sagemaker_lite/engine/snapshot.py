"""Snapshot and restore: the whole state of an emulator as plain JSON data.

A snapshot holds the virtual clock, the random state behind generated names,
the request-id counter, every world with its jobs (in creation order, so listings
keep their order) and every live scheduled event.  Jobs carry their plan in
``Job.data``: scripts (which may be callables) are evaluated when a job is
created, so an in-flight job is fully captured even though the scripts
themselves are not; a restored emulator keeps the scripts it already had.

Values JSON cannot hold natively (datetimes, bytes, decimals, tuples) are
tagged (``{"$datetime": iso}``...) so a snapshot survives ``json.dumps`` and
``json.loads`` unchanged.  User data cannot pass for a tag: every dict key of
user data that starts with ``$`` is written with one more ``$`` in front
(``{"$tuple": "abc"}`` is stored as ``{"$$tuple": "abc"}``), so a key with a
single leading ``$`` is always a tag.

A snapshot that cannot be read (edited by hand, truncated, of an unknown
format) makes :func:`restore` raise :class:`SnapshotError` and leaves the
emulator as it was.
"""

from __future__ import annotations

import base64
import binascii
import decimal
import random
from datetime import datetime
from typing import Any

import attrs

from sagemaker_lite.engine.emulator import Engine
from sagemaker_lite.engine.jobs import Job
from sagemaker_lite.engine.lifecycle import MACHINES

#: Bumped whenever the layout changes.  3: user keys starting with "$" are escaped.
FORMAT_VERSION = 3
#: Older formats restore still reads (2: the same layout, user keys not escaped).
READABLE_FORMATS = frozenset((2, FORMAT_VERSION))

# Tag keys for values JSON cannot represent.
_DATETIME, _BYTES, _DECIMAL, _TUPLE = "$datetime", "$bytes", "$decimal", "$tuple"
_TAGS = frozenset((_DATETIME, _BYTES, _DECIMAL, _TUPLE))
_ESCAPE = "$"


class SnapshotError(ValueError):
    """A snapshot :func:`restore` cannot read: unknown format, or malformed data."""


def _key(key: Any) -> str:
    text = str(key)
    return _ESCAPE + text if text.startswith(_ESCAPE) else text


def encode(value: Any) -> Any:
    """``value`` as JSON data, with non-JSON scalars tagged and ``$`` keys escaped."""
    if isinstance(value, dict):
        return {_key(k): encode(v) for k, v in value.items()}
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


def decode(value: Any, *, escaped: bool = True) -> Any:
    """The inverse of :func:`encode` (``escaped=False``: format 2, keys as they are).

    Raises :class:`SnapshotError` for data :func:`encode` cannot have written.
    """
    if isinstance(value, dict):
        if len(value) == 1:
            ((key, inner),) = value.items()
            if key in _TAGS:
                return _untag(key, inner, escaped)
        return {_unkey(k, escaped): decode(v, escaped=escaped) for k, v in value.items()}
    if isinstance(value, list):
        return [decode(v, escaped=escaped) for v in value]
    return value


def _unkey(key: str, escaped: bool) -> str:
    if not escaped or not key.startswith(_ESCAPE):
        return key
    if key.startswith(_ESCAPE * 2):
        return key[1:]
    raise SnapshotError(f"malformed snapshot: {key!r} is no tag here and is not escaped")


def _untag(key: str, inner: Any, escaped: bool) -> Any:
    try:
        if key == _DATETIME:
            return datetime.fromisoformat(inner)
        if key == _BYTES:
            return base64.b64decode(inner, validate=True)
        if key == _DECIMAL:
            return decimal.Decimal(inner)
        if isinstance(inner, list):
            return tuple(decode(v, escaped=escaped) for v in inner)
    except (TypeError, ValueError, binascii.Error, decimal.InvalidOperation):
        pass
    raise SnapshotError(f"malformed snapshot: {key} holds {inner!r:.80}")


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


def _text(value: Any, optional: bool = False) -> Any:
    if isinstance(value, str) or (optional and value is None):
        return value
    raise SnapshotError(f"malformed snapshot: expected a string, found {value!r:.80}")


def _object(value: Any) -> dict[str, Any]:
    if isinstance(value, dict):
        return value
    raise SnapshotError(f"malformed snapshot: expected an object, found {value!r:.80}")


def _load_job(data: Any, escaped: bool) -> Job:
    data = _object(data)
    kind = _text(data["kind"])
    if kind not in MACHINES:
        raise SnapshotError(f"malformed snapshot: unknown job kind {kind!r:.80}")
    return Job(
        kind=kind,
        name=_text(data["name"]),
        arn=_text(data["arn"]),
        request=_object(decode(data["request"], escaped=escaped)),
        created=float(data["created"]),
        status=_text(data["status"]),
        secondary=_text(data["secondary"], optional=True),
        modified=float(data["modified"]),
        history=[(_text(status), float(start)) for status, start in data["history"]],
        tags={_text(k): _text(v) for k, v in _object(data["tags"]).items()},
        generation=int(data["generation"]),
        failure_reason=_text(data["failure_reason"], optional=True),
        data=_object(decode(data["data"], escaped=escaped)),
    )


# --- the emulator -------------------------------------------------------------


def snapshot(emulator: Engine) -> dict[str, Any]:
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


def restore(emulator: Engine, state: dict[str, Any]) -> None:
    """Replace ``emulator``'s state with ``state`` (from :func:`snapshot`), in place.

    Existing clients stay valid: their worlds are refilled, not replaced.  The
    clock is set to the snapshot's time even if that is earlier than now.
    Scripts (``script_training`` & co.) are left as they are.  A snapshot that
    cannot be read raises :class:`SnapshotError` and changes nothing.
    """
    loaded = _read(state)
    with emulator.lock:
        emulator.scheduler.clear()
        for world in emulator.worlds.values():
            world.clear()  # any job reference a caller kept goes stale
        for account, region, tables in loaded.worlds:
            world = emulator.world(account, region)
            for kind, jobs in tables.items():
                world.table(kind)  # keep empty tables too: they were part of the state
                for job in jobs:
                    world.add(job)
        for at, job, event in loaded.pending:
            emulator.scheduler.schedule(job, event, at)
        emulator._random.setstate(loaded.random)
        emulator.request_id_prefix, emulator.requests_served = loaded.request_ids
        emulator.seed = loaded.seed
        emulator.auto_advance = loaded.auto_advance
        _rewind(emulator, loaded.clock)


@attrs.frozen
class _Loaded:
    """A snapshot read and checked, ready to put in place."""

    worlds: list[tuple[str, str, dict[str, list[Job]]]]
    pending: list[tuple[float, Job, str]]
    random: tuple[Any, ...]
    request_ids: tuple[str, int]
    seed: int
    auto_advance: bool
    clock: float


def _read(state: Any) -> _Loaded:
    """Everything in ``state``, or :class:`SnapshotError` (nothing is changed before)."""
    fmt = state.get("format") if isinstance(state, dict) else None
    if fmt not in READABLE_FORMATS:
        raise SnapshotError(f"unsupported snapshot format {fmt!r:.80}")
    try:
        return _read_format(state, escaped=fmt != 2)
    except SnapshotError:
        raise
    except (KeyError, IndexError, TypeError, ValueError, AttributeError, OverflowError) as error:
        raise SnapshotError(f"malformed snapshot: {type(error).__name__}: {error}") from None


def _read_format(state: dict[str, Any], escaped: bool) -> _Loaded:
    worlds = []
    jobs: dict[tuple[str, ...], Job] = {}
    for saved in state["worlds"]:
        account, region = _text(saved["account"]), _text(saved["region"])
        tables: dict[str, list[Job]] = {}
        for kind, table in _object(saved["tables"]).items():
            tables[kind] = [_load_job(data, escaped) for data in table]
            for job in tables[kind]:
                jobs[(account, region, kind, job.name.lower())] = job
        worlds.append((account, region, tables))
    pending = [(float(at), jobs[tuple(ref)], _text(event)) for at, ref, event in state["pending"]]
    version, internal, gauss = state["random"]
    random_state = (version, tuple(internal), gauss)
    random.Random().setstate(random_state)  # refuses a bad state before anything changes
    prefix, served = state["request_ids"]
    seed, auto_advance = state["seed"], state["auto_advance"]
    if not isinstance(seed, int) or not isinstance(auto_advance, bool):
        raise SnapshotError("malformed snapshot: seed or auto_advance")
    return _Loaded(
        worlds,
        pending,
        random_state,
        (_text(prefix), int(served)),
        seed,
        auto_advance,
        float(state["clock"]),
    )


def _rewind(emulator: Engine, when: float) -> None:
    # VirtualClock.set refuses to go back, rightly for users; a restore is the
    # one legitimate time travel, so it sets the clock's time directly.
    clock = emulator.clock
    with clock._lock:
        clock._t = when


__all__ = [
    "FORMAT_VERSION",
    "READABLE_FORMATS",
    "SnapshotError",
    "decode",
    "encode",
    "restore",
    "snapshot",
]
