"""The only place the app opens DuckDB.

One read-only connection per database file, shared by every session (each query runs on its own
cursor, as DuckDB wants one cursor per thread). The loader never writes the live file: it swaps a
new file in atomically, so before each use the file's identity (inode, modification time, size)
is compared with the one the connection was opened on; when it differs the old connection is
closed, a new one opened and every cached result dropped.

Pages call ``fetch(module.function, filters, ...)``: results are cached keyed by the function,
the filters, the settings (preset) and the database version. A page whose first queries do not
depend on each other names them in ``prefetch`` first, so they run side by side.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

import duckdb
import streamlit as st
from streamlit.runtime.scriptrunner import add_script_run_ctx, get_script_run_ctx

from dashboard.session import IDENTITY_KEY
from dashboard.state import current_settings
from queries.db import connect
from queries.db import cursor as site_cursor
from queries.filters import Filters
from queries.refresh import is_current
from queries.settings import get_settings
from queries.slicers import SlicerOptions, slicer_options

T = TypeVar("T")

#: queries of one page run side by side; more workers than cores only queue inside DuckDB
PREFETCH_WORKERS = 4

FileIdentity = tuple[int, int, int]


def file_identity(path: Path) -> FileIdentity:
    """What changes when the loader swaps a new file in: inode, mtime (ns) and size."""
    stat = os.stat(path)
    return (stat.st_ino, stat.st_mtime_ns, stat.st_size)


@dataclass
class _LiveDatabase:
    identity: FileIdentity
    connection: duckdb.DuckDBPyConnection


@st.cache_resource(show_spinner=False)
def _registry() -> tuple[threading.Lock, dict[str, _LiveDatabase]]:
    """Process-wide: the open database per path, and the lock guarding reopening."""
    return threading.Lock(), {}


def _live(path: Path) -> _LiveDatabase:
    lock, open_databases = _registry()
    identity = file_identity(path)
    with lock:
        live = open_databases.get(str(path))
        if live is None or live.identity != identity:
            if live is not None:
                # every connection to the old inode must close before a reopen sees the new file
                live.connection.close()
                _cached_call.clear()
                _shared_call.clear()
            live = _LiveDatabase(identity, connect(path, read_only=True))
            open_databases[str(path)] = live
        return live


def db_path() -> Path:
    return Path(get_settings().served_db_path)


def db_version() -> FileIdentity:
    """The identity of the live database file (part of every cache key)."""
    return _live(db_path()).identity


def cursor() -> duckdb.DuckDBPyConnection:
    """A cursor on the live database, for this thread (in the site time zone)."""
    return site_cursor(_live(db_path()).connection)


@st.cache_data(show_spinner=False, max_entries=1024)
def _cached_call(
    key: str, version: FileIdentity, _fn: Callable[..., T], _args: tuple, _kwargs: dict
) -> T:
    """Cached on ``key`` (function, arguments, settings) and ``version`` only; the
    underscore arguments are not hashed."""
    with cursor() as con:
        return _fn(con, *_args, **_kwargs)


def _call_key(fn: Callable[..., Any], args: tuple, kwargs: dict) -> str:
    return f"{fn.__module__}.{fn.__qualname__}|{args!r}|{sorted(kwargs.items())!r}"


def _session_call(
    fn: Callable[..., Any], filters: Filters, args: tuple, kwargs: dict
) -> tuple[str, tuple]:
    """The cache key and the arguments of ``fn(con, filters, settings, *args, **kwargs)`` with
    the session's settings (read here: worker threads have no session)."""
    settings = current_settings()
    call_args = (filters, settings, *args)
    key = _call_key(fn, call_args[:1] + args, kwargs) + "|" + settings.model_dump_json()
    return key, call_args


def fetch(fn: Callable[..., T], filters: Filters, *args: Any, **kwargs: Any) -> T:
    """``fn(con, filters, settings, *args, **kwargs)`` with the session's settings, cached
    (when a ``prefetch`` of the same call is still running, its result is awaited)."""
    key, call_args = _session_call(fn, filters, args, kwargs)
    version = db_version()
    pending = _running((_cached_call, key, version))
    if pending is not None:
        return pending.result()
    return _cached_call(key, version, fn, call_args, kwargs)


@st.cache_resource(show_spinner=False, max_entries=16)
def _shared_call(
    key: str, version: FileIdentity, _fn: Callable[..., T], _args: tuple, _kwargs: dict
) -> T:
    """As :func:`_cached_call`, but the result is kept as the object itself, not a copy."""
    with cursor() as con:
        return _fn(con, *_args, **_kwargs)


def fetch_shared(fn: Callable[..., T], filters: Filters, *args: Any) -> T:
    """:func:`fetch` for a large frame a page only reads (a month's book of accounts, every
    plan): cached as the object itself, shared by every session, instead of a pickled copy per
    read (at 10M calls a book of 350,000 accounts takes 0.26 s to pickle and 0.15 s per copy;
    at 40M, 320,000 plans 0.27 s and 0.14 s). A :func:`prefetch_shared` still running is
    awaited."""
    key, call_args = _session_call(fn, filters, args, {})
    version = db_version()
    pending = _running((_shared_call, key, version))
    if pending is not None:
        return pending.result()
    return _shared_call(key, version, fn, call_args, {})


def fetch_uncached(fn: Callable[..., T], filters: Filters, *args: Any) -> T:
    """``fn(con, filters, settings, *args)`` never cached: for what must not stay in the
    process's memory for the next caller (a revealed clear note)."""
    with cursor() as con:
        return fn(con, filters, current_settings(), *args)


@st.cache_resource(show_spinner=False)
def _workers() -> tuple[ThreadPoolExecutor, threading.Lock, dict[tuple, Future]]:
    """Process-wide: the prefetch threads, and the calls they are running by cache key."""
    return (
        ThreadPoolExecutor(PREFETCH_WORKERS, thread_name_prefix="cdash-prefetch"),
        threading.Lock(),
        {},
    )


def _running(entry: tuple) -> Future | None:
    """The prefetch still computing this call, if any. ``entry``: (the cache it fills, the
    call's key, the file version): fetch and fetch_shared results are cached apart."""
    _, lock, running = _workers()
    with lock:
        return running.get(entry)


def prefetch(*calls: tuple) -> None:
    """Start ``(fn, filters, *args)`` calls on worker threads and return at once: DuckDB runs
    them side by side (it releases the GIL) while the page draws what it already has, and each
    later ``fetch`` of the same call takes that result instead of running the query again."""
    _start(_cached_call, calls)


def prefetch_shared(*calls: tuple) -> None:
    """:func:`prefetch` for calls a page reads with :func:`fetch_shared`."""
    _start(_shared_call, calls)


def _start(cached: Callable[..., Any], calls: tuple[tuple, ...]) -> None:
    """Submit each call through ``cached`` (:func:`_cached_call` or :func:`_shared_call`)
    unless the same call is already running."""
    pool, lock, running = _workers()
    version = db_version()
    context = get_script_run_ctx()

    def run(key: str, call_args: tuple, fn: Callable[..., Any]) -> Any:
        add_script_run_ctx(threading.current_thread(), context)
        return cached(key, version, fn, call_args, {})

    def forget(entry: tuple, _done: object = None) -> None:
        with lock:
            running.pop(entry, None)

    for fn, filters, *args in calls:
        key, call_args = _session_call(fn, filters, tuple(args), {})
        entry = (cached, key, version)
        with lock:
            if entry in running:
                continue
            future = pool.submit(run, key, call_args, fn)
            running[entry] = future
        future.add_done_callback(partial(forget, entry))


def fetch_plain(fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """``fn(con, *args, **kwargs)`` for functions that take no filters (loads, slicers), cached."""
    return _cached_call(_call_key(fn, args, kwargs), db_version(), fn, args, kwargs)


def slicer_choices() -> SlicerOptions:
    """The sidebar's teams, agents and values, within the signed-in user's team scope."""
    return fetch_plain(slicer_options, st.session_state[IDENTITY_KEY].teams)


def database_exists() -> bool:
    return db_path().exists()


def database_ready() -> bool:
    """The database exists and holds this release's derived models (checked once per file
    version: a database an older release refreshed needs its refresh step re-run)."""
    return database_exists() and fetch_plain(is_current)
