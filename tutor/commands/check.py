"""``tutor check``: check one answer, or a stream of JSON lines (``--jsonl``)."""

from __future__ import annotations

import json
import sys
from typing import Any

import click

from .. import inputs
from ..core import ANSWER_KINDS as KINDS

FORMS = ("factored", "expanded", "simplified", "single_fraction")
MARKS = {True: ("✔", "correct"), False: ("✘", "not correct"), None: ("?", "undetermined")}
# keys of a JSON line that are not passed on as check options
_RESERVED = {"answer", "expected", "id", "task"}
_GRACE = 2.0  # seconds a --jobs worker may run past a line's budget before it is replaced


def _exit_code(correct: bool | None) -> int:
    return {True: 0, False: 1, None: 2}[correct]


# negative answers such as -2x must not be taken for options
@click.command("check", context_settings={"ignore_unknown_options": True})
@click.argument("expected", required=False)
@click.argument("answer", required=False)
@click.option("--kind", "-k", type=click.Choice(KINDS), default="expression", show_default=True)
@click.option(
    "--var", "variables", multiple=True, help="A variable of the question (repeatable, or x,y)."
)
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
@click.option(
    "--scheduler",
    metavar="ADDRESS",
    help="With --jsonl: grade on a Dask cluster (an address, or 'local' for a LocalCluster).",
)
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
    scheduler: str | None,
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
        if scheduler:
            from ..dataset import grade_lines

            for text in grade_lines(_lines(sys.stdin), scheduler, timeout):
                click.echo(text)
            return
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
        variables=[n for v in variables for n in inputs.names(v, "--var")] or None,
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


def _emit(result: dict[str, Any], out: Any) -> None:
    """Write one result line; only valid UTF-8 (a lone surrogate is written escaped)."""
    try:
        data = json.dumps(result, ensure_ascii=False, sort_keys=True, default=str).encode()
    except UnicodeEncodeError:
        data = json.dumps(result, ensure_ascii=True, sort_keys=True, default=str).encode()
    out.write(data + b"\n")
    out.flush()


def check_bytes(line: bytes, number: int, timeout: float) -> dict[str, Any]:
    """One raw input line in, one result object out (run in a ``--jobs`` worker process)."""
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError as exc:
        bad = line[exc.start : exc.start + 1].hex()
        return _error(
            None,
            number,
            "bad_input",
            f"line {number} is not valid UTF-8 (byte 0x{bad} at position {exc.start})",
        )
    return _safe(text.rstrip("\r\n"), number, timeout)


def _hard_limit(item: tuple[bytes, int, float]) -> float:
    """Seconds after which a line's worker is killed: its budget and a grace (the worker runs
    the budget's work itself and stops it by an alarm; this is for work the alarm cannot
    stop)."""
    line, _, timeout = item
    if b'"timeout"' in line:
        try:
            t = json.loads(line).get("timeout")
            if isinstance(t, (int, float)) and t > timeout:
                timeout = min(float(t), 3600.0)
        except (ValueError, AttributeError, RecursionError):
            pass
    return timeout + max(_GRACE, timeout / 2)


def _question(item: tuple[bytes, int, float]) -> bytes:
    """What a line asks, without its answer and id: lines asking the same go to the same
    ``--jobs`` worker when they can, where sympy's cache has the expected answer's work."""
    try:
        obj = json.loads(item[0])
    except (ValueError, RecursionError):
        return b""
    if not isinstance(obj, dict):
        return b""
    rest = {k: v for k, v in obj.items() if k not in ("answer", "id")}
    return json.dumps(rest, sort_keys=True, default=str).encode("utf-8", "surrogatepass")


def _lines(stream: Any) -> Any:
    """The raw lines of ``stream`` as bytes (its binary buffer when it has one)."""
    raw = getattr(stream, "buffer", None)
    for line in raw if raw is not None else stream:
        yield line if isinstance(line, bytes) else line.encode("utf-8", "surrogatepass")


def _run_jsonl(stream: Any, jobs: int, timeout: float) -> None:
    """Stream results in input order; ``jobs`` worker processes run whole checks.

    SIGTERM and SIGINT stop the run and every process it started.
    """
    import signal

    from ..parallel import map_ordered

    # map_ordered imports and warms up sympy and the checker here, once, before forking
    # the workers, which inherit it (tutor._budget.prepare_units)
    out = getattr(sys.stdout, "buffer", None)
    if out is None:  # a text stream (tests): write text
        out = _TextOut(sys.stdout)
    items = ((line, n, timeout) for n, line in enumerate(_lines(stream), 1))

    def on_error(item: tuple[bytes, int, float], message: str) -> dict[str, Any]:
        code = "timeout" if "too long" in message else "internal_error"
        return _error(None, item[1], code, message)

    def on_term(signum: int, frame: Any) -> None:
        raise SystemExit(128 + signum)

    try:
        old = signal.signal(signal.SIGTERM, on_term)
    except ValueError:  # not the main thread
        old = None
    results = map_ordered(
        "tutor.commands.check:check_bytes",
        items,
        jobs,
        limit=_hard_limit,
        on_error=on_error,
        budget_unit=True,
        key=_question,
    )
    try:
        for result in results:
            _emit(result, out)
    except KeyboardInterrupt:
        raise SystemExit(130) from None
    finally:
        results.close()  # kills the workers
        if old is not None:
            signal.signal(signal.SIGTERM, old)


class _TextOut:
    def __init__(self, stream: Any) -> None:
        self.stream = stream

    def write(self, data: bytes) -> None:
        self.stream.write(data.decode())

    def flush(self) -> None:
        self.stream.flush()


def _safe(line: str, number: int, timeout: float) -> dict[str, Any]:
    try:
        return check_line(line, number, timeout)
    except Exception as exc:  # noqa: BLE001 - one bad line must not stop the run
        return _error(None, number, "internal_error", f"{type(exc).__name__}: {exc}")
