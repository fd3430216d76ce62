"""botocore's loaded models shared by every session created while a mock is active.

The SageMaker Python SDK makes a new boto3/botocore ``Session`` (so a new
``botocore.loaders.Loader``) for several steps of every flow, and each loader
reads and parses its JSON files again: ``endpoints``, ``partitions``, each
service's ``service-2``, endpoint rule set, paginators and waiters.  That was
most of a flow's CPU time under the mock (docs/architecture.md).

A loader already caches what it loads, per instance: its ``instance_cache``
methods (``load_service_model``, ``load_data_with_path``,
``list_available_services``, ``list_api_versions``, ``determine_latest_version``)
store their results in ``loader._cache`` under ``(method, *args)``, and every
client of a session shares them.  While installed (by ``mock_sagemaker``, from
the first mock entered to the last one exited), each new loader's ``_cache`` is a
:class:`_SharedCache`: an entry missing from it is looked up in one process-wide
store under the same key plus what decides the answer (the loader's class, its
search paths in order, its extras types and its file loader's class), and what
it computes is stored in both.  Two loaders agreeing on all of those load the
same files, so sharing their results is what one session does for its clients.

Only loaders reading nothing but installed package data share: when one of the
search paths that exist (``AWS_DATA_PATH``, ``~/.aws/models``) lies outside the
installed packages, whose files a test may write or change, that loader keeps
botocore's own per-instance cache.  The store is dropped when the last mock
exits; loaders created inside behave as plain botocore loaders from then on.
"""

from __future__ import annotations

import functools
import os
import sysconfig
import threading
import weakref
from typing import Any

_lock = threading.Lock()
#: The process-wide store while installed; None otherwise.
_store: dict[tuple[Any, ...], Any] | None = None
#: Directories holding installed packages: their files do not change during a test.
_installed_roots: tuple[str, ...] = ()
_saved: dict[str, Any] = {}


class _SharedCache(dict[Any, Any]):
    """A loader's ``_cache`` that also reads and fills the process-wide store.

    botocore's ``instance_cache`` uses only ``key in cache``, ``cache[key]`` and
    ``cache[key] = value``.  A hit in the store is copied into this loader's own
    entries, so the loader keeps what it has seen, as botocore's cache does, even
    if the store is dropped meanwhile.
    """

    def __init__(self, loader: Any) -> None:
        super().__init__()
        self._loader = weakref.ref(loader)

    def _shared_key(self, key: Any) -> tuple[Any, ...] | None:
        loader = self._loader()
        if _store is None or loader is None:
            return None
        paths = tuple(loader.search_paths)
        if not all(_is_installed(path) or not os.path.isdir(path) for path in paths):
            return None
        return (
            type(loader),
            paths,
            tuple(loader.extras_types),
            type(loader.file_loader),
            key,
        )

    def __contains__(self, key: object) -> bool:
        if dict.__contains__(self, key):
            return True
        shared = self._shared_key(key)
        store = _store
        if shared is None or store is None or shared not in store:
            return False
        dict.__setitem__(self, key, store[shared])
        return True

    def __reduce__(self) -> tuple[Any, ...]:
        # A copied or pickled loader (botocore's pickles) gets a plain per-instance cache.
        return (dict, (dict(self),))

    def __setitem__(self, key: Any, value: Any) -> None:
        dict.__setitem__(self, key, value)
        shared = self._shared_key(key)
        store = _store
        if shared is not None and store is not None:
            store.setdefault(shared, value)


@functools.lru_cache(maxsize=256)
def _is_installed(path: str) -> bool:
    real = os.path.realpath(path)
    return any(real == root or real.startswith(root + os.sep) for root in _installed_roots)


def install() -> None:
    """Share loaded botocore data between loaders created from now on (until :func:`uninstall`)."""
    global _store, _installed_roots
    import botocore.loaders

    with _lock:
        roots = {sysconfig.get_paths()[name] for name in ("purelib", "platlib")}
        roots.add(botocore.loaders.Loader.BUILTIN_DATA_PATH)
        _installed_roots = tuple(os.path.realpath(root) for root in sorted(roots))
        _is_installed.cache_clear()
        original = botocore.loaders.Loader.__init__
        _saved["Loader.__init__"] = original

        @functools.wraps(original)
        def init(loader: Any, *args: Any, **kwargs: Any) -> None:
            original(loader, *args, **kwargs)
            loader._cache = _SharedCache(loader)

        botocore.loaders.Loader.__init__ = init
        _saved["init"] = init
        _store = {}


def uninstall() -> None:
    """Drop the store and let new loaders cache per instance again, as botocore does."""
    global _store
    import botocore.loaders

    with _lock:
        # Where someone patched over us meanwhile (and will restore us), theirs stays.
        if botocore.loaders.Loader.__init__ is _saved.pop("init"):
            botocore.loaders.Loader.__init__ = _saved["Loader.__init__"]
        _saved.pop("Loader.__init__")
        _store = None


__all__ = ["install", "uninstall"]
