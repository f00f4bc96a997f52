"""``tutor generate`` and ``tutor topics``: randomised problems for every lecture."""

from __future__ import annotations

import json
import secrets
from typing import Any

import click

from ._common import DETAILS

FORMATS = ("text", "markdown", "json")


@click.command("topics")
@click.option(
    "--format", "fmt", type=click.Choice(("text", "json")), default="text", show_default=True
)
def topics(fmt: str) -> None:
    """List the problem topics: id, lecture and what the problems practise."""
    from ..generate import topic_info

    info = topic_info()
    if fmt == "json":
        click.echo(json.dumps(info, indent=2, ensure_ascii=False))
        return
    width = max(len(i["id"]) for i in info)
    click.echo(f"{'topic':<{width}}  lecture  description")
    for i in info:
        click.echo(f"{i['id']:<{width}}  {i['lecture']:>7}  {i['description']}")


@click.command("generate")
@click.argument("topic")
@click.option(
    "--seed",
    type=int,
    default=None,
    help="Seed for a reproducible problem (default: a fresh one, printed).",
)
@click.option(
    "--difficulty", "-d", type=click.IntRange(1, 3), default=1, show_default=True, help="1, 2 or 3."
)
@click.option(
    "--count",
    "-n",
    type=click.IntRange(1, 500),
    default=1,
    show_default=True,
    help="How many problems (seeds N, N+1, ...).",
)
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True)
@click.option("--solutions", is_flag=True, help="Show the answer and the worked solution.")
@click.option("--ascii", "ascii_", is_flag=True, help="Plain ASCII maths in text output.")
@click.option(
    "--detail",
    type=click.Choice(DETAILS),
    default="standard",
    show_default=True,
    help="Worked solutions: brief (the chain of working), standard (one line per idea), "
    "full (every step).",
)
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(1, 64),
    default=1,
    show_default=True,
    help="Worker processes (the same output, in order).",
)
def generate(
    topic: str,
    seed: int | None,
    difficulty: int,
    count: int,
    fmt: str,
    solutions: bool,
    ascii_: bool,
    detail: str,
    jobs: int,
) -> None:
    """Generate randomised problems for TOPIC (see `tutor topics`).

    \b
    Examples:
      tutor generate chain-rule --difficulty 2 --seed 7 --solutions
      tutor generate limit-hole --count 5 --format markdown
    """
    from ..generate import topics as all_topics

    if topic not in all_topics():
        close = [t for t in all_topics() if topic in t or t in topic]
        hint = (
            f" Did you mean {', '.join(close[:3])}?"
            if close
            else " Run `tutor topics` for the list."
        )
        raise click.BadParameter(f"unknown topic {topic!r}.{hint}", param_hint="TOPIC")
    fresh = seed is None
    if fresh:
        seed = secrets.randbelow(10**6)
    items = [
        (topic, seed + i, difficulty, i + 1, count, fmt, solutions, ascii_, detail)
        for i in range(count)
    ]
    if jobs > 1 and count > 1:
        from ..parallel import Failed, map_ordered

        outs = list(map_ordered("tutor.commands.generate:one", items, min(jobs, count)))
        failed = [o.message for o in outs if isinstance(o, Failed)]
        if failed:
            raise click.ClickException(f"a problem could not be made: {failed[0]}")
    else:
        outs = [one(*item) for item in items]
    if fmt == "json":
        click.echo(json.dumps(outs, indent=2, ensure_ascii=False))
        return
    if fresh:
        click.echo(f"(seed {seed}; rerun with --seed {seed} to get the same problems)", err=True)
    click.echo("\n\n".join(outs))


def one(
    topic: str,
    seed: int,
    difficulty: int,
    i: int,
    count: int,
    fmt: str,
    solutions: bool,
    ascii_: bool,
    detail: str = "standard",
) -> Any:
    """Problem ``i`` of ``count`` as it is printed: a JSON-ready dict, or a text block (what
    a ``--jobs`` worker returns: plain data)."""
    from ..generate import generate as make

    problem = make(topic, seed=seed, difficulty=difficulty)
    if fmt == "json":
        return _json(problem, solutions)
    return _render(problem, i, count, fmt, solutions, ascii_, detail)


def _json(problem, solutions: bool) -> dict:  # noqa: ANN001 - Problem, imported lazily
    from ..generate.builders import answer_text, fill

    data = problem.to_dict()
    data["prompt_text"] = fill(problem.prompt, problem.given)
    data["answer_text"] = answer_text(problem.answer, problem.answer_kind)
    if not solutions:
        for key in ("answer", "answer_text", "solution"):
            data.pop(key)
    return data


def _render(  # noqa: ANN001 - Problem, imported lazily
    problem, i: int, count: int, fmt: str, solutions: bool, ascii_: bool, detail: str
) -> str:
    from ..generate.builders import answer_text

    head = f"{i}. " if count > 1 else ""
    tag = f"[{problem.topic}, difficulty {problem.difficulty}, seed {problem.seed}]"
    answer = answer_text(problem.answer, problem.answer_kind)
    if fmt == "markdown":
        from ..render import markdown

        body = markdown.render_problem(problem, solutions=solutions, detail=detail)
        out = f"**{head.strip()}** {body}" if head else body
        if solutions:
            out += f"\n\n**Answer:** `{answer}`"
        return out + f"\n\n<!-- {tag} -->"
    from ..render import text

    body = text.render_problem(problem, solutions=solutions, ascii=ascii_, detail=detail)
    out = f"{head}{body}\n{tag}"
    if solutions:
        out += f"\nAnswer: {answer}"
    return out
