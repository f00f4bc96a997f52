"""Forked children, each calling check on hostile input at once, all finish (no hang).

The run is a subprocess with a hard timeout: a hung run is killed (with its whole process
group) and the test fails; nothing here measures speed.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

SCRIPT = textwrap.dedent(
    """
    import json, os, sys
    import tutor
    CASES = [
        ("x^(10^3999)", "x", {}),
        ("cos(x/10^6)^(10^3999) = 0", "x = 0", {"kind": "equation"}),
        (" U ".join(f"[{2*i}, {2*i+1}]" for i in range(80)), "[0, 1]", {"kind": "set"}),
        # a roomy budget: on a loaded machine 2 s of wall time may hold too little CPU
        ("sin(x)^2 + cos(x)^2", "1", {"timeout": 10}),
    ]
    tutor.check("x", "x", timeout=20)  # the parent's own worker exists before the forks
    kids = []
    for i, (answer, expected, opts) in enumerate(CASES):
        r, w = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.close(r)
            code = tutor.check(answer, expected, **{"timeout": 2, **opts}).code
            os.write(w, json.dumps([i, code]).encode())
            os._exit(0)
        os.close(w)
        kids.append((pid, r))
    out = []
    for pid, r in kids:
        data = b""
        while chunk := os.read(r, 4096):
            data += chunk
        os.waitpid(pid, 0)
        out.append(json.loads(data) if data else None)
    tutor.shutdown() if hasattr(tutor, "shutdown") else None
    print(json.dumps(out))
    """
)


def test_forked_children_checking_hostile_input_all_finish() -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        [sys.executable, "-c", SCRIPT],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        start_new_session=True,
    )
    try:
        out, err = proc.communicate(timeout=240)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        raise AssertionError("the forked hostile-input run hung and was killed") from None
    finally:
        try:
            os.killpg(proc.pid, signal.SIGKILL)  # anything of ours still in the group
        except ProcessLookupError:
            pass
    assert proc.returncode == 0, err.decode()[-2000:]
    results = json.loads(out.decode().strip().splitlines()[-1])
    assert [r[0] for r in results] == [0, 1, 2, 3]
    codes = [r[1] for r in results]
    # every child answered; the identity is still proved while the others are hostile
    assert all(isinstance(c, str) and c for c in codes), codes
    assert "internal_error" not in codes, codes
    assert codes[3] == "equivalent", codes
