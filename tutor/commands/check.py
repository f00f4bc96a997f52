"""``tutor check``: check one answer, or a stream of JSON lines (``--jsonl``)."""

from __future__ import annotations

import json
import sys
from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

import click

from ..core import ANSWER_KINDS as KINDS

FORMS = ("factored", "expanded", "simplified", "single_fraction")
MARKS = {True: ("✔", "correct"), False: ("✘", "not correct"), None: ("?", "undetermined")}
# keys of a JSON line that are not passed on as check options
_RESERVED = {"answer", "expected", "id", "task"}


def _exit_code(correct: bool | None) -> int:
    return {True: 0, False: 1, None: 2}[correct]


# negative answers such as -2x must not be taken for options
@click.command("check", context_settings={"ignore_unknown_options": True})
@click.argument("expected", required=False)
@click.argument("answer", required=False)
@click.option("--kind", "-k", type=click.Choice(KINDS), default="expression", show_default=True)
@click.option("--var", "variables", multiple=True, help="A variable of the question (repeatable).")
@click.option("--tol", type=float, help="Absolute tolerance for numbers.")
@click.option("--rtol", type=float, help="Relative tolerance for numbers.")
@click.option("--sigfigs", type=int, help="Significant figures that must agree.")
@click.option("--form", type=click.Choice(FORMS), help="A form the answer must be written in.")
@click.option(
    "--choice", "choices", multiple=True, help="A choice (for --kind choice; repeatable)."
)
@click.option("--timeout", type=float, default=2.0, show_default=True, help="Seconds per check.")
@click.option("--json", "as_json", is_flag=True, help="Print the verdict as JSON.")
@click.option(
    "--jsonl", is_flag=True, help="Read JSON objects a line from stdin; one result a line."
)
@click.option("--jobs", "-j", type=click.IntRange(1, 64), default=1, show_default=True)
def check(
    expected: str | None,
    answer: str | None,
    kind: str,
    variables: tuple[str, ...],
    tol: float | None,
    rtol: float | None,
    sigfigs: int | None,
    form: str | None,
    choices: tuple[str, ...],
    timeout: float,
    as_json: bool,
    jsonl: bool,
    jobs: int,
) -> None:
    """Check ANSWER against EXPECTED (exit status 0 right, 1 wrong, 2 unreadable or undecided).

    \b
    Examples:
      tutor check "2x cos(x^2)" "cos(x^2)*2x"
      tutor check "y = 2x - 5" "y - 1 = 2(x - 3)" --kind equation
      tutor check "(1, 3)" "(1, 2] U [2, 3)" --kind interval
      echo '{"expected": "1/3", "answer": "0.33", "kind": "number", "id": 1}' | tutor check --jsonl
    """
    if jsonl:
        if expected is not None or answer is not None:
            raise click.UsageError("--jsonl reads its checks from stdin; give no EXPECTED/ANSWER.")
        _run_jsonl(sys.stdin, jobs, timeout)
        return
    if expected is None or answer is None:
        raise click.UsageError("give EXPECTED and ANSWER (or --jsonl).")
    from ..check import check as run_check

    options: dict[str, Any] = {}
    if choices:
        options["choices"] = list(choices)
    verdict = run_check(
        answer,
        expected,
        kind=kind,
        variables=list(variables) or None,
        tol=tol,
        rtol=rtol,
        sigfigs=sigfigs,
        form=form,
        timeout=timeout,
        **options,
    )
    if as_json:
        click.echo(json.dumps(verdict.to_dict(), ensure_ascii=False, sort_keys=True))
    else:
        mark, word = MARKS[verdict.correct]
        click.echo(f"{mark} {word} ({verdict.code}): {verdict.feedback}")
        caret = verdict.details.get("caret")
        if verdict.code == "parse_error" and caret:
            for line in str(caret).splitlines():
                click.echo(f"    {line}")
    sys.exit(_exit_code(verdict.correct))


def check_line(line: str, number: int, timeout: float) -> dict[str, Any]:
    """One JSON line in, one result object out (an error object for a bad line)."""
    try:
        obj = json.loads(line)
    except (json.JSONDecodeError, RecursionError) as exc:
        return _error(None, number, "bad_input", f"line {number} is not valid JSON: {exc}")
    if not isinstance(obj, dict):
        return _error(None, number, "bad_input", f"line {number} is not a JSON object")
    ident = obj.get("id")
    if not isinstance(obj.get("answer"), str) or "expected" not in obj:
        return _error(
            ident, number, "bad_input", "each line needs a string 'answer' and an 'expected'"
        )
    from ..check import check as run_check

    options = {k: v for k, v in obj.items() if k not in _RESERVED}
    options.setdefault("timeout", timeout)
    if "var" in options and "variables" not in options:
        options["variables"] = options.pop("var")
    try:
        verdict = run_check(obj["answer"], obj["expected"], **options)
    except TypeError as exc:  # a bad option name or value
        return _error(ident, number, "bad_input", f"bad options: {exc}")
    out = {"id": ident, "line": number}
    out.update(verdict.to_dict())
    return out


def _error(ident: Any, number: int, code: str, message: str) -> dict[str, Any]:
    return {
        "id": ident,
        "line": number,
        "correct": None,
        "code": code,
        "feedback": message,
        "details": {},
    }


def _emit(result: dict[str, Any]) -> None:
    click.echo(json.dumps(result, ensure_ascii=False, sort_keys=True))


def _run_jsonl(stream: Any, jobs: int, timeout: float) -> None:
    """Stream results in input order, ``jobs`` checks at a time."""
    if jobs == 1:
        for number, line in enumerate(stream, 1):
            _emit(_safe(line, number, timeout))
        return
    window: deque[Future[dict[str, Any]]] = deque()
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        for number, line in enumerate(stream, 1):
            window.append(pool.submit(_safe, line, number, timeout))
            while len(window) > 4 * jobs:
                _emit(window.popleft().result())
        while window:
            _emit(window.popleft().result())


def _safe(line: str, number: int, timeout: float) -> dict[str, Any]:
    try:
        return check_line(line, number, timeout)
    except Exception as exc:  # noqa: BLE001 - one bad line must not stop the run
        return _error(None, number, "internal_error", f"{type(exc).__name__}: {exc}")
