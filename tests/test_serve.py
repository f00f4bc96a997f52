"""tutor serve: a real server on 127.0.0.1 (port 0) in a subprocess, a real HTTP client,
concurrent requests, malformed requests, clients that go away, deadlines, and no process of
ours left after SIGTERM, SIGINT or SIGKILL."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from _procs import descendants

from tutor.serve import SchemaError, validate_request

ROOT = Path(__file__).resolve().parents[1]


class Server:
    def __init__(self, workers: int = 2, timeout: float = 8.0) -> None:
        env = {**os.environ, "PYTHONPATH": str(ROOT), "TUTOR_SERVE_TEST_OPS": "1"}
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "tutor.cli", "serve", "--port", "0"]
            + ["--workers", str(workers), "--timeout", str(timeout), "--max-body", "4096"],
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        line = self.proc.stderr.readline()
        m = re.search(r"http://([\d.]+):(\d+)", line)
        assert m, line
        self.host, self.port = m.group(1), int(m.group(2))

    def request(self, method: str, path: str, body: bytes | None = None, **headers: str):
        req = urllib.request.Request(
            f"http://{self.host}:{self.port}{path}", data=body, method=method, headers=headers
        )
        try:
            with urllib.request.urlopen(req, timeout=60) as r:
                return r.status, json.loads(r.read())
        except urllib.error.HTTPError as e:
            return e.code, json.loads(e.read())

    def post(self, path: str, obj) -> tuple[int, dict]:
        return self.request("POST", path, json.dumps(obj).encode())

    def ours(self) -> set[int]:
        return descendants(self.proc.pid) | {self.proc.pid}

    def stop(self, sig: int = signal.SIGTERM) -> int:
        self.proc.send_signal(sig)
        try:
            return self.proc.wait(timeout=30)
        finally:
            self.proc.stderr.close()


def _gone(pids: set[int], within: float = 5.0) -> set[int]:
    """The pids still alive (not zombies) after ``within`` seconds."""
    end = time.monotonic() + within
    while True:
        alive = set()
        for pid in pids:
            try:
                state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
            except (FileNotFoundError, ProcessLookupError):
                continue
            if state not in ("Z", "X"):
                alive.add(pid)
        if not alive or time.monotonic() > end:
            return alive
        time.sleep(0.1)


@pytest.fixture(scope="module")
def server():
    s = Server()
    yield s
    if s.proc.poll() is None:
        s.stop()


OK = [
    ("/check", {"expected": "2*x", "answer": "2x", "id": 7}, {"correct": True, "id": 7}),
    ("/check", {"expected": "2*x", "answer": "3x"}, {"correct": False}),
    ("/check", {"expected": "1", "answer": "sin(x)^2 + cos(x)^2", "timeout": 6}, {"code": "equivalent"}),
    ("/check", {"expected": "1/3", "answer": "0.33", "kind": "number"}, {"correct": False}),
    ("/check", {"expected": "(1, 3)", "answer": "(1, 2] U [2, 3)", "kind": "interval", "timeout": 6}, {"correct": True}),
    ("/check", {"expected": "x", "answer": "x +"}, {"code": "parse_error"}),
    ("/check", {"expected": 0.5, "answer": "1/2", "kind": "number"}, {"correct": True}),
    ("/validate", {"answer": "sin x^2"}, {"ok": True, "value": "sin(x**2)", "notes": ["sin x^2 was read as sin(x^2)"]}),
    ("/validate", {"answer": "1/2", "kind": "number"}, {"ok": True, "latex": "\\frac{1}{2}", "notes": []}),
    ("/generate", {"topic": "chain-rule", "seed": 1, "difficulty": 2}, {"topic": "chain-rule", "seed": 1, "difficulty": 2}),
    ("/solve", {"task": "derivative", "expression": "x^2 sin(x)"}, {"answer": "x**2*cos(x) + 2*x*sin(x)"}),
    ("/solve", {"task": "derivative", "expression": "x^2 y", "wrt": ["x", "y"]}, {"answer": ["2*x*y", "x**2"]}),
    ("/solve", {"task": "limit", "expression": "sin(x)/x", "point": 0}, {"answer": 1}),
    ("/solve", {"task": "limit", "expression": "1/x", "direction": "+"}, {"answer": "oo"}),
    ("/solve", {"task": "extrema", "expression": "x^3 - 3x"}, {"answer": [[-1, "maximum"], [1, "minimum"]]}),
    ("/solve", {"task": "extrema", "expression": "x^3 - 3x", "interval": [-2, 3]}, {"global": {"maximum": [18, [3]], "minimum": [-2, [-2, 1]]}}),
    ("/solve", {"task": "descent", "expression": "x^2", "start": 1, "lr": "0.25", "steps": 2}, {"answer": [1, "1/2", "1/4"]}),
    ("/solve", {"task": "backprop", "expression": "x*y + x", "values": {"x": 2, "y": 3}}, {"answer": {"x": 4, "y": 2}}),
]  # fmt: skip


@pytest.mark.parametrize("path, body, expected", OK)
def test_endpoints_answer(server, path, body, expected):
    status, out = server.post(path, body)
    assert status == 200, out
    for key, value in expected.items():
        got = out[key]["solution"]["answer"] if key == "global" else out[key]
        assert got == value, out


def test_check_matches_the_library(server):
    import tutor

    status, out = server.post("/check", {"expected": "2x cos(x^2)", "answer": "cos(x^2)*2x"})
    assert (status, out) == (200, tutor.check("cos(x^2)*2x", "2x cos(x^2)").to_dict())


def test_validate_shows_where_an_answer_breaks(server):
    status, out = server.post("/validate", {"answer": "2x +"})
    assert status == 200 and out["ok"] is False
    assert out["error"]["position"] == 4
    assert out["error"]["caret"].splitlines()[2].strip() == "^"
    assert out["error"]["hint"]


def test_generate_is_the_dataset_record(server):
    from tutor.dataset import problem_record
    from tutor.generate import generate

    status, out = server.post("/generate", {"topic": "limit-hole", "seed": 4})
    assert status == 200
    assert out == json.loads(json.dumps(problem_record(generate("limit-hole", seed=4))))
    assert out["solution"]["steps"] and out["solution_text"] and out["prompt"]["latex"]


def test_get_endpoints(server):
    status, out = server.request("GET", "/health")
    assert status == 200 and out["status"] == "ok" and out["workers"]["size"] == 2
    status, out = server.request("GET", "/topics")
    assert status == 200 and "chain-rule" in [t["id"] for t in out["topics"]]


BAD = [
    ("POST", "/check", b'{"expected": "x", ', 400, "malformed JSON"),
    ("POST", "/check", b"[1, 2]", 400, "JSON object"),
    ("POST", "/check", b'{"expected": "x", "answer": NaN}', 400, "NaN"),
    ("POST", "/check", b'{"expected": "x", "answer": "\xff"}', 400, "UTF-8"),
    ("POST", "/check", b'{"expected": "x"}', 400, "'answer'"),
    ("POST", "/check", b'{"expected": "x", "answer": "x", "evil": "__import__"}', 400, "unknown field"),
    ("POST", "/check", b'{"expected": "x", "answer": 3}', 400, "must be a string"),
    ("POST", "/check", b'{"expected": "x", "answer": "x", "tol": true}', 400, "'tol'"),
    ("POST", "/check", b'{"expected": "x", "answer": "x", "kind": "poem"}', 400, "unknown kind"),
    ("POST", "/check", b'{"expected": "x", "answer": "x", "timeout": 1000}', 400, "at most 8"),
    ("POST", "/check", b'{"expected": "x", "answer": "' + b"x" * 5000 + b'"}', 413, "at most 4096"),
    ("POST", "/generate", b'{"topic": "no-such", "seed": 1}', 422, "unknown topic"),
    ("POST", "/generate", b'{"topic": "chain-rule", "seed": "1"}', 400, "'seed'"),
    ("POST", "/generate", b'{"topic": "chain-rule", "seed": 1, "difficulty": 9}', 400, "difficulty"),
    ("POST", "/solve", b'{"task": "integrate", "expression": "x"}', 400, "one of"),
    ("POST", "/solve", b'{"task": "limit", "expression": "x", "wrt": "x"}', 400, "unknown field"),
    ("POST", "/solve", b'{"task": "derivative", "expression": "__import__(\'os\')"}', 422, ""),
    ("POST", "/solve", b'{"task": "descent", "expression": "x^2", "start": 1, "lr": -1, "steps": 2}', 422, "learning rate"),
    ("POST", "/validate", b'{"answer": "x", "expected": "x"}', 400, "unknown field"),
    ("GET", "/check", None, 405, "POST"),
    ("POST", "/health", b"{}", 405, "GET"),
    ("GET", "/nowhere", None, 404, "no endpoint"),
]  # fmt: skip


@pytest.mark.parametrize("method, path, body, status, message", BAD)
def test_bad_requests_get_a_clear_4xx(server, method, path, body, status, message):
    got, out = server.request(method, path, body)
    assert got == status, out
    assert message in out["message"], out


def test_a_body_without_length_is_refused(server):
    with socket.create_connection((server.host, server.port), timeout=30) as s:
        s.sendall(b"POST /check HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n")
        reply = s.recv(4096).decode()
    assert reply.startswith("HTTP/1.1 411")


def test_concurrent_requests_all_answered(server):
    cases = [("2*x", "2x", True), ("2*x", "3x", False), ("x^2", "x*x", True)] * 8
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(
            pool.map(lambda c: server.post("/check", {"expected": c[0], "answer": c[1]}), cases)
        )
    assert [(s, r["correct"]) for s, r in results] == [(200, c) for _, _, c in cases]


def test_clients_that_go_away(server):
    # one leaves half-way through its body, one leaves before its answer comes
    with socket.create_connection((server.host, server.port)) as s:
        s.sendall(b'POST /check HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{"exp')
    body = b'{"seconds": 1}'
    with socket.create_connection((server.host, server.port)) as s:
        s.sendall(
            b"POST /sleep HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n\r\n%s" % (len(body), body)
        )
    status, out = server.post("/check", {"expected": "2*x", "answer": "2x"})
    assert status == 200 and out["correct"] is True
    assert server.request("GET", "/health")[1]["workers"]["alive"] == 2


def test_overrunning_request_is_stopped_and_its_worker_replaced(server):
    before = server.request("GET", "/health")[1]["workers"]["replaced"]
    status, out = server.post("/sleep", {"seconds": 60})
    assert status == 504 and "stopped" in out["message"]
    status, out = server.post("/check", {"expected": "2*x", "answer": "2x"})
    assert status == 200 and out["correct"] is True
    health = server.request("GET", "/health")[1]["workers"]
    assert health["replaced"] == before + 1


@pytest.mark.parametrize(
    "op, body, message",
    [
        ("check", {"answer": "x"}, "'expected'"),
        ("check", {"answer": "x", "expected": "x", "variables": [1]}, "list of strings"),
        ("solve", {"task": "limit", "expression": "x", "direction": "up"}, "direction"),
        ("solve", {"task": "extrema", "expression": "x", "interval": [0]}, "two numbers"),
        ("solve", {"task": "backprop", "expression": "x", "values": {"x": [1]}}, "'values'"),
        ("validate", "text", "JSON object"),
    ],
)
def test_validate_request_table(op, body, message):
    with pytest.raises(SchemaError, match=re.escape(message)):
        validate_request(op, body, 10.0)


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT, signal.SIGKILL])
def test_stopping_leaves_no_process(sig):
    s = Server(workers=1)
    assert s.post("/check", {"expected": "1", "answer": "sin(x)^2 + cos(x)^2"})[0] == 200
    ours = s.ours()
    assert len(ours) >= 2  # the server, its worker (and the worker's budget process)
    code = s.stop(sig)
    assert code == (-9 if sig == signal.SIGKILL else 0)
    assert _gone(ours) == set()


def test_stopping_the_module_server_leaves_no_process(server):
    ours = server.ours()
    assert server.stop() == 0
    assert _gone(ours) == set()


def test_help_lists_serve_and_dataset_without_sympy():
    code = (
        "import sys\n"
        "from click.testing import CliRunner\n"
        "from tutor.cli import main\n"
        "out = CliRunner().invoke(main, ['--help']).output\n"
        "print('serve' in out, 'dataset' in out, 'sympy' in sys.modules)\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert r.stdout.split() == ["True", "True", "False"], r.stderr


def test_connections_past_the_cap_get_503_with_retry_after():
    """A flood of idle connections cannot tie up unbounded threads: past the cap, a 503."""
    import http.client
    import threading

    from tutor.serve import Service

    service = Service(("127.0.0.1", 0), 1, max_connections=2)
    thread = threading.Thread(target=service.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    host, port = service.server_address[:2]
    idle = []
    try:
        for _ in range(2):  # connected, sending nothing: each holds a slot
            idle.append(socket.create_connection((host, port), timeout=30))
        deadline = time.monotonic() + 30
        while service.slots._value and time.monotonic() < deadline:  # noqa: SLF001
            time.sleep(0.02)
        conn = http.client.HTTPConnection(host, port, timeout=30)
        conn.request("GET", "/health")
        r = conn.getresponse()
        assert (r.status, r.getheader("Retry-After")) == (503, "1")
        assert json.loads(r.read())["error"] == "service_unavailable"
        conn.close()
        for s in idle:
            s.close()
        idle.clear()
        status = None
        while time.monotonic() < deadline:  # the slots come back once the clients leave
            conn = http.client.HTTPConnection(host, port, timeout=30)
            conn.request("GET", "/health")
            r = conn.getresponse()
            status = r.status
            r.read()
            conn.close()
            if status == 200:
                break
            time.sleep(0.05)
        assert status == 200
    finally:
        for s in idle:
            s.close()
        service.shutdown()
        thread.join(30)
        service.close()
