"""``tutor dataset``: JSON lines of problems with worked solutions, locally or on Dask."""

from __future__ import annotations

import sys

import click


@click.command("dataset")
@click.option(
    "--topics",
    "topics_",
    required=True,
    help="Comma-separated topics (see `tutor topics`), or 'all'.",
)
@click.option("--count", "-n", type=click.IntRange(1, 10_000_000), required=True)
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of the whole dataset.")
@click.option(
    "--difficulty",
    "-d",
    type=click.Choice(("1", "2", "3", "mixed")),
    default="mixed",
    show_default=True,
    help="1, 2, 3, or mixed (cycles 1, 2, 3).",
)
@click.option("--output", "-o", type=click.Path(dir_okay=False), default="-", show_default=True)
@click.option("--jobs", "-j", type=click.IntRange(1, 256), default=1, show_default=True)
@click.option(
    "--scheduler",
    default=None,
    help="A Dask scheduler address (tcp://host:8786), or 'local' for a small LocalCluster.",
)
def dataset(
    topics_: str,
    count: int,
    seed: int,
    difficulty: str,
    output: str,
    jobs: int,
    scheduler: str | None,
) -> None:
    """Write COUNT problems (topics in turn) as JSON lines: prompt, answer, worked solution.

    The same arguments give the same bytes, whatever --jobs or --scheduler.

    \b
    Examples:
      tutor dataset --topics chain-rule,limit-hole --count 1000 --seed 1 -o train.jsonl --jobs 2
      tutor dataset --topics all --count 100000 --scheduler tcp://10.0.0.5:8786 -o big.jsonl
    """
    from ..dataset import dataset_lines, plan
    from ..generate import topics as all_topics

    known = all_topics()
    names = known if topics_.strip() == "all" else [t.strip() for t in topics_.split(",")]
    names = [t for t in names if t]
    unknown = [t for t in names if t not in known]
    if unknown or not names:
        raise click.BadParameter(
            f"unknown topic(s): {', '.join(unknown) or '(none given)'}; run `tutor topics`.",
            param_hint="--topics",
        )
    if scheduler and jobs > 1:
        raise click.UsageError("give --jobs or --scheduler, not both")
    items = plan(names, count, seed, None if difficulty == "mixed" else int(difficulty))
    out = sys.stdout if output == "-" else open(output, "w", encoding="utf-8", newline="\n")
    try:
        with click.progressbar(
            length=count, label="problems", file=sys.stderr, show_pos=True
        ) as bar:
            for line in dataset_lines(items, jobs=jobs, scheduler=scheduler, progress=bar.update):
                out.write(line + "\n")
    except RuntimeError as exc:
        raise click.ClickException(str(exc)) from None
    finally:
        if out is not sys.stdout:
            out.close()
