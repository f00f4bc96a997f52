"""Datasets of problems with worked solutions, in one process, in local processes, or on Dask.

Problem ``i`` of a dataset depends only on ``(topics, seed, difficulty, i)``: its topic is
``topics[i % len(topics)]`` and its seed is derived from ``(seed, i)`` by a hash, so the
output is the same bytes whatever the number of workers or the scheduler.  Each line is
``json.dumps(record, sort_keys=True, ensure_ascii=False)`` of :func:`problem_record`.

Dask (``pip install "calculus-tutor[scale]"``) is imported only when a scheduler is given.
The same module grades ``tutor check --jsonl`` lines on a Dask cluster (:func:`grade_lines`).
"""

from __future__ import annotations

import hashlib
import json
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

__all__ = [
    "CHUNK",
    "dataset_lines",
    "grade_lines",
    "item_seed",
    "open_client",
    "plan",
    "problem_record",
    "run_chunk",
]

CHUNK = 8  # problems per task sent to a worker
_SEED_SPACE = 2**31


def item_seed(seed: int, index: int) -> int:
    """The seed of problem ``index`` of a dataset seeded ``seed`` (a hash: stable, spread)."""
    digest = hashlib.sha256(f"calculus-tutor:{int(seed)}:{int(index)}".encode()).digest()
    return int.from_bytes(digest[:8], "big") % _SEED_SPACE


def plan(topics: Sequence[str], count: int, seed: int, difficulty: int | None) -> list[tuple]:
    """The items of a dataset: ``(index, topic, seed, difficulty)``; difficulty ``None``
    cycles 1, 2, 3 with the index (after the topics)."""
    if not topics:
        raise ValueError("name at least one topic")
    items = []
    for i in range(int(count)):
        d = difficulty if difficulty is not None else 1 + (i // len(topics)) % 3
        items.append((i, topics[i % len(topics)], item_seed(seed, i), d))
    return items


def problem_record(problem: Any) -> dict[str, Any]:
    """A generated problem as plain data: prompt (text and LaTeX), answer (value, text,
    LaTeX), answer kind, check options, and the worked solution as data and as text,
    verified: ``verified`` is True when every claim of every step holds at sample points
    (``tutor.steps.registry.verify``), ``refuted`` lists the claims that do not."""
    from .core import to_jsonable
    from .generate.builders import answer_text, fill
    from .render import latex, text
    from .steps.registry import verify

    sol = problem.solution
    refuted = verify(sol)
    return {
        "topic": problem.topic,
        "template": problem.template,
        "difficulty": problem.difficulty,
        "seed": problem.seed,
        "prompt": {
            "text": fill(problem.prompt, problem.given),
            "latex": latex.render_prompt(problem),
        },
        "answer": {
            "value": to_jsonable(problem.answer),
            "text": answer_text(problem.answer, problem.answer_kind),
            "latex": latex.tex(problem.answer),
        },
        "answer_kind": problem.answer_kind,
        "check_options": {k: to_jsonable(v) for k, v in problem.check_options.items()},
        "solution": sol.to_dict(),
        "solution_text": text.render_solution(sol),
        "uses_cas": sol.uses_cas,
        "verified": not refuted,
        "refuted": refuted,
    }


def _line(item: tuple) -> str:
    index, topic, seed, difficulty = item
    from .generate import generate

    try:
        record = problem_record(generate(topic, seed=seed, difficulty=difficulty))
    except Exception as exc:  # noqa: BLE001 - one bad draw is a line, not the end of the run
        record = {
            "topic": topic,
            "seed": seed,
            "difficulty": difficulty,
            "error": f"{type(exc).__name__}: {exc}",
        }
    record["index"] = index
    return json.dumps(record, sort_keys=True, ensure_ascii=False)


def run_chunk(items: Sequence[tuple]) -> list[str]:
    """The JSON lines of some items (what a worker runs: plain data in, text out)."""
    return [_line(tuple(item)) for item in items]


def _chunks(seq: Sequence[Any], size: int) -> list[list[Any]]:
    return [list(seq[i : i + size]) for i in range(0, len(seq), size)]


def dataset_lines(
    items: Sequence[tuple],
    *,
    jobs: int = 1,
    scheduler: str | None = None,
    progress: Callable[[int], None] | None = None,
) -> Iterator[str]:
    """The lines of a dataset in index order: in this process (``jobs=1``), in ``jobs``
    local processes, or on the Dask cluster at ``scheduler`` (``"local"``: a LocalCluster)."""
    chunks = _chunks(items, CHUNK)
    tick = progress or (lambda n: None)
    if scheduler:
        with open_client(scheduler) as client:
            for lines in _ordered(client, run_chunk, chunks, window=4 * _nworkers(client)):
                tick(len(lines))
                yield from lines
        return
    if jobs <= 1:
        for chunk in chunks:
            lines = run_chunk(chunk)
            tick(len(lines))
            yield from lines
        return
    from .parallel import Failed, map_ordered

    # the same forked, parent-watching workers as ``tutor check --jsonl --jobs``
    results = map_ordered("tutor.dataset:run_chunk", ((c,) for c in chunks), jobs)
    try:
        for lines in results:
            if isinstance(lines, Failed):
                raise RuntimeError(f"a dataset worker failed: {lines.message}")
            tick(len(lines))
            yield from lines
    finally:
        results.close()  # kills the workers


class open_client:  # noqa: N801 - used as a context manager, like open()
    """A Dask client for ``address``; ``"local"`` starts (and stops) a small LocalCluster
    of 2 worker processes with 1 thread each."""

    def __init__(self, address: str, n_workers: int = 2) -> None:
        try:
            from distributed import Client, LocalCluster
        except ImportError:
            raise RuntimeError(
                'Dask is not installed: pip install "calculus-tutor[scale]"'
            ) from None
        self.cluster = None
        if address == "local":
            self.cluster = LocalCluster(
                n_workers=n_workers,
                threads_per_worker=1,
                processes=True,
                dashboard_address=None,
                silence_logs=40,
            )
            self.client = Client(self.cluster)
        else:
            try:
                self.client = Client(address, timeout=10)
            except (OSError, TimeoutError, ValueError) as exc:
                raise RuntimeError(f"cannot reach the Dask scheduler at {address}: {exc}") from None

    def __enter__(self) -> Any:
        return self.client

    def __exit__(self, *exc: Any) -> None:
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()


def _nworkers(client: Any) -> int:
    try:
        return max(1, len(client.scheduler_info().get("workers", {})))
    except Exception:  # noqa: BLE001 - a guess is enough for the window
        return 2


def _ordered(client: Any, func: Callable, tasks: Iterable[Any], window: int) -> Iterator[Any]:
    """Results of ``func`` on each task, in task order, with at most ``window`` in flight
    (so a huge input never sits in the scheduler's memory all at once)."""
    import uuid

    run = uuid.uuid4().hex
    pending: deque[Any] = deque()
    for i, task in enumerate(tasks):
        pending.append(client.submit(func, task, pure=False, key=f"tutor-{run}-{i}"))
        while len(pending) >= window:
            yield pending.popleft().result()
    while pending:
        yield pending.popleft().result()


# ---------------------------------------------------------------------- grading on Dask


def grade_chunk(lines: Sequence[tuple[int, bytes | str]], timeout: float) -> list[str]:
    """Grade ``(line number, line)`` pairs as ``tutor check --jsonl`` does; one JSON text each."""
    from .commands.check import _error, check_bytes

    out = []
    for number, raw in lines:
        data = raw.encode("utf-8", "surrogatepass") if isinstance(raw, str) else raw
        try:
            result = check_bytes(data, number, timeout)
        except Exception as exc:  # noqa: BLE001 - one bad line must not stop the run
            result = _error(None, number, "internal_error", f"{type(exc).__name__}: {exc}")
        out.append(_dump(result))
    return out


def _dump(result: dict[str, Any]) -> str:
    try:
        return json.dumps(result, ensure_ascii=False, sort_keys=True, default=str)
    except UnicodeEncodeError:
        return json.dumps(result, ensure_ascii=True, sort_keys=True, default=str)


def grade_lines(
    lines: Iterable[bytes | str], scheduler: str, timeout: float = 2.0, chunk: int = 16
) -> Iterator[str]:
    """``tutor check --jsonl`` on a Dask cluster: one result line (JSON text) per input
    line, in input order.  Lines are sent in chunks of ``chunk``; few are in flight at once."""

    def numbered() -> Iterator[list[tuple[int, bytes | str]]]:
        batch: list[tuple[int, bytes | str]] = []
        for number, line in enumerate(lines, 1):
            batch.append((number, line))
            if len(batch) >= chunk:
                yield batch
                batch = []
        if batch:
            yield batch

    with open_client(scheduler) as client:
        window = 4 * _nworkers(client)
        tasks = ((b, timeout) for b in numbered())
        for out in _ordered(client, _grade_task, tasks, window):
            yield from out


def _grade_task(task: tuple[list, float]) -> list[str]:
    return grade_chunk(task[0], task[1])
