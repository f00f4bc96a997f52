"""``tutor serve``: a stateless JSON HTTP service over the checker, the parser, the generator
and the solving engines, on the standard library (``http.server``).

Every request is checked here (size, JSON, fields, types) and then run in a pool of worker
processes (``tutor._serve_worker``), each in its own process group.  A request that overruns
its deadline gets an honest timeout answer, and its worker is killed and replaced.  Nothing
a request sends is evaluated: text goes to ``tutor.parse``, which builds sympy itself.

Endpoints (see docs/service.md): ``POST /check``, ``POST /validate``, ``POST /generate``,
``POST /solve``, ``GET /topics``, ``GET /health``.
"""

from __future__ import annotations

import json
import os
import queue
import select
import signal
import subprocess
import sys
import threading
import time
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

__all__ = ["MAX_BODY", "Pool", "Service", "SchemaError", "validate_request"]

MAX_BODY = 64 * 1024  # bytes of one request body
from .core import ANSWER_KINDS as _KINDS  # noqa: E402 - plain data, no sympy

_NUM = (int, float)
_ANY_ID = (str, int, float, type(None))

# field -> (allowed JSON types, required); "strs" is a list of strings
_CHECK: dict[str, tuple[Any, bool]] = {
    "answer": (str, True),
    "expected": ((str, int, float), True),
    "id": (_ANY_ID, False),
    "kind": (str, False),
    "variables": ((str, "strs"), False),
    "var": ((str, "strs"), False),
    "form": (str, False),
    "tol": (_NUM, False),
    "rtol": (_NUM, False),
    "sigfigs": (int, False),
    "timeout": (_NUM, False),
    "choices": ("strs", False),
    "synonyms": (dict, False),
    "domain": (str, False),
    "plus_c": (bool, False),
    "solve_for": (str, False),
    "question": (str, False),
}
_VALIDATE = {
    "answer": (str, True),
    "kind": (str, False),
    "variables": ((str, "strs"), False),
}
_GENERATE = {"topic": (str, True), "seed": (int, True), "difficulty": (int, False)}
_SOLVE_COMMON = {"task": (str, True), "expression": (str, True)}
_SOLVE = {
    "derivative": {"wrt": ((str, "strs"), False), "order": (int, False)},
    "limit": {"var": (str, False), "point": ((str, int, float), False), "direction": (str, False)},
    "extrema": {"variables": ("strs", False), "interval": ("pair", False)},
    "descent": {
        "start": ((str, int, float, "nums"), True),
        "lr": ((str, int, float), True),
        "steps": (int, True),
        "variables": ("strs", False),
        "momentum": ((str, int, float), False),
    },
    "backprop": {"values": ("values", True)},
}


class SchemaError(ValueError):
    """A request whose fields or types are wrong (answered with 400)."""


def _is(value: Any, kind: Any) -> bool:
    if isinstance(kind, tuple):
        return any(_is(value, k) for k in kind)
    if kind == "strs":
        return isinstance(value, list) and all(isinstance(v, str) for v in value)
    if kind == "nums":
        return isinstance(value, list) and all(_is(v, (str, int, float)) for v in value)
    if kind == "pair":
        return isinstance(value, list) and len(value) == 2 and _is(value, "nums")
    if kind == "values":
        return isinstance(value, dict) and all(_is(v, (str, int, float)) for v in value.values())
    if kind is type(None):
        return value is None
    if isinstance(value, bool):  # JSON true is not a number
        return kind is bool
    return isinstance(value, kind)


_TYPE_NAMES = {
    str: "a string", int: "an integer", float: "a number", bool: "true or false",
    dict: "an object", type(None): "null", "strs": "a list of strings",
    "nums": "a list of numbers", "pair": "a list of two numbers",
    "values": "an object of numbers",
}  # fmt: skip


def _fields(body: dict[str, Any], schema: dict[str, tuple[Any, bool]], what: str) -> None:
    unknown = sorted(set(body) - set(schema))
    if unknown:
        raise SchemaError(
            f"unknown field(s) for {what}: {', '.join(unknown)}; "
            f"allowed: {', '.join(sorted(schema))}"
        )
    for name, (kind, required) in schema.items():
        if name not in body:
            if required:
                raise SchemaError(f"{what} needs the field {name!r}")
            continue
        if not _is(body[name], kind):
            kinds = kind if isinstance(kind, tuple) else (kind,)
            want = " or ".join(_TYPE_NAMES.get(k, str(k)) for k in kinds)
            raise SchemaError(f"field {name!r} must be {want}")


def validate_request(op: str, body: Any, max_timeout: float) -> dict[str, Any]:
    """Check a request's fields and types for ``op``; raise SchemaError with a clear message."""
    if not isinstance(body, dict):
        raise SchemaError("the request body must be a JSON object")
    if op == "check":
        _fields(body, _CHECK, "/check")
        if "kind" in body and body["kind"] not in _KINDS:
            raise SchemaError(f"unknown kind {body['kind']!r}; one of: {', '.join(_KINDS)}")
        t = body.get("timeout", 2.0)
        if not 0 < t <= max_timeout:
            raise SchemaError(f"timeout must be above 0 and at most {max_timeout:g} seconds")
    elif op == "validate":
        _fields(body, _VALIDATE, "/validate")
    elif op == "generate":
        _fields(body, _GENERATE, "/generate")
        if body.get("difficulty", 1) not in (1, 2, 3):
            raise SchemaError("difficulty must be 1, 2 or 3")
    elif op == "solve":
        task = body.get("task")
        if task not in _SOLVE:
            raise SchemaError(f"field 'task' must be one of: {', '.join(_SOLVE)}")
        _fields(body, {**_SOLVE_COMMON, **_SOLVE[task]}, f"/solve {task}")
        if task == "limit" and body.get("direction", "+-") not in ("+", "-", "+-"):
            raise SchemaError("direction must be '+', '-' or '+-'")
        if task == "derivative" and not 1 <= body.get("order", 1) <= 20:
            raise SchemaError("order must be between 1 and 20")
    return body


# --------------------------------------------------------------------------- worker pool


class _Worker:
    """One worker process, in its own process group; talks JSON lines over pipes."""

    def __init__(self) -> None:
        env = {**os.environ, "TUTOR_SERVE_PARENT": str(os.getpid())}
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "tutor._serve_worker"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=env,
            start_new_session=True,
        )
        self.pid = self.proc.pid

    def read(self, seconds: float) -> dict[str, Any] | None:
        """The next line as JSON within ``seconds``, or None (timeout or a dead worker)."""
        out = self.proc.stdout
        assert out is not None
        ready, _, _ = select.select([out], [], [], max(0.0, seconds))
        if not ready:
            return None
        line = out.readline()
        if not line:
            return None
        return json.loads(line)

    def send(self, op: str, request: dict[str, Any]) -> bool:
        try:
            assert self.proc.stdin is not None
            self.proc.stdin.write(json.dumps({"op": op, "request": request}).encode() + b"\n")
            self.proc.stdin.flush()
            return True
        except (BrokenPipeError, OSError):
            return False

    def kill(self) -> None:
        """End the worker and everything it started (its process group)."""
        try:
            os.killpg(self.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            pass
        for f in (self.proc.stdin, self.proc.stdout):
            try:
                if f is not None:
                    f.close()
            except OSError:
                pass


class Pool:
    """``size`` worker processes; :meth:`run` hands a request to an idle one and kills it
    (and starts a fresh one) when the request overruns its deadline."""

    def __init__(self, size: int, start_timeout: float = 120.0) -> None:
        self.size = max(1, int(size))
        self.start_timeout = start_timeout
        self.idle: queue.Queue[_Worker] = queue.Queue()
        self.workers: set[_Worker] = set()
        self.lock = threading.Lock()
        self.closed = False
        self.replaced = 0
        starters = [threading.Thread(target=self._start_one) for _ in range(self.size)]
        for t in starters:
            t.start()
        for t in starters:
            t.join()
        if self.idle.qsize() == 0:
            self.close()
            raise RuntimeError("no worker process could be started")

    def _start_one(self) -> None:
        with self.lock:
            if self.closed:
                return
            w = _Worker()
            self.workers.add(w)
        hello = w.read(self.start_timeout)
        if not (hello and hello.get("ready")):
            self._drop(w)
            return
        with self.lock:
            if self.closed:
                self._drop(w)
                return
        self.idle.put(w)

    def _drop(self, w: _Worker) -> None:
        w.kill()
        with self.lock:
            self.workers.discard(w)

    def _replace(self, w: _Worker) -> None:
        self._drop(w)
        self.replaced += 1
        threading.Thread(target=self._start_one, daemon=True).start()

    def run(self, op: str, request: dict[str, Any], deadline: float, wait: float) -> tuple:
        """``(status, body)``: the worker's answer, or ``(None, reason)`` with reason
        ``"busy"`` (no worker free within ``wait`` s) or ``"timeout"`` (past ``deadline`` s)."""
        try:
            w = self.idle.get(timeout=wait)
        except queue.Empty:
            return None, "busy"
        if self.closed:
            return None, "closing"
        if not w.send(op, request):
            self._replace(w)
            return None, "crashed"
        try:
            reply = w.read(deadline)
        except (ValueError, OSError):
            reply = None
        if reply is None:
            crashed = w.proc.poll() is not None
            self._replace(w)
            return None, "crashed" if crashed else "timeout"
        self.idle.put(w)
        return reply["status"], reply["body"]

    def stats(self) -> dict[str, int]:
        with self.lock:
            alive = sum(1 for w in self.workers if w.proc.poll() is None)
        return {
            "size": self.size,
            "alive": alive,
            "idle": self.idle.qsize(),
            "replaced": self.replaced,
        }

    def close(self) -> None:
        """Kill every worker (and its group); no process of ours is left."""
        with self.lock:
            self.closed = True
            workers = list(self.workers)
            self.workers.clear()
        for w in workers:
            w.kill()


# --------------------------------------------------------------------------- HTTP


MAX_CONNECTIONS = 64
_BUSY_BODY = (
    b'{"error": "service_unavailable", "message": "too many connections; retry after 1 second"}'
)
_BUSY = (
    b"HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\n"
    b"Retry-After: 1\r\nConnection: close\r\nContent-Length: "
    + str(len(_BUSY_BODY)).encode()
    + b"\r\n\r\n"
    + _BUSY_BODY
)


class Service(ThreadingHTTPServer):
    """The HTTP server with its worker pool and limits."""

    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128  # the listen backlog (the default 5 drops bursts of clients)

    def __init__(
        self,
        address: tuple[str, int],
        workers: int = 2,
        *,
        timeout: float = 10.0,
        max_body: int = MAX_BODY,
        queue_wait: float = 30.0,
        max_connections: int = MAX_CONNECTIONS,
        log: bool = False,
        test_ops: bool = False,
    ) -> None:
        self.pool = Pool(workers)
        self.slots = threading.BoundedSemaphore(max(1, int(max_connections)))
        self.timeout_s = float(timeout)
        self.max_body = int(max_body)
        self.queue_wait = float(queue_wait)
        self.log = log
        self.test_ops = test_ops
        self.topics_cache: Any = None
        self.started = time.time()
        try:
            super().__init__(address, _Handler)
        except BaseException:
            self.pool.close()
            raise

    def process_request(self, request: Any, client_address: Any) -> None:
        """One thread per connection, at most ``max_connections`` at once; past that, a 503.

        The cap bounds the server's threads and memory under a flood of clients; a refused
        client is told when to retry instead of waiting in an unbounded queue.
        """
        if not self.slots.acquire(blocking=False):
            try:
                request.sendall(_BUSY)
            except OSError:
                pass
            self.shutdown_request(request)
            return
        try:
            super().process_request(request, client_address)
        except BaseException:
            self.slots.release()
            raise

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self.slots.release()

    def close(self) -> None:
        """Stop listening and end every worker."""
        self.server_close()
        self.pool.close()


_POST = {"/check": "check", "/validate": "validate", "/generate": "generate", "/solve": "solve"}
_GET = {"/topics", "/health"}


class _Handler(BaseHTTPRequestHandler):
    server: Service
    protocol_version = "HTTP/1.1"
    server_version = "calculus-tutor"
    timeout = 30  # seconds a client may take to send its request
    disable_nagle_algorithm = True  # headers and body leave at once (no 40 ms delayed ACK)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base's name
        if self.server.log:
            super().log_message(format, *args)

    def _reply(self, status: int, body: Any, close: bool = False) -> None:
        data = json.dumps(body, ensure_ascii=False, sort_keys=True).encode("utf-8")
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            if close:
                self.send_header("Connection", "close")
                self.close_connection = True
            self.end_headers()
            self.wfile.write(data)
            self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError, TimeoutError, OSError):
            self.close_connection = True  # the client went away; nothing to tell it

    def _error(self, status: HTTPStatus, message: str, close: bool = False, **extra: Any) -> None:
        body = {"error": status.phrase.lower().replace(" ", "_"), "message": message, **extra}
        self._reply(status.value, body, close)

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        path = self.path.split("?", 1)[0]
        if path == "/health":
            self._reply(
                200,
                {
                    "status": "ok",
                    "workers": self.server.pool.stats(),
                    "uptime": round(time.time() - self.server.started, 3),
                },
            )
        elif path == "/topics":
            if self.server.topics_cache is None:
                status, body = self.server.pool.run(
                    "topics", {}, self.server.timeout_s, self.server.queue_wait
                )
                if status != 200:
                    return self._error(HTTPStatus.SERVICE_UNAVAILABLE, "no worker answered")
                self.server.topics_cache = body
            self._reply(200, {"topics": self.server.topics_cache})
        elif path in _POST:
            self._error(HTTPStatus.METHOD_NOT_ALLOWED, f"use POST for {path}")
        else:
            self._error(HTTPStatus.NOT_FOUND, f"no endpoint {path}; see GET /health, /topics")

    def do_POST(self) -> None:  # noqa: N802
        path = self.path.split("?", 1)[0]
        op = _POST.get(path)
        if op is None and self.server.test_ops and path == "/sleep":
            op = "sleep"
        if op is None:
            if path in _GET:
                return self._error(HTTPStatus.METHOD_NOT_ALLOWED, f"use GET for {path}", True)
            return self._error(HTTPStatus.NOT_FOUND, f"no endpoint {path}", True)
        body = self._body()
        if body is None:
            return
        if op != "sleep":
            try:
                validate_request(op, body, self.server.timeout_s)
            except SchemaError as exc:
                return self._error(HTTPStatus.BAD_REQUEST, str(exc))
        deadline = self.server.timeout_s
        if op == "check":
            deadline = float(body.get("timeout", 2.0)) + 2.0  # the check's budget, and grace
        status, out = self.server.pool.run(op, body, deadline, self.server.queue_wait)
        if status is not None:
            return self._reply(status, out)
        if out == "busy":
            return self._error(HTTPStatus.SERVICE_UNAVAILABLE, "every worker is busy; try again")
        if op == "check" and out == "timeout":
            verdict = {
                "correct": None,
                "code": "timeout",
                "feedback": "Checking took too long, so your answer was not judged; ask your teacher.",
                "details": {"kind": body.get("kind", "expression"), "stage": "server_deadline"},
            }
            if "id" in body:
                verdict["id"] = body["id"]
            return self._reply(200, verdict)
        if out == "timeout":
            return self._error(
                HTTPStatus.GATEWAY_TIMEOUT, f"the work took longer than {deadline:g} s; stopped"
            )
        return self._error(HTTPStatus.INTERNAL_SERVER_ERROR, f"the worker {out}; it was replaced")

    def _body(self) -> Any:
        """The request's JSON body, or None after answering a 4xx."""
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            self._error(
                HTTPStatus.LENGTH_REQUIRED, "send a Content-Length (no chunked bodies)", True
            )
            return None
        length = self.headers.get("Content-Length")
        if length is None or not length.strip().isdigit():
            self._error(HTTPStatus.LENGTH_REQUIRED, "send a Content-Length header", True)
            return None
        n = int(length)
        if n > self.server.max_body:
            self._error(
                HTTPStatus.REQUEST_ENTITY_TOO_LARGE,
                f"the body has {n} bytes; at most {self.server.max_body}",
                True,
            )
            return None
        try:
            raw = self.rfile.read(n)
        except (TimeoutError, OSError):
            self.close_connection = True
            return None
        if len(raw) < n:  # the client went away mid-body
            self.close_connection = True
            return None
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            self._error(HTTPStatus.BAD_REQUEST, f"the body is not valid UTF-8 (byte {exc.start})")
            return None
        try:
            return json.loads(text, parse_constant=_no_constant)
        except json.JSONDecodeError as exc:
            self._error(
                HTTPStatus.BAD_REQUEST,
                f"malformed JSON: {exc.msg} at line {exc.lineno} column {exc.colno}",
            )
        except (ValueError, RecursionError) as exc:
            self._error(HTTPStatus.BAD_REQUEST, f"malformed JSON: {exc}")
        return None


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def run(
    host: str = "127.0.0.1",
    port: int = 8000,
    workers: int = 2,
    *,
    timeout: float = 10.0,
    max_body: int = MAX_BODY,
    log: bool = False,
    test_ops: bool = False,
) -> None:
    """Serve until SIGTERM or SIGINT, then stop every worker and return."""
    service = Service(
        (host, port), workers, timeout=timeout, max_body=max_body, log=log, test_ops=test_ops
    )

    def stop(signum: int, frame: Any) -> None:
        threading.Thread(target=service.shutdown, daemon=True).start()

    old = {s: signal.signal(s, stop) for s in (signal.SIGTERM, signal.SIGINT)}
    try:
        bound_host, bound_port = service.server_address[:2]
        print(f"serving on http://{bound_host}:{bound_port} ({workers} workers)", file=sys.stderr)
        sys.stderr.flush()
        service.serve_forever(poll_interval=0.2)
    finally:
        service.close()
        for s, h in old.items():
            signal.signal(s, h)
