"""``tutor quiz``: the terminal around the pure quiz session in ``tutor.quiz``."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import secrets
import shutil
import signal
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click

STYLES = {
    "correct": {"fg": "green", "bold": True},
    "wrong": {"fg": "red"},
    "parse_error": {"fg": "yellow"},
    "undetermined": {"fg": "yellow"},
    "hint": {"fg": "cyan"},
    "problem": {"bold": True},
    "summary": {"fg": "magenta"},
}


def sessions_dir() -> Path:
    """Where sessions are saved unless ``--save`` says otherwise: one file per quiz."""
    from platformdirs import user_data_dir

    return Path(user_data_dir("calculus-tutor", appauthor=False)) / "sessions"


def default_save_path(topics: tuple[str, ...] = (), lecture: int | None = None) -> Path:
    """The session file of the quiz that these options start (``lecture-05.json``,
    ``chain-rule+backprop.json``, ``default.json``), so that quizzes do not share one file."""
    parts = ([f"lecture-{lecture:02d}"] if lecture is not None else []) + sorted(set(topics))
    key = "+".join(parts) or "default"
    if len(key) > 80:
        key = key[:60] + "-" + hashlib.sha256(key.encode()).hexdigest()[:12]
    return sessions_dir() / f"{key}.json"


def latest_unfinished(folder: Path) -> Path | None:
    """The most recently saved unfinished session in ``folder`` (for a bare ``--resume``)."""
    found: list[tuple[float, Path]] = []
    for f in folder.glob("*.json"):
        try:
            data = load_session(f)[0]
        except click.UsageError:
            continue
        if not data.get("finished"):
            found.append((f.stat().st_mtime, f))
    return max(found)[1] if found else None


def load_session(path: Path) -> tuple[dict[str, Any], Any]:
    """Read a saved session; a missing, corrupt or foreign file is a clear UsageError."""
    from ..quiz import QuizSession

    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise click.UsageError(
            f"there is no saved session at {path} (start one without --resume)"
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise click.UsageError(f"the session file {path} could not be read: {exc}") from None
    try:
        data = json.loads(raw)
    except ValueError:
        raise click.UsageError(
            f"{path} is not a quiz session (it is not valid JSON; perhaps it was cut short): "
            "pass --new to start afresh, or --save another file"
        ) from None
    if not isinstance(data, dict) or data.get("version") != 1 or "config" not in data:
        raise click.UsageError(
            f"{path} is not a quiz session saved by this version of calculus-tutor: "
            "pass --new to replace it, or --save another file"
        )
    try:
        session = QuizSession.from_dict(data)
    except (ValueError, KeyError, TypeError) as exc:
        raise click.UsageError(
            f"the session file {path} is damaged ({exc}): pass --new to start afresh"
        ) from None
    from ..generate import topics as all_topics

    unknown = [t for t in session.config.topics if t not in all_topics()]
    if unknown:
        raise click.UsageError(
            f"the session in {path} is on topics this version of calculus-tutor does not have "
            f"({', '.join(unknown)}): pass --new to start afresh"
        )
    return data, session


@click.command()
@click.option(
    "--topic",
    "topics",
    multiple=True,
    metavar="T",
    help="A topic (repeat for a mix); see `tutor topics`.",
)
@click.option("--lecture", type=int, metavar="N", help="All the topics of lecture N.")
@click.option(
    "--count", default=5, show_default=True, type=click.IntRange(1, 200), help="Number of problems."
)
@click.option(
    "--difficulty",
    default=1,
    show_default=True,
    type=click.IntRange(1, 3),
    help="Level 1 (gentle) to 3.",
)
@click.option("--seed", type=int, help="Seed for the problems (default: a fresh one, printed).")
@click.option("--adaptive", is_flag=True, help="Raise or lower the level from your recent answers.")
@click.option(
    "--tries", default=3, show_default=True, type=click.IntRange(1, 10), help="Tries per problem."
)
@click.option("--ascii", "ascii_", is_flag=True, help="Plain ASCII maths (x^2 instead of x²).")
@click.option(
    "--save",
    "save_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Session file (saved after every answer).",
)
@click.option("--resume", is_flag=True, help="Continue the session saved in the session file.")
@click.option(
    "--new", "new", is_flag=True, help="Start afresh even if an unfinished session is saved."
)
def quiz(
    topics: tuple[str, ...],
    lecture: int | None,
    count: int,
    difficulty: int,
    seed: int | None,
    adaptive: bool,
    tries: int,
    ascii_: bool,
    save_path: Path | None,
    resume: bool,
    new: bool,
) -> None:
    """Drill alone: answer problems, ask for hints one step at a time, see what went wrong.

    \b
    Commands at the prompt: hint, solution, skip, plot, help, quit.
    Ctrl-C or end of input saves the session; `tutor quiz --resume` continues it.
    Each quiz (lecture or topics) has its own session file; an unfinished one is never
    replaced without asking (or --new).
    Answers piped on standard input give a plain transcript (for scripts and tests).
    """
    from ..quiz import QuizConfig, QuizSession

    if resume and new:
        raise click.UsageError("--resume and --new cannot be used together")
    interactive = sys.stdin.isatty() and sys.stdout.isatty()
    path = save_path or default_save_path(topics, lecture)
    if resume and save_path is None and not topics and lecture is None:
        path = latest_unfinished(sessions_dir()) or path
    if resume:
        data, session = load_session(path)
        if data.get("finished"):
            click.echo(
                f"The session in {path} is already finished; start a new one without --resume."
            )
            click.echo(session.summary_text())
            return
    else:
        if path.exists() and not new:
            data, saved = load_session(path)
            if not data.get("finished") and not _replace_unfinished(
                path, saved, interactive, save_path
            ):
                session = saved
                resume = True
        if not resume:
            chosen = _topics(topics, lecture)
            if seed is None:
                seed = secrets.randbelow(10**6)
            config = QuizConfig(list(chosen), count, difficulty, seed, adaptive, tries, ascii_)
            session = QuizSession(config)
            click.echo(f"(seed {seed}: `tutor quiz --seed {seed} ...` gives the same problems)")
    if interactive:
        _enable_line_editing()

    width = max(40, min(100, shutil.get_terminal_size((100, 24)).columns - 1))

    def show(outputs: list[Any]) -> None:
        for out in outputs:
            text = _fit(out.text, width) if interactive else out.text
            if interactive and out.kind in STYLES:
                text = click.style(text, **STYLES[out.kind])
            click.echo(text)
            if out.kind == "problem":
                click.echo("")
            if out.kind == "plot" and out.data.get("figure"):
                _draw(out.data["figure"], path.parent, interactive)

    def save() -> None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(".tmp")
            tmp.write_text(json.dumps(session.to_dict(), indent=1), encoding="utf-8")
            os.replace(tmp, path)
        except OSError as exc:
            click.echo(f"(could not save the session to {path}: {exc})", err=True)

    resume_hint = "`tutor quiz --resume" + (f" --save {path}" if save_path else "") + "`"

    def leave() -> None:
        click.echo("")
        show(session.interrupt())
        save()
        click.echo(f"Session saved to {path}; continue it with {resume_hint}.")

    try:
        with _deferred_interrupt() as interrupted:
            first = session.start()
    except Exception as exc:  # a generator bug must not lose the session
        raise click.ClickException(f"could not make a problem: {exc}") from exc
    show(first)
    save()
    if interrupted:
        leave()
        return
    while not (session.finished or session.stopped):
        try:
            line = input("answer> ") if interactive else sys.stdin.readline()
            if not interactive:
                if not line:
                    raise EOFError
                line = line.rstrip("\n")
                click.echo(f"answer> {line}")
        except (EOFError, KeyboardInterrupt):
            leave()
            return
        with _deferred_interrupt() as interrupted:
            outputs = session.handle(line)
        show(outputs)
        save()
        if interrupted and not (session.finished or session.stopped):
            leave()
            return
        if session.stopped:  # 'quit': saved like Ctrl-C, and the student is told where
            click.echo(f"Session saved to {path}; continue it with {resume_hint}.")


def _replace_unfinished(path: Path, saved: Any, interactive: bool, save_path: Path | None) -> bool:
    """An unfinished session is saved where this quiz would save: ask (at a terminal) whether
    to continue it or start afresh; elsewhere refuse, since the work would be lost.  True
    means start afresh, False continue the saved one."""
    done = sum(1 for r in saved.records if r.outcome)
    where = f" --save {path}" if save_path else ""
    said = f"An unfinished quiz is saved in {path} ({done} of {saved.config.count} problems done)."
    if not interactive:
        raise click.UsageError(
            f"{said} Continue it with `tutor quiz --resume{where}`, or start a new one with "
            "--new (the saved one is then replaced)."
        )
    click.echo(said)
    pick = click.prompt(
        "Continue it [c], start a new one and replace it [n], or quit [q]?",
        type=click.Choice(["c", "n", "q"], case_sensitive=False),
        default="c",
    )
    if pick.lower() == "q":
        raise SystemExit(0)
    return pick.lower() == "n"


def _topics(topics: tuple[str, ...], lecture: int | None) -> list[str]:
    from ..generate import topic_info
    from ..generate import topics as all_topics
    from ._common import spans, unknown_topic

    known = all_topics()
    for t in topics:
        if t not in known:
            raise unknown_topic(t)
    chosen = list(topics)
    if lecture is not None:
        infos = [i for i in topic_info() if _lecture_of(i) == lecture]
        if not infos:
            have = spans(_lecture_of(i) for i in topic_info())
            raise click.BadParameter(
                f"no topics for lecture {lecture}; lectures with topics: {have}",
                param_hint="--lecture",
            )
        chosen += [_id_of(i) for i in infos]
    if not chosen:
        chosen = [_id_of(i) for i in topic_info() if _lecture_of(i) in (5, 10)] or known[:1]
    return list(dict.fromkeys(chosen))


def _lecture_of(info: Any) -> int:
    return int(info["lecture"] if isinstance(info, dict) else info.lecture)


def _id_of(info: Any) -> str:
    return str(info["id"] if isinstance(info, dict) else info.id)


def _draw(figure: dict[str, Any], folder: Path, interactive: bool) -> None:
    """Draw the figure to a PNG beside the session file and, at a terminal, open it."""
    try:
        from ..plot import render

        folder.mkdir(parents=True, exist_ok=True)
        target = folder / "quiz-figure.png"
        target.write_bytes(render(dict(figure), fmt="png"))
    except Exception as exc:  # the picture is a help, never a reason to stop the quiz
        click.echo(f"(could not draw the picture: {exc})")
        return
    if interactive and _can_show_pictures():
        click.echo(f"Picture saved to {target}; opening it.")
        click.launch(str(target))
    else:
        click.echo(f"Picture saved to {target}: open it with an image viewer.")


def _can_show_pictures() -> bool:
    """A desktop to open a picture on (over ssh or in a bare console there is none, and
    xdg-open would fill the quiz with its complaints)."""
    if sys.platform in ("darwin", "win32"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


class _Flag:
    def __init__(self) -> None:
        self.set = False

    def __bool__(self) -> bool:
        return self.set


@contextlib.contextmanager
def _deferred_interrupt() -> Iterator[_Flag]:
    """Hold Ctrl-C while an answer is graded or a problem made: the work finishes (it is
    bounded), then the quiz stops cleanly.  Worker processes forked meanwhile inherit the
    handler and ignore Ctrl-C, so no traceback from them reaches the student's terminal;
    a second Ctrl-C in the quiz itself stops at once."""
    flag = _Flag()
    main_pid = os.getpid()
    try:
        previous = signal.getsignal(signal.SIGINT)
    except ValueError:  # not the main thread: nothing to defer
        yield flag
        return

    def handler(signum: int, frame: Any) -> None:
        if os.getpid() != main_pid:
            return
        if flag.set:
            raise KeyboardInterrupt
        flag.set = True

    try:
        signal.signal(signal.SIGINT, handler)
    except ValueError:
        yield flag
        return
    try:
        yield flag
    finally:
        signal.signal(signal.SIGINT, previous)


def _fit(text: str, width: int) -> str:
    """Wrap lines wider than the terminal, keeping their indent (tables are narrower)."""
    out: list[str] = []
    for line in text.split("\n"):
        if len(line) <= width:
            out.append(line)
            continue
        pad = line[: len(line) - len(line.lstrip())]
        out.extend(
            textwrap.wrap(line, width, subsequent_indent=pad, break_on_hyphens=False) or [line]
        )
    return "\n".join(out)


def _enable_line_editing() -> None:
    try:
        import readline  # noqa: F401  (importing it gives input() editing and history)
    except ImportError:
        pass
