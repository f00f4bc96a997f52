"""``tutor serve`` under a bounded load on 127.0.0.1: requests per second and p50/p99 latency
at 1, 8 and 32 concurrent clients (each a thread with a keep-alive connection).

    python benchmarks/bench_serve.py [--requests 200] [--workers 2]

The mix is /check requests (answers the fast stages and the symbolic stage decide) and
/validate; every answer is checked, and the server is stopped with no process left.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import signal
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MIX = [
    ("/check", {"expected": "2*x", "answer": "2x"}, True),
    ("/check", {"expected": "2x cos(x^2)", "answer": "cos(x^2)*2x"}, True),
    ("/check", {"expected": "x^2 - 1", "answer": "(x-1)(x+1)"}, True),
    ("/check", {"expected": "1/3", "answer": "0.33", "kind": "number"}, False),
    ("/validate", {"answer": "sin x^2 + 1/2x"}, None),
]


def client(host: str, port: int, jobs: list, lat: list, bad: list, lock: threading.Lock) -> None:
    conn = http.client.HTTPConnection(host, port, timeout=60)
    while True:
        with lock:
            if not jobs:
                break
            path, body, want = jobs.pop()
        data = json.dumps(body).encode()
        t = time.perf_counter()
        try:
            conn.request("POST", path, data, {"Content-Type": "application/json"})
            r = conn.getresponse()
            out = json.loads(r.read())
        except OSError as exc:  # counted, and the client carries on with a new connection
            bad.append((path, body, None, repr(exc)))
            conn.close()
            conn = http.client.HTTPConnection(host, port, timeout=60)
            continue
        lat.append(time.perf_counter() - t)
        if r.status != 200 or (want is not None and out.get("correct") is not want):
            bad.append((path, body, r.status, out))
    conn.close()


def level(host: str, port: int, clients: int, requests: int) -> tuple[float, float, float, int]:
    jobs = [MIX[i % len(MIX)] for i in range(requests)]
    lat: list[float] = []
    bad: list = []
    lock = threading.Lock()
    threads = [
        threading.Thread(target=client, args=(host, port, jobs, lat, bad, lock))
        for _ in range(clients)
    ]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - start
    q = statistics.quantiles(lat, n=100)
    return len(lat) / wall, q[49] * 1000, q[98] * 1000, len(bad)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--requests", type=int, default=200, help="requests per level")
    ap.add_argument("--workers", type=int, default=2)
    a = ap.parse_args()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "tutor.cli", "serve", "--port", "0", "--workers", str(a.workers)],
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        m = re.search(r"http://([\d.]+):(\d+)", proc.stderr.readline())
        assert m, "the server did not start"
        host, port = m.group(1), int(m.group(2))
        print(f"cores: {os.cpu_count()}; workers: {a.workers}; {a.requests} requests per level")
        level(host, port, 2, 20)  # warm-up
        for clients in (1, 8, 32):
            rps, p50, p99, bad = level(host, port, clients, a.requests)
            print(
                f"{clients:>3} clients: {rps:7.1f} req/s   p50 {p50:7.1f} ms   p99 {p99:7.1f} ms"
                f"   wrong or failed: {bad}"
            )
    finally:
        proc.send_signal(signal.SIGTERM)
        print(f"server stopped with exit status {proc.wait(timeout=30)}")


if __name__ == "__main__":
    main()
