"""What the loader's whole-file copy costs: the copy of a database file against reading it once
and writing as many bytes, all measured in the same run.

Every load starts by copying the live database beside itself (etl/load.py ``_copy_live``), so
its cost grows with the database, not with the day's data. This times, on the file given:

- baseline read: the file read once through a 1 MiB buffer (``cat FILE > /dev/null``);
- baseline write: as many bytes written from a 1 MiB buffer to a new file, then fsync;
- ``shutil.copyfile`` (the loader's copy before; ``sendfile`` on Linux), then fsync;
- the loader's copy (``etl.load._copy_file``: ``os.copy_file_range``, a reflink where the
  filesystem shares blocks), then fsync;
- a reflink (``FICLONE``), where the filesystem supports it (XFS with reflink, btrfs); on ext4
  it is refused and reported as such.

The fsync is timed apart: a copy lands in the page cache and the load's CHECKPOINT later
flushes it to disk with the load's own writes, so "copy + fsync" is what a load pays in the end.
Each is measured ``--repeat`` times in rotating order (median), with the source file warm in
the page cache (as a live database that dashboards read), and with ``--cold`` also after
evicting the source's pages (``posix_fadvise(DONTNEED)``; the file is not changed). Copies go
to ``--dir`` (default: a temporary folder beside the file, as the loader's copy is) and are
removed. ``--estimate-gb`` prints what a copy of that size would take at the measured speed:
an estimate, labelled so, not a measurement.

    python -m bench.bench_copy /tmp/big/bench.duckdb --repeat 3 --cold --estimate-gb 8.6
"""

from __future__ import annotations

import argparse
import contextlib
import errno
import fcntl
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from etl.load import _copy_file

BUFFER = 1 << 20
FICLONE = 0x40049409  # linux/fs.h: _IOW(0x94, 9, int)


def filesystem(path: Path) -> str:
    """The type of the filesystem holding ``path`` (the longest mount point above it)."""
    best, kind = "", "?"
    with contextlib.suppress(OSError), open("/proc/mounts") as mounts:
        for line in mounts:
            parts = line.split()
            if (
                len(parts) > 2
                and str(path.resolve()).startswith(parts[1])
                and len(parts[1]) > len(best)
            ):
                best, kind = parts[1], parts[2]
    return kind


def evict(path: Path) -> None:
    """Drop the file's pages from the page cache (only this file's; its bytes are untouched)."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
    finally:
        os.close(fd)


def fsync(path: Path) -> float:
    start = time.perf_counter()
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
    return time.perf_counter() - start


def read_once(source: Path, _target: Path) -> None:
    buf = bytearray(BUFFER)
    with open(source, "rb", buffering=0) as fh:
        while fh.readinto(buf):
            pass


def write_as_many(source: Path, target: Path) -> None:
    size = source.stat().st_size
    with open(source, "rb") as fh:
        block = fh.read(BUFFER) or b"\0" * BUFFER
    with open(target, "wb", buffering=0) as out:
        left = size
        while left:
            left -= out.write(memoryview(block)[: min(left, len(block))])


def copyfile(source: Path, target: Path) -> None:
    shutil.copyfile(source, target)


def loader_copy(source: Path, target: Path) -> None:
    how = _copy_file(source, target)
    if how != "copy_file_range":
        print(f"  (the loader's copy fell back to {how})")


def reflink(source: Path, target: Path) -> None:
    with open(source, "rb") as src, open(target, "wb") as dst:
        fcntl.ioctl(dst.fileno(), FICLONE, src.fileno())


METHODS: dict[str, Callable[[Path, Path], None]] = {
    "baseline: read once": read_once,
    "baseline: write as many bytes": write_as_many,
    "shutil.copyfile (sendfile)": copyfile,
    "loader: copy_file_range": loader_copy,
    "reflink (FICLONE)": reflink,
}
WRITES = {name for name in METHODS if name != "baseline: read once"}


def reflink_supported(source: Path, folder: Path) -> str | None:
    """None when a reflink works from ``source`` into ``folder``; else why not."""
    probe = folder / ".reflink-probe"
    try:
        reflink(source, probe)
        return None
    except OSError as exc:
        return f"{errno.errorcode.get(exc.errno or 0, exc.errno)}: {exc.strerror}"
    finally:
        probe.unlink(missing_ok=True)


@contextlib.contextmanager
def work_folder(folder: Path | None, source: Path) -> Iterator[Path]:
    if folder is not None:
        folder.mkdir(parents=True, exist_ok=True)
        yield folder
        return
    made = Path(tempfile.mkdtemp(prefix=".bench_copy.", dir=source.parent))
    try:
        yield made
    finally:
        shutil.rmtree(made, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path, help="the database file to copy (only read)")
    parser.add_argument("--dir", type=Path, help="where the copies go (same filesystem!)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--cold", action="store_true", help="also time with the source evicted")
    parser.add_argument(
        "--estimate-gb",
        type=float,
        action="append",
        default=[],
        help="print an estimate for a file of this many GB from the measured speed",
    )
    args = parser.parse_args()
    source: Path = args.source
    size = source.stat().st_size
    gb = size / 1e9

    with work_folder(args.dir, source) as folder:
        fs_source, fs_target = filesystem(source), filesystem(folder)
        print(f"file: {source} ({size:,} bytes = {gb:.3f} GB = {size / 2**30:.3f} GiB)")
        print(
            f"filesystems: source {fs_source}, copies {fs_target} ({folder}); "
            f"kernel {platform.release()}; Python {sys.version.split()[0]}"
        )
        if os.stat(folder).st_dev != source.stat().st_dev:
            print("warning: the copies go to another filesystem than the loader's would")
        methods = dict(METHODS)
        why_not = reflink_supported(source, folder)
        if why_not:
            print(f"reflink: not supported here ({why_not}); left out")
            del methods["reflink (FICLONE)"]
        states = ["warm", "cold"] if args.cold else ["warm"]
        # (state, method) -> list of (operation s, fsync s)
        times: dict[tuple[str, str], list[tuple[float, float]]] = {
            (s, m): [] for s in states for m in methods
        }
        names = list(methods)
        for r in range(args.repeat):
            order = names[r % len(names) :] + names[: r % len(names)]
            for state in states:
                for name in order:
                    target = folder / f"copy-{r}.bin"
                    if state == "cold":
                        evict(source)
                    else:
                        read_once(source, target)  # warm: every page of the source cached
                    start = time.perf_counter()
                    methods[name](source, target)
                    took = time.perf_counter() - start
                    synced = fsync(target) if name in WRITES else 0.0
                    if name in WRITES and target.stat().st_size != size:
                        raise SystemExit(f"{name}: wrote {target.stat().st_size:,} bytes")
                    target.unlink(missing_ok=True)
                    times[state, name].append((took, synced))
                    print(
                        f"  round {r + 1} {state:4} {name:30} {took:6.2f} s"
                        + (f" + fsync {synced:5.2f} s" if name in WRITES else ""),
                        flush=True,
                    )

        print(f"\nmedians of {args.repeat}, {gb:.3f} GB:")
        header = f"{'':5} {'what':30} {'op s':>7} {'fsync s':>8} {'total s':>8} {'GB/s':>6}"
        print(header + f" {'÷ read':>7} {'÷ write':>8}")
        speed: dict[tuple[str, str], float] = {}
        for state in states:
            med = {
                name: (
                    statistics.median(t for t, _ in times[state, name]),
                    statistics.median(s for _, s in times[state, name]),
                )
                for name in methods
            }
            read_s = med["baseline: read once"][0]
            write_total = sum(med["baseline: write as many bytes"])
            for name, (op, synced) in med.items():
                total = op + synced
                speed[state, name] = gb / total
                print(
                    f"{state:5} {name:30} {op:7.2f} {synced:8.2f} {total:8.2f} "
                    f"{gb / total:6.2f} {total / read_s:6.2f}x {total / write_total:7.2f}x"
                )
        print(
            "\n(op: the copy, the read or the write alone; total: with the fsync that puts it on "
            "disk;\n ÷ read: total over reading the file once; ÷ write: total over writing as "
            "many bytes + fsync)"
        )
        for target_gb in args.estimate_gb:
            for state in states:
                for name in ("shutil.copyfile (sendfile)", "loader: copy_file_range"):
                    print(
                        f"ESTIMATE (not measured) for {target_gb:g} GB, {state}, {name}: "
                        f"{target_gb / speed[state, name]:.1f} s at the "
                        f"{speed[state, name]:.2f} GB/s measured above on {gb:.2f} GB"
                    )


if __name__ == "__main__":
    main()
