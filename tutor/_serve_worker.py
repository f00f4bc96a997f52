"""A worker process of ``tutor serve``: JSON requests in on stdin, JSON answers out, one a line.

The server has already checked each request's fields and types; this side calls the engines.
It runs in its own process group (with the checker's budget worker inside it), so that the
server can kill a request that overruns its deadline, group and all, and it kills its group
when the server goes away.  Run as ``python -m tutor._serve_worker``.
"""

from __future__ import annotations

import json
import os
import signal
import sys
import threading
import time
from collections.abc import Callable
from typing import Any

__all__ = ["OPERATIONS", "main"]


def _check(req: dict[str, Any]) -> dict[str, Any]:
    from .check import check

    options = {k: v for k, v in req.items() if k not in ("answer", "expected", "id")}
    if "var" in options and "variables" not in options:
        options["variables"] = options.pop("var")
    expected = req["expected"]
    verdict = check(
        req["answer"], expected if isinstance(expected, str) else str(expected), **options
    )
    out = verdict.to_dict()
    if "id" in req:
        out["id"] = req["id"]
    return out


def _validate(req: dict[str, Any]) -> dict[str, Any]:
    """How an answer is read (the checker's own reader): its value as text and LaTeX and the
    notes on ambiguous input, or the parse error with its position, caret and hint."""
    from .check.values import Unreadable, read
    from .core import to_jsonable
    from .render.latex import tex
    from .render.mathtext import math_text

    kind = req.get("kind", "expression")
    variables = req.get("variables")
    if isinstance(variables, str):
        variables = [v for v in variables.replace(",", " ").split() if v]
    try:
        got = read(req["answer"], variables or None, kind)
    except Unreadable as exc:
        err = exc.error
        return {
            "ok": False,
            "error": {
                "message": getattr(err, "message", str(err)),
                "position": getattr(err, "position", None),
                "hint": getattr(err, "hint", ""),
                "caret": str(err),
            },
        }
    return {
        "ok": True,
        "value": to_jsonable(got.value),
        "text": math_text(got.value),
        "latex": tex(got.value),
        "notes": list(got.notes),
    }


def _generate(req: dict[str, Any]) -> dict[str, Any]:
    from .dataset import problem_record
    from .generate import generate, topics

    if req["topic"] not in topics():
        raise ValueError(f"unknown topic {req['topic']!r}; GET /topics lists them")
    return problem_record(
        generate(req["topic"], seed=req["seed"], difficulty=req.get("difficulty", 1))
    )


def _solve(req: dict[str, Any]) -> dict[str, Any]:
    import tutor

    from .core import to_jsonable
    from .render.text import render_solution

    task, expr = req["task"], req["expression"]
    extra: dict[str, Any] = {}
    if task == "derivative":
        sol = tutor.differentiate(expr, wrt=req.get("wrt", "x"), order=req.get("order", 1))
    elif task == "limit":
        sol = tutor.limit(
            expr, req.get("var", "x"), str(req.get("point", "0")), req.get("direction", "+-")
        )
    elif task == "extrema":
        interval = req.get("interval")
        interval = None if interval is None else tuple(str(v) for v in interval)
        sol = tutor.critical_points(expr, req.get("variables"), interval)
        if interval is not None:
            from .steps.analysis import global_extrema

            g = global_extrema(expr, interval)
            extra["global"] = {"solution": g.to_dict(), "text": render_solution(g)}
    elif task == "descent":
        start = req["start"]
        start = [str(v) for v in start] if isinstance(start, list) else str(start)
        sol = tutor.gradient_descent(
            expr,
            start,
            str(req["lr"]),
            req["steps"],
            req.get("variables"),
            momentum=str(req.get("momentum", 0)),
        )
    elif task == "backprop":
        sol = tutor.backprop(expr, {k: str(v) for k, v in req["values"].items()})
    else:  # the server refuses other tasks first
        raise ValueError(f"unknown task {task!r}")
    out = {
        "task": task,
        "answer": to_jsonable(sol.answer),
        "solution": sol.to_dict(),
        "text": render_solution(sol),
        "uses_cas": sol.uses_cas,
    }
    out.update(extra)
    return out


def _topics(req: dict[str, Any]) -> Any:
    from .generate import topic_info

    return topic_info()


def _sleep(req: dict[str, Any]) -> dict[str, Any]:
    """Hold the worker (tests and benchmarks of the deadline only; the server exposes it
    only when started with ``allow_test_ops``)."""
    time.sleep(float(req.get("seconds", 1)))
    return {"slept": req.get("seconds", 1)}


OPERATIONS: dict[str, Callable[[dict[str, Any]], Any]] = {
    "check": _check,
    "validate": _validate,
    "generate": _generate,
    "solve": _solve,
    "topics": _topics,
    "sleep": _sleep,
}


def handle(op: str, req: dict[str, Any]) -> dict[str, Any]:
    """One request: ``{"status": 200, "body": ...}``, or 422 with a message for input the
    engines refuse (a ValueError), or 500 for anything else."""
    try:
        return {"status": 200, "body": OPERATIONS[op](req)}
    except (ValueError, TypeError, KeyError) as exc:
        from .parse import ParseError

        if isinstance(exc, ParseError):
            body = {
                "error": "unreadable",
                "message": exc.message,
                "position": exc.position,
                "hint": exc.hint,
                "caret": str(exc),
            }
        else:
            body = {"error": "unprocessable", "message": str(exc) or type(exc).__name__}
        return {"status": 422, "body": body}
    except Exception as exc:  # noqa: BLE001 - the server answers, the worker lives on
        return {"status": 500, "body": {"error": "internal", "message": f"{type(exc).__name__}"}}


def _watch_parent(parent: int) -> None:
    # the server died without closing our pipe (SIGKILL): end this group, budget worker too
    while True:
        time.sleep(0.5)
        if os.getppid() != parent:
            os.killpg(os.getpgrp(), signal.SIGKILL)


def main() -> None:
    """Serve requests on stdin until it closes."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    out = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)  # stray prints go to stderr, never into the protocol
    sys.stdout = sys.stderr
    parent = int(os.environ.get("TUTOR_SERVE_PARENT", os.getppid()))
    threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()
    handle("check", {"answer": "2x", "expected": "2*x"})  # imports, and starts the budget worker
    handle("generate", {"topic": "chain-rule", "seed": 0})
    out.write('{"ready": true}\n')
    out.flush()
    for line in sys.stdin:
        try:
            msg = json.loads(line)
            reply = handle(msg["op"], msg["request"])
        except Exception as exc:  # noqa: BLE001
            reply = {"status": 500, "body": {"error": "internal", "message": type(exc).__name__}}
        out.write(json.dumps(reply, ensure_ascii=False) + "\n")
        out.flush()


if __name__ == "__main__":
    main()
