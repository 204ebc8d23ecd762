"""Every file the project writes goes through here: whole or not at all, and a failure is one line.

``write_atomic`` writes under a hidden temporary name in the target's folder and renames it
over the target, so a full disk or a kill leaves the old file (or none), never half a file;
the temporary is removed on failure. An operating-system error (permission, read-only or
full file system, a file where a folder should be) becomes ``FileFault``, an ``InputError``
naming the path and what to do, which the command line prints as one line with exit 2.
``check_writable`` does the same before a command computes anything.
"""

from __future__ import annotations

import contextlib
import errno
import io
import json
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from sim.errors import InputError

try:
    import fcntl
except ImportError:  # Windows: no advisory lock on a folder
    fcntl = None

# What the user can do about each operating-system error, by errno.
ADVICE = {
    errno.EACCES: "permission denied; choose a folder you may write to, or change its permissions",
    errno.EPERM: "operation not permitted; choose a folder you may write to",
    errno.EROFS: "the file system is read-only; choose a folder on a writable disk",
    errno.ENOSPC: "no space left on the device; free some space or choose another disk (nothing half-written was left)",
    errno.EDQUOT: "disk quota exceeded; free some space or choose another disk (nothing half-written was left)",
    errno.ENOTDIR: "a part of this path is a file, not a folder; choose a path under a folder",
    errno.EISDIR: "is a folder where a file is needed; give a file name",
    errno.ENOENT: "no such file or folder",
    errno.ENAMETOOLONG: "the name is too long for this file system; choose a shorter path",
    errno.EEXIST: "already exists",
    errno.EMFILE: "too many open files; raise the limit (ulimit -n) or use fewer workers",
    errno.EIO: "input/output error on the device; check the disk",
}


class FileFault(InputError):
    """An operating-system error on a path, worded for the user (one line, exit 2)."""


def fault(error: OSError, path: str | Path | None = None, doing: str = "write") -> FileFault:
    """``error`` as a FileFault naming the path (the error's own, else ``path``) and what to do."""
    where = error.filename if getattr(error, "filename", None) else path
    code = error.errno
    if code is None:  # pyarrow and others raise OSError("[Errno 28] ...") without errno
        for known in ADVICE:
            if f"[Errno {known}]" in str(error) or os.strerror(known) in str(error):
                code = known
                break
    advice = ADVICE.get(code) or (error.strerror or str(error) or type(error).__name__)
    return FileFault(f"cannot {doing}: {advice}", file=str(where) if where is not None else None)


def write_atomic(path: str | Path, write: Callable[[Path], Any]) -> Path:
    """``write(temporary)`` then rename the temporary over ``path``; FileFault on any OS error.

    The temporary keeps the target's suffix (``.name.tmp-PID.png``), so writers that go by
    the suffix (matplotlib) pick the right format, and starts with a dot, so readers of a
    folder of Parquet parts skip it.
    """
    path = Path(path)
    temporary = path.with_name(f".{path.stem}.tmp-{os.getpid()}{path.suffix}")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write(temporary)
        os.replace(temporary, path)
    except OSError as error:
        raise fault(error, path) from None
    finally:
        try:
            temporary.unlink(missing_ok=True)
        except OSError:
            pass
    return path


def write_text(path: str | Path, text: str) -> Path:
    return write_atomic(path, lambda p: p.write_text(text, encoding="utf-8"))


def write_json(path: str | Path, data: Any, **options: Any) -> Path:
    return write_text(path, json.dumps(data, indent=2, **options) + "\n")


def write_parquet(path: str | Path, table: Any) -> Path:
    """A pyarrow Table or a pandas DataFrame as Parquet (no index)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    if not isinstance(table, pa.Table):
        table = pa.Table.from_pandas(table, preserve_index=False)
    return write_atomic(path, lambda p: pq.write_table(table, p))


def write_csv(path: str | Path, frame: Any) -> Path:
    return write_atomic(path, lambda p: frame.to_csv(p, index=False))


def save_figure(figure: Any, path: str | Path, **options: Any) -> Path:
    """A matplotlib figure, rendered in memory first so a failure cannot leave half an image."""
    path = Path(path)
    buffer = io.BytesIO()
    figure.savefig(buffer, format=path.suffix.lstrip("."), **options)
    return write_atomic(path, lambda p: p.write_bytes(buffer.getvalue()))


def check_writable(folder: str | Path, what: str = "--out") -> Path:
    """Create ``folder`` if needed and write (then remove) a small probe file in it, before any work.

    A read-only or full file system, a missing permission or a file in the way is caught
    here, not after an hour of runs.
    """
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise FileFault("exists and is not a folder; choose a folder", file=str(folder), field=what)
    probe = folder / f".berdaya-probe-{os.getpid()}"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with open(probe, "wb") as handle:
            handle.write(b"\0" * 4096)
            handle.flush()
            os.fsync(handle.fileno())
    except OSError as error:
        raise fault(error, folder) from None
    finally:
        try:
            probe.unlink(missing_ok=True)
        except OSError:
            pass
    return folder


@contextlib.contextmanager
def locked(folder: str | Path, busy: str, what: str = "--out") -> Iterator[Path]:
    """Create ``folder`` if needed and hold an advisory lock on it; InputError(``busy``) if another
    process holds it. The kernel drops the lock when the holder dies, so a killed run leaves none."""
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise FileFault("exists and is not a folder; choose a folder", file=str(folder), field=what)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError as error:
        raise fault(error, folder) from None
    try:
        if fcntl is not None:
            try:
                fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise InputError(busy, file=str(folder), field=what) from None
        yield folder
    finally:
        os.close(descriptor)


def read_text(path: str | Path) -> str:
    """A text file as UTF-8, with or without a byte-order mark (spreadsheets and Notepad write one)."""
    return Path(path).read_text(encoding="utf-8-sig")


__all__ = [
    "FileFault",
    "check_writable",
    "fault",
    "locked",
    "read_text",
    "save_figure",
    "write_atomic",
    "write_csv",
    "write_json",
    "write_parquet",
    "write_text",
]
