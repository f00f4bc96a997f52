"""The quiz session as a pure state machine: lines in, outputs out, no I/O.

``QuizSession.start()`` asks the first problem; ``handle(line)`` takes what the student
typed (an answer or a command: ``hint``, ``solution``, ``skip``, ``plot``, ``help``,
``quit``) and returns what to show.  The CLI (``tutor quiz``) prints the outputs, reads
lines and saves ``to_dict()`` after every event; any other interface can drive it alike.
Problems come from ``tutor.generate`` with seeds derived from the session's seed, so a
saved session resumes with the very same problems.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from .core import Problem, Verdict

COMMANDS = {
    "hint": "show the next step of the worked solution",
    "solution": "show the whole worked solution (the problem counts as given up)",
    "skip": "go on to the next problem",
    "plot": "how to see this problem's picture",
    "help": "this list",
    "quit": "stop here; the session is saved and can be resumed",
}
ALIASES = {
    "h": "hint",
    "?": "help",
    "q": "quit",
    "exit": "quit",
    "s": "skip",
    "sol": "solution",
    "next": "skip",
}

# Outcome of a problem, best first.
OUTCOMES = ("first_try", "after_retry", "after_hints", "given_up", "skipped")


@dataclass(frozen=True)
class Output:
    """One thing to show: ``kind`` says what (problem, correct, wrong, parse_error,
    undetermined, hint, solution, info, plot, summary, end), ``text`` is ready to print
    (plain, unicode or ASCII), ``data`` carries the objects for richer interfaces."""

    kind: str
    text: str
    data: dict[str, Any] = field(default_factory=dict)


@dataclass
class Record:
    """What happened on one problem (saved with the session)."""

    index: int
    topic: str
    seed: int
    difficulty: int
    answers: list[str] = field(default_factory=list)
    codes: list[str] = field(default_factory=list)
    hints: int = 0
    tries: int = 0
    outcome: str = ""


@dataclass
class QuizConfig:
    """The session's settings; ``topics`` are cycled through ``count`` problems."""

    topics: list[str]
    count: int = 5
    difficulty: int = 1
    seed: int = 0
    adaptive: bool = False
    tries: int = 3
    ascii: bool = False


class QuizSession:
    """A quiz in progress.  Pure: ``generate`` and ``check`` are injected callables."""

    def __init__(
        self,
        config: QuizConfig,
        *,
        generate: Callable[..., Problem] | None = None,
        check: Callable[..., Verdict] | None = None,
        records: Sequence[Record] = (),
    ) -> None:
        if not config.topics:
            raise ValueError("a quiz needs at least one topic")
        if config.count < 1 or config.tries < 1:
            raise ValueError("count and tries must be at least 1")
        self.config = config
        self._generate = generate or _default_generate
        self._check = check or _default_check
        self.records: list[Record] = [Record(**asdict(r)) for r in records]
        self.problem: Problem | None = None
        self.finished = False  # every problem done
        self.stopped = False  # the student left early; the session can be resumed

    # -- the flow --------------------------------------------------------------------------
    @property
    def current(self) -> Record | None:
        if self.records and not self.records[-1].outcome:
            return self.records[-1]
        return None

    def start(self) -> list[Output]:
        """Begin (or resume): greet and show the current or next problem."""
        done = sum(1 for r in self.records if r.outcome)
        out = [Output("info", self._greeting(done))]
        if self.current is not None:
            self.problem = self._make(self.current)
            return out + [self._show_problem()]
        return out + self._next()

    def handle(self, line: str) -> list[Output]:
        """One line from the student: a command or an answer."""
        if self.finished or self.stopped:
            return [Output("end", "The quiz is over.")]
        text = line.strip()
        word = ALIASES.get(text.lower(), text.lower())
        if not text:
            return [Output("info", "Type an answer, or 'help' for the commands.")]
        if word in COMMANDS:
            return getattr(self, f"_cmd_{word}")()
        return self._answer(text)

    def interrupt(self) -> list[Output]:
        """The student left (Ctrl-C, end of input): stop with the summary; resumable."""
        self.stopped = True
        return [Output("summary", self.summary_text(), {"summary": self.summary()})]

    # -- commands ------------------------------------------------------------------------------
    def _cmd_help(self) -> list[Output]:
        lines = ["Type your answer, or one of these commands:"]
        lines += [f"  {name:<9} {what}" for name, what in COMMANDS.items()]
        lines.append(_input_help(self.problem))
        return [Output("info", "\n".join(lines))]

    def _cmd_hint(self) -> list[Output]:
        rec, p = self.current, self.problem
        assert rec is not None and p is not None
        hints = hint_steps(p)
        if rec.hints >= len(hints):
            return [
                Output(
                    "hint", "That was the last hint: type the answer, or 'solution' to see it all."
                )
            ]
        step = hints[rec.hints]
        rec.hints += 1
        from .render.text import render_hint

        head = f"Hint {rec.hints} of {len(hints)}: "
        return [Output("hint", head + render_hint(step, self.config.ascii), {"step": step})]

    def _cmd_solution(self) -> list[Output]:
        rec, p = self.current, self.problem
        assert rec is not None and p is not None
        from .render.text import render_solution

        rec.outcome = "given_up"
        out = [
            Output(
                "solution", render_solution(p.solution, self.config.ascii), {"solution": p.solution}
            )
        ]
        return out + self._next()

    def _cmd_skip(self) -> list[Output]:
        rec = self.current
        assert rec is not None
        rec.outcome = "skipped"
        return [Output("info", "Skipped.")] + self._next()

    def _cmd_plot(self) -> list[Output]:
        p = self.problem
        assert p is not None
        if not p.figure:
            return [Output("plot", "This problem has no picture.")]
        return [
            Output(
                "plot", "See the picture with:\n  " + plot_command(p.figure), {"figure": p.figure}
            )
        ]

    def _cmd_quit(self) -> list[Output]:
        return self.interrupt()

    # -- answers ---------------------------------------------------------------------------
    def _answer(self, text: str) -> list[Output]:
        rec, p = self.current, self.problem
        assert rec is not None and p is not None
        verdict = self._check(
            text,
            p.answer,
            kind=p.answer_kind,
            task=p.solution.task,
            **dict(p.check_options),
        )
        if verdict.code == "parse_error":
            return [Output("parse_error", _parse_error_text(verdict), {"verdict": verdict})]
        if verdict.correct is None:
            return [
                Output(
                    "undetermined",
                    f"I could not decide about that answer: {verdict.feedback} Try writing it another way.",
                    {"verdict": verdict},
                )
            ]
        rec.answers.append(text)
        rec.codes.append(verdict.code)
        rec.tries += 1
        notes = _notes(verdict)
        if verdict.correct:
            rec.outcome = (
                "after_hints" if rec.hints else ("first_try" if rec.tries == 1 else "after_retry")
            )
            msg = "Correct! " + verdict.feedback if verdict.feedback else "Correct!"
            return [Output("correct", msg + notes, {"verdict": verdict})] + self._next()
        left = self.config.tries - rec.tries
        said = "" if verdict.code == "not_equivalent" else " " + verdict.feedback
        msg = "Not quite." + said + notes
        if left > 0:
            msg += f"\nTry again ({left} {'try' if left == 1 else 'tries'} left), or type 'hint'."
            return [Output("wrong", msg, {"verdict": verdict})]
        rec.outcome = "given_up"
        from .render.text import render_solution

        out = [
            Output("wrong", msg + "\nHere is the worked solution.", {"verdict": verdict}),
            Output(
                "solution", render_solution(p.solution, self.config.ascii), {"solution": p.solution}
            ),
        ]
        return out + self._next()

    # -- problems ---------------------------------------------------------------------------
    def _next(self) -> list[Output]:
        if len(self.records) >= self.config.count:
            self.finished = True
            self.problem = None
            return [Output("summary", self.summary_text(), {"summary": self.summary()})]
        i = len(self.records)
        topic = self.config.topics[i % len(self.config.topics)]
        rec = Record(i, topic, derive_seed(self.config.seed, i), self._difficulty())
        self.records.append(rec)
        self.problem = self._make(rec)
        return [self._show_problem()]

    def _make(self, rec: Record) -> Problem:
        return self._generate(rec.topic, seed=rec.seed, difficulty=rec.difficulty)

    def _show_problem(self) -> Output:
        rec, p = self.current, self.problem
        assert rec is not None and p is not None
        from .render.text import render_prompt

        head = (
            f"Problem {rec.index + 1} of {self.config.count}  [{rec.topic}, level {rec.difficulty}]"
        )
        body = render_prompt(p, self.config.ascii)
        if p.figure:
            body += "\n(There is a picture for this one: type 'plot'.)"
        return Output("problem", f"{head}\n{body}", {"problem": p, "record": rec})

    def _difficulty(self) -> int:
        """The configured level, or with ``adaptive`` one moved by the recent outcomes."""
        level = self.config.difficulty
        if not self.config.adaptive:
            return level
        done = [r for r in self.records if r.outcome]
        if done:
            level = done[-1].difficulty
            recent = [r.outcome for r in done[-2:]]
            if len(recent) == 2 and all(o == "first_try" for o in recent):
                level += 1
            elif recent[-1] in ("given_up", "skipped"):
                level -= 1
        return max(1, min(3, level))

    # -- summary and persistence --------------------------------------------------------
    def summary(self) -> dict[str, Any]:
        """Counts per topic and outcome, and what to review (from the mistakes made)."""
        per: dict[str, dict[str, int]] = {}
        for r in self.records:
            if not r.outcome:
                continue
            row = per.setdefault(r.topic, dict.fromkeys(OUTCOMES, 0))
            row[r.outcome] += 1
        review: list[str] = []
        for r in self.records:
            for code in r.codes:
                advice = REVIEW.get(code)
                if advice and advice not in review:
                    review.append(advice)
            if r.outcome in ("given_up", "after_hints") and not any(REVIEW.get(c) for c in r.codes):
                item = f"{r.topic}: go over the worked solution again"
                if item not in review:
                    review.append(item)
        return {
            "per_topic": per,
            "review": review,
            "answered": sum(1 for r in self.records if r.outcome),
        }

    def summary_text(self) -> str:
        s = self.summary()
        lines = ["", "Summary", "-------"]
        if not s["per_topic"]:
            return "\n".join(lines + ["No problems finished yet."])
        labels = {"first_try": "first try", "after_retry": "after a retry", "after_hints": "with hints",
                  "given_up": "given up", "skipped": "skipped"}  # fmt: skip
        for topic, row in s["per_topic"].items():
            parts = [f"{n} {labels[k]}" for k, n in row.items() if n]
            lines.append(f"{topic}: " + ", ".join(parts))
        total = s["answered"]
        first = sum(row["first_try"] for row in s["per_topic"].values())
        lines.append(f"Right first time: {first} of {total}.")
        if s["review"]:
            lines.append("What to review next:")
            lines += [f"  - {item}" for item in s["review"]]
        else:
            lines.append("Nothing to review: well done.")
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        """The session as JSON-ready data (settings and records); problems are regenerated."""
        return {"version": 1, "config": asdict(self.config), "records": [asdict(r) for r in self.records],
                "finished": self.finished}  # fmt: skip

    @classmethod
    def from_dict(cls, data: dict[str, Any], **kwargs: Any) -> QuizSession:
        """A saved session, ready for ``start()`` to resume where it stopped."""
        config = QuizConfig(**data["config"])
        session = cls(config, records=[Record(**r) for r in data.get("records", [])], **kwargs)
        return session

    def _greeting(self, done: int) -> str:
        topics = ", ".join(dict.fromkeys(self.config.topics))
        if done:
            return f"Welcome back: {done} of {self.config.count} done ({topics}). Type 'help' for the commands."
        return f"Quiz: {self.config.count} problems on {topics}. Type 'help' for the commands."


# Steps too small to be worth a hint of their own.
_TRIVIAL = {"constant", "identity", "tidy_up", "simplify", "summary"}


def hint_steps(problem: Problem, depth: int = 2) -> list[Any]:
    """The steps a student is offered as hints, in the order a teacher would give them:
    the worked solution top down, two levels deep, without the trivial ones."""
    out: list[Any] = []

    def visit(steps: Sequence[Any], level: int) -> None:
        for s in steps:
            if s.rule not in _TRIVIAL and (s.explanation or s.substeps):
                out.append(s)
            if level + 1 < depth:
                visit(s.substeps, level + 1)

    visit(problem.solution.steps, 0)
    return out or list(problem.solution.steps)


def derive_seed(seed: int, index: int) -> int:
    """The seed of problem ``index`` in a session: stable on every machine."""
    digest = hashlib.sha256(f"quiz:{seed}:{index}".encode()).digest()
    return int.from_bytes(digest[:4], "big")


def plot_command(figure: dict[str, Any]) -> str:
    """The ``tutor plot`` command that draws a problem's figure."""
    from .render.mathtext import math_text

    kind = figure.get("kind", "")
    parts = ["tutor", "plot", kind]
    expr = figure.get("expr")
    if expr is not None:
        parts.append(_quote(math_text(expr, ascii=True)))
    for key in ("at", "x0", "steps"):
        if key in figure and figure[key] is not None:
            parts += [f"--{key.replace('_', '-')}", _quote(math_text(figure[key], ascii=True))]
    if "on" in figure and figure["on"] is not None:
        a, b = figure["on"]
        parts += ["--on", _quote(math_text(a, ascii=True)), _quote(math_text(b, ascii=True))]
    for lr in figure.get("lrs", ()) or ():
        parts += ["--lr", _quote(math_text(lr, ascii=True))]
    return " ".join(parts + ["-o", f"{kind or 'figure'}.png"])


def _quote(s: str) -> str:
    return s if s.replace(".", "").replace("-", "").isalnum() else f'"{s}"'


def _notes(verdict: Verdict) -> str:
    notes = verdict.details.get("notes") or ()
    if not notes:
        return ""
    return "\n(How I read your answer: " + "; ".join(str(n) for n in notes) + ".)"


def _parse_error_text(verdict: Verdict) -> str:
    caret = verdict.details.get("caret") or verdict.details.get("excerpt") or ""
    hint = verdict.details.get("hint") or ""
    lines = ["I could not read that: " + verdict.feedback]
    if caret:
        lines.append(str(caret))
    if hint and hint not in verdict.feedback:
        lines.append("Hint: " + hint)
    lines.append("(That does not count as a try.)")
    return "\n".join(lines)


def _input_help(problem: Problem | None) -> str:
    base = "Write maths as you would on paper: 3x^2 + 1, sin(2x), e^x, sqrt(x), ln(x), 1/(x+1)."
    if problem is None:
        return base
    extra = {
        "equation": " This answer is an equation, e.g. y = 2x + 1.",
        "set": " This answer is a set of values, e.g. {-1, 2}.",
        "list": " This answer is a list in order, separated by commas.",
        "interval": " This answer is an interval, e.g. (-oo, 2] U (3, oo).",
        "point": " This answer is a point, e.g. (1, 2).",
        "number": " This answer is a number (exact if you can: 1/3, not 0.33; oo, -oo or DNE for limits).",
        "choice": " Answer with one of: "
        + ", ".join(str(c) for c in problem.check_options.get("choices", ())),
    }
    return base + extra.get(problem.answer_kind, "")


# Mistake code -> what to review (lecture and rule).
REVIEW: dict[str, str] = {
    "missing_chain_factor": "Lecture 10, the chain rule: multiply by the derivative of the inner function",
    "product_rule_as_product": "Lecture 05, the product rule: (fg)' = f'g + fg', not f'g'",
    "quotient_rule_sign": "Lecture 05, the quotient rule: the numerator is f'g − fg' (order matters)",
    "quotient_rule_denominator": "Lecture 05, the quotient rule: the denominator is squared",
    "power_rule_exponent": "Lecture 05, the power rule: bring the exponent down and lower it by one",
    "exp_missing_factor": "Lecture 10, the chain rule on e^(kx): the factor k comes out",
    "log_missing_factor": "Lecture 10, the chain rule on ln(g): multiply 1/g by g'",
    "trig_sign": "Lecture 05, trig derivatives: (cos x)' = −sin x",
    "dropped_constant": "Lecture 05, the constant multiple rule: constants stay as factors",
    "sign_error": "Check signs: your answer is the negative of the right one",
    "constant_factor": "Check constant factors: your answer is off by a constant multiple",
    "not_exact": "Give exact values (fractions, roots, π) rather than rounded decimals",
    "wrong_form": "Your value is right but the form asked for is different: read the question again",
}


def _default_generate(topic: str, *, seed: int, difficulty: int) -> Problem:
    from .generate import generate

    return generate(topic, seed=seed, difficulty=difficulty)


def _default_check(answer: str, expected: Any, **kwargs: Any) -> Verdict:
    from .check import check

    return check(answer, expected, **kwargs)
