"""Which processes of ours are alive: the live descendants of this test process."""

from __future__ import annotations

import os
import subprocess


def descendants(root: int | None = None) -> set[int]:
    """Live descendants of ``root`` (default: this process); zombies, the ``ps`` that asks,
    and multiprocessing's resource tracker (one per process, it ends with its parent) are
    left out."""
    out = subprocess.run(
        ["ps", "-ww", "-eo", "pid=,ppid=,stat=,args="], capture_output=True, text=True, check=True
    )
    kids: dict[int, list[int]] = {}
    for row in out.stdout.split("\n"):
        parts = row.split(None, 3)
        if len(parts) < 4 or parts[2].startswith("Z"):
            continue
        if parts[3].startswith("ps ") or "resource_tracker" in parts[3]:
            continue
        kids.setdefault(int(parts[1]), []).append(int(parts[0]))
    found: set[int] = set()
    todo = [os.getpid() if root is None else root]
    while todo:
        for k in kids.get(todo.pop(), []):
            found.add(k)
            todo.append(k)
    return found
