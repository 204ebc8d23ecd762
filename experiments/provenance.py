"""Which code ran: the git commit and whether it had local changes (light: ``berdaya --version`` reads it)."""

from __future__ import annotations

import subprocess
from pathlib import Path


def git_state() -> tuple[str | None, bool | None]:
    """Commit of the code that ran and whether tracked files differed from it (None outside git)."""
    root = Path(__file__).resolve().parent.parent
    if not (root / ".git").exists():  # an installed wheel: a repository around site-packages is not ours
        return None, None
    try:

        def git(*args: str) -> subprocess.CompletedProcess:
            return subprocess.run(["git", *args], check=False, cwd=root, capture_output=True, text=True, timeout=20)

        head = git("rev-parse", "HEAD")
        if head.returncode != 0:
            return None, None
        status = git("status", "--porcelain", "--untracked-files=no")
        return head.stdout.strip(), bool(status.stdout.strip())
    except (OSError, subprocess.TimeoutExpired):
        return None, None
