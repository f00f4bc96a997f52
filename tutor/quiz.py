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
import string
import textwrap
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from .core import Problem, Verdict
from .steps.registry import TRIVIAL

COMMANDS = {
    "hint": "show the next step of the worked solution",
    "solution": "show the whole worked solution (the problem counts as given up)",
    "skip": "go on to the next problem",
    "plot": "how to see this problem's picture",
    "help": "this list",
    "quit": "stop here; the session is saved and can be resumed",
}
# What confirms an answer that was shown back before marking.
CONFIRM = {"y", "yes", "ok", "confirm"}
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
    helped: bool = False  # saw a picture that shows the answer before answering


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
        read: Callable[[str, Problem], str | None] | None = None,
        records: Sequence[Record] = (),
    ) -> None:
        if not config.topics:
            raise ValueError("a quiz needs at least one topic")
        if config.count < 1 or config.tries < 1:
            raise ValueError("count and tries must be at least 1")
        self.config = config
        self._generate = generate or _default_generate
        self._check = check or _default_check
        self._read = read or reading
        self._pending: str | None = None  # an answer shown back, waiting to be confirmed
        self._plot_offered = False  # the picture's warning was given for this problem
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
        pending, self._pending = self._pending, None
        if pending is not None and (not text or word in CONFIRM):
            return self._answer(pending, confirmed=True)
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
        step = held_back(hints[rec.hints], p.solution.answer)
        rec.hints += 1
        from .render.text import render_hint

        head = f"Hint {rec.hints} of {len(hints)}: "
        text = render_hint(step, self.config.ascii).replace("\n", " ")
        return [Output("hint", _wrap(head + text), {"step": step})]

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
        rec, p = self.current, self.problem
        assert rec is not None and p is not None
        if not p.figure:
            return [Output("plot", "This problem has no picture.")]
        if not p.figure.get("question") and not rec.helped:
            if not self._plot_offered:
                self._plot_offered = True
                return [
                    Output(
                        "plot",
                        "This picture shows the answer, so seeing it counts as help (like a "
                        "hint). Type 'plot' again to see it anyway.",
                    )
                ]
            rec.helped = True
        return [
            Output(
                "plot", "See the picture with:\n  " + plot_command(p.figure), {"figure": p.figure}
            )
        ]

    def _cmd_quit(self) -> list[Output]:
        return self.interrupt()

    # -- answers ---------------------------------------------------------------------------
    def _answer(self, text: str, confirmed: bool = False) -> list[Output]:
        rec, p = self.current, self.problem
        assert rec is not None and p is not None
        if p.answer_kind == "choice":
            choices = [str(c) for c in p.check_options.get("choices", ())]
            picked = match_choice(text, choices)
            if isinstance(picked, list):
                return [Output("undetermined", _choice_help(text, picked, choices))]
            text = picked
        elif not confirmed:
            # a reading that hangs on a precedence choice or a glued name is shown back
            # before it counts: the student confirms it or types it again with brackets
            read = self._read(text, p)
            if read:
                self._pending = text
                msg = (
                    f"Before I mark it: {read}. Press Enter (or type 'yes') to have it "
                    "marked, or type it again with brackets. (Nothing is counted yet.)"
                )
                return [Output("preview", _wrap(msg), {"answer": text, "reading": read})]
        verdict = self._check(
            text,
            p.answer,
            kind=p.answer_kind,
            task=p.solution.task,
            **dict(p.check_options),
        )
        if verdict.code == "parse_error":
            return [Output("parse_error", _parse_error_text(verdict, text), {"verdict": verdict})]
        if verdict.code == "wrong_kind":
            # the student knows something but wrote it in the wrong shape: not a try
            msg = (
                _wrap(verdict.feedback) + "\n" + _form_line(p) + "\n(That does not count as a try.)"
            )
            return [Output("wrong", msg, {"verdict": verdict})]
        if verdict.correct is None:
            msg = f"I could not decide about that answer: {verdict.feedback}"
            return [
                Output(
                    "undetermined",
                    _wrap(msg + " Try writing it another way (it does not count as a try)."),
                    {"verdict": verdict},
                )
            ]
        rec.answers.append(text)
        rec.codes.append(verdict.code)
        rec.tries += 1
        verdict = _unnoted(verdict)
        # a reading the student saw and confirmed is not told again
        notes = "" if confirmed else _notes(verdict)
        if verdict.correct:
            rec.outcome = (
                "after_hints"
                if rec.hints or rec.helped
                else ("first_try" if rec.tries == 1 else "after_retry")
            )
            msg = "Correct!"
            if verdict.feedback and not _is_bare_verdict(verdict.feedback):
                msg += " " + verdict.feedback
            return [Output("correct", _wrap(msg) + notes, {"verdict": verdict})] + self._next()
        left = self.config.tries - rec.tries
        msg = _wrong_text(verdict, rec) + notes
        if left > 0:
            nxt = "type 'hint' for a step" if rec.hints < len(hint_steps(p)) else "'solution'"
            msg += f"\nTry again ({left} {'try' if left == 1 else 'tries'} left), or {nxt}."
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
        self._pending, self._plot_offered = None, False
        i = len(self.records)
        topic = self.topic_of(i)
        rec = Record(i, topic, derive_seed(self.config.seed, i), self._difficulty())
        self.records.append(rec)
        self.problem = self._make(rec)
        return [self._show_problem()]

    def topic_of(self, index: int) -> str:
        """The topic of problem ``index``: the topics in turn, starting at one the seed picks
        (so a short quiz on a whole lecture does not always begin with its first topic)."""
        topics = self.config.topics
        return topics[(index + derive_seed(self.config.seed, -1)) % len(topics)]

    def _make(self, rec: Record) -> Problem:
        return self._generate(rec.topic, seed=rec.seed, difficulty=rec.difficulty)

    def _show_problem(self) -> Output:
        rec, p = self.current, self.problem
        assert rec is not None and p is not None
        from .render.text import render_prompt

        head = (
            f"Problem {rec.index + 1} of {self.config.count}  [{rec.topic}, level {rec.difficulty}]"
        )
        body, form = _with_form(render_prompt(p, self.config.ascii), p)
        body = _wrap(body)
        if form:
            body += "\n" + _wrap(form)
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
                item = f"{_lecture_name(r.topic)}: go over its worked solution again"
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
        labels = {"first_try": "first try", "after_retry": "after a retry",
                  "after_hints": "with help (hints or a picture)", "given_up": "given up",
                  "skipped": "skipped"}  # fmt: skip
        for topic, row in s["per_topic"].items():
            parts = [f"{n} {labels[k]}" for k, n in row.items() if n]
            lines.append(f"{topic}: " + ", ".join(parts))
        total = s["answered"]
        first = sum(row["first_try"] for row in s["per_topic"].values())
        lines.append(f"Right first time: {first} of {total}.")
        if total < self.config.count and not self.finished:
            lines.append(f"Stopped after {total} of {self.config.count} problems.")
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
        """A saved session, ready for ``start()`` to resume where it stopped.  A file that is
        not one (a setting of the wrong type, a record without its fields) is a ValueError
        that says what is wrong, before any problem is made from it."""
        config = _checked(data.get("config"), QuizConfig, "settings")
        if not isinstance(config["topics"], list) or not all(
            isinstance(t, str) for t in config["topics"]
        ):
            raise ValueError("its topics are not a list of topic names")
        if config.get("difficulty", 1) not in (1, 2, 3):
            raise ValueError(f"its level is {config['difficulty']!r}, not 1, 2 or 3")
        records = data.get("records", [])
        if not isinstance(records, list):
            raise ValueError("its records are not a list")
        rows = [_checked(r, Record, f"record {i + 1}") for i, r in enumerate(records)]
        return cls(QuizConfig(**config), records=[Record(**r) for r in rows], **kwargs)

    def _greeting(self, done: int) -> str:
        n = min(self.config.count, len(self.config.topics))
        topics = ", ".join(sorted({self.topic_of(i) for i in range(n)}))
        if done or self.records:  # resuming, even before the first problem was finished
            return f"Welcome back: {done} of {self.config.count} done ({topics}). Type 'help' for the commands."
        count = self.config.count
        return f"Quiz: {count} problem{'s' if count != 1 else ''} on {topics}. Type 'help' for the commands."


def _checked(raw: Any, kind: type, what: str) -> dict[str, Any]:
    """The fields of a saved ``kind`` (QuizConfig or Record), each of the type it declares."""
    from dataclasses import MISSING, fields

    if not isinstance(raw, dict):
        raise ValueError(f"its {what}: not a table of fields")
    declared = {f.name: f for f in fields(kind)}
    unknown = sorted(set(raw) - set(declared))
    if unknown:
        raise ValueError(f"its {what}: fields this version does not know: {', '.join(unknown)}")
    plain = {"int": int, "str": str, "bool": bool, "list[str]": list}
    for name, f in declared.items():
        if name not in raw:
            if f.default is MISSING and f.default_factory is MISSING:
                raise ValueError(f"its {what}: no {name!r}")
            continue
        want = plain.get(str(f.type))
        value = raw[name]
        if want is not None and (
            not isinstance(value, want) or (want is int and isinstance(value, bool))
        ):
            raise ValueError(f"its {what}: {name!r} is {value!r}")
    return dict(raw)


def _lecture_name(topic: str) -> str:
    """'Lecture 10, chain-rule' when the curriculum knows the topic, else the topic."""
    try:
        from .generate import topic_info

        for info in topic_info():
            tid = info["id"] if isinstance(info, dict) else info.id
            if tid == topic:
                lecture = info["lecture"] if isinstance(info, dict) else info.lecture
                return f"Lecture {int(lecture):02d}, {topic}"
    except Exception:  # an unknown or injected topic: the name alone is enough
        pass
    return topic


# Steps too small to be worth a hint of their own.
_TRIVIAL = TRIVIAL


def hint_steps(problem: Problem, depth: int = 2) -> list[Any]:
    """The steps a student is offered as hints, in the order a teacher would give them:
    the worked solution two levels deep, without the trivial ones.  A step whose words
    state its own result comes after its sub-steps (the how before the what), and a step
    whose words state the final answer is left for 'solution'."""
    out: list[Any] = []

    def visit(steps: Sequence[Any], level: int) -> None:
        for s in steps:
            useful = s.rule not in _TRIVIAL and (s.explanation or s.substeps)
            late = _says(s, s.after)
            if useful and not late:
                out.append(s)
            if level + 1 < depth:
                visit(s.substeps, level + 1)
            if useful and late:
                out.append(s)

    visit(problem.solution.steps, 0)
    answer = problem.solution.answer
    kept = [s for s in out if not _says(s, answer) and not _names_answer(s, answer)]
    return kept or out or list(problem.solution.steps)


def _names_answer(step: Any, answer: Any) -> bool:
    """Whether the step's words name an answer that is a word (``does not exist``,
    ``maximum``, ``diverges``): such a step is the conclusion, left for 'solution'."""
    import re

    from .render.mathtext import math_text

    try:
        said = math_text(answer)
    except Exception:  # an answer the text printer cannot show is not matched
        return False
    if not re.fullmatch(r"[A-Za-z][A-Za-z ]{2,}", said):
        return False
    return re.search(rf"\b{re.escape(said)}\b", step.text()) is not None


# What a hint shows in place of a result it holds back.
HIDDEN = "?"


def held_back(step: Any, answer: Any) -> Any:
    """The step as a hint: every value in its words that is its own result or the final
    answer (in any form that reads the same) is left for the student to find."""
    from dataclasses import replace

    from .render.mathtext import math_text

    names = {name for _, name, _, _ in string.Formatter().parse(step.explanation or "") if name}
    wanted = [v for v in (answer, step.after) if v is not None]
    shown = {math_text(v) for v in wanted} - {""}
    data = dict(step.data)
    for name in names:
        value = data.get(name)
        if value is None or isinstance(value, str):
            continue
        try:
            text = math_text(value)
        except Exception:  # a value the text printer cannot show is not shown anyway
            continue
        rhs = getattr(value, "rhs", None) if getattr(value, "is_Relational", False) else None
        if rhs is not None and any(_same(rhs, w) for w in wanted):
            import sympy

            # L = Σ(p − y)²/n = 6 keeps its set-up and holds back the result: L = … = ?
            data[name] = sympy.Eq(value.lhs, sympy.Symbol(HIDDEN), evaluate=False)
        elif (
            any(_same(value, w) for w in wanted)
            or any(len(a) > 1 and a in text for a in shown)
            or text in shown
        ):
            data[name] = HIDDEN
    return replace(step, data=data) if data != dict(step.data) else step


def _same(a: Any, b: Any) -> bool:
    """Cheap equality of two shown values: the same object, or the same number."""
    try:
        if bool(a == b):
            return True
    except Exception:  # comparisons of unlike objects (a Table, a relation) say nothing
        return False
    try:
        from .core import as_sympy

        x, y = as_sympy(a), as_sympy(b)
        return bool(x.is_number and y.is_number and abs(complex(x - y)) < 1e-12)
    except Exception:  # not numbers: structural equality above was the test
        return False


def _says(step: Any, value: Any) -> bool:
    """Whether the step's explanation writes ``value`` out (one of its placeholders)."""
    names = {name for _, name, _, _ in string.Formatter().parse(step.explanation or "") if name}
    for name in names:
        shown = step.data.get(name)
        try:
            if shown is not None and bool(shown == value):
                return True
        except Exception:  # comparisons of unlike objects (a Table, a relation) say nothing
            continue
    return False


# How the answer kinds ask the parser to read brackets and commas.
_EXPECT = {"interval": "interval", "set": "set", "list": "list", "point": "point"}


def reading(text: str, problem: Problem) -> str | None:
    """How ``text`` was read, when the reading hangs on a choice the student may not have
    meant (``x^-1/2``, ``1/2x``, ``e^-2x``, ``asdf``): the parser's notes and the result.
    ``None`` when the reading is plain or the text cannot be read (the check says why)."""
    from .parse import ParseError, parse_answer
    from .render.text import render_math

    variables = problem.check_options.get("variables")
    try:
        parsed = parse_answer(
            text,
            variables=list(variables) if variables else None,
            expect=_EXPECT.get(problem.answer_kind),
        )
    except (ParseError, TypeError, ValueError):
        return None
    notes = [n for n in parsed.notes if " was read as " in n]
    if not notes:
        return None
    try:
        shown = render_math(parsed.value)
    except Exception:  # a reading that cannot be shown is still worth the notes
        return "; ".join(notes)
    if len(notes) == 1 and _same_factors(notes[0].split(" was read as ")[-1], shown):
        return notes[0]  # "asdf was read as a·s·d·f", not "…, that is a·d·f·s" as well
    return "; ".join(notes) + f", that is {shown}"


def _same_factors(a: str, b: str) -> bool:
    """Whether two products of single letters are the same letters in another order."""
    fa, fb = a.strip().split("·"), b.strip().split("·")
    return len(fa) > 1 and sorted(fa) == sorted(fb)


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


def _unnoted(verdict: Verdict) -> Verdict:
    """The verdict without the checker's "(Read as: …)" tail: the quiz says the reading once,
    on a line of its own (or not at all, when the student confirmed it)."""
    from dataclasses import replace

    notes = verdict.details.get("notes") or ()
    tail = f" (Read as: {'; '.join(str(n) for n in notes)}.)"
    if notes and verdict.feedback.endswith(tail):
        return replace(verdict, feedback=verdict.feedback[: -len(tail)])
    return verdict


def _notes(verdict: Verdict) -> str:
    notes = verdict.details.get("notes") or ()
    if not notes:
        return ""
    return "\n(How I read your answer: " + "; ".join(str(n) for n in notes) + ".)"


def _parse_error_text(verdict: Verdict, text: str) -> str:
    """What could not be read, a caret under the place, and how to fix it: said once each."""
    d = verdict.details
    message = str(d.get("message") or verdict.feedback).rstrip(".")
    pos = d.get("position")
    lines = [f"I could not read that: {message}."]
    if isinstance(pos, int) and 0 <= pos <= len(text):
        lines += ["  " + text, "  " + " " * pos + "^"]
    else:
        caret = str(d.get("caret") or d.get("excerpt") or "")
        lines += [ln for ln in caret.splitlines() if ln.strip() and not _is_aside(ln, message)]
    hint = str(d.get("hint") or "").rstrip(".")
    if hint:
        lines.append(f"Hint: {hint[:1].upper() + hint[1:]}.")
    lines.append("(That does not count as a try.)")
    return "\n".join(lines)


def _is_aside(line: str, message: str) -> bool:
    low = line.strip().lower()
    return low == message.lower() or low.startswith("hint:")


# Feedback that only says right or wrong, which the quiz already says in its own words.
_BARE = {"correct", "not correct", "incorrect", "wrong", "right", "equivalent"}


def _is_bare_verdict(feedback: str) -> bool:
    return feedback.strip().rstrip(".!").lower() in _BARE


def _wrong_text(verdict: Verdict, rec: Record) -> str:
    """The diagnosis when there is one; otherwise a plain, varied 'not yet'."""
    said = verdict.feedback.strip()
    for prefix in ("Not correct:", "Not correct.", "Incorrect:", "Incorrect."):
        if said.startswith(prefix):
            said = said[len(prefix) :].strip()
    if said and not _is_bare_verdict(said):
        said = said[:1].upper() + said[1:]
        return _wrap("Not quite. " + said)
    if len(rec.codes) >= 2 and rec.codes[-2] == verdict.code:
        return "Still not it: that is a different answer but not the right one either."
    return "Not quite: that is not the right answer."


def _wrap(text: str) -> str:
    """Wrap long lines at the renderers' width, keeping each line's indent."""
    from .render.text import WIDTH

    out: list[str] = []
    for line in text.split("\n"):
        if len(line) <= WIDTH:
            out.append(line)
            continue
        pad = line[: len(line) - len(line.lstrip())]
        out.extend(
            textwrap.wrap(line, WIDTH, subsequent_indent=pad, break_on_hyphens=False) or [line]
        )
    return "\n".join(out)


def match_choice(text: str, choices: Sequence[str]) -> str | list[str]:
    """The choice a student meant: its number, its letter, its words or an unambiguous
    part of them ("sign", "diverge"); a list of the candidates when that is not clear."""
    t = " ".join(text.strip().lower().rstrip(".").split())
    if not choices:
        return text
    if t.isdigit() and 1 <= int(t) <= len(choices):
        return choices[int(t) - 1]
    if len(t) == 1 and "a" <= t <= chr(ord("a") + len(choices) - 1):
        return choices[ord(t) - ord("a")]
    for c in choices:
        if t == c.lower():
            return c
    # the checker's synonyms: "local min", "relative maximum", "saddle point", "none"
    from .check.choice import _canonical_choice

    canon = _canonical_choice(t, list(choices), {})
    if canon is not None:
        for c in choices:
            if _canonical_choice(c, list(choices), {}) == canon:
                return c
    # words that say nothing about which choice: "it is a local minimum" means "minimum"
    words = [w for w in t.split() if w not in _FILLER] or t.split()
    hits = [c for c in choices if words and all(_has_word(c, w) for w in words)]
    if len(hits) == 1:
        return hits[0]
    return hits


_FILLER = {"a", "an", "the", "it", "is", "its", "it's", "local", "relative", "point"}


def _has_word(choice: str, word: str) -> bool:
    # "diverge" finds "diverges", "lr" finds "learning rate"
    cw = choice.lower().split()
    if word == "lr":
        return "learning" in cw
    return any(w.startswith(word) for w in cw) or (len(word) > 3 and word in choice.lower())


def _choice_help(text: str, candidates: Sequence[str], choices: Sequence[str]) -> str:
    if len(candidates) > 1:
        head = f"'{text.strip()}' fits more than one choice; which one?"
        return head + "\n" + _numbered(choices, only=candidates)
    head = "That is not one of the choices; type its number (or its words):"
    return head + "\n" + _numbered(choices)


def _numbered(choices: Sequence[str], only: Sequence[str] = ()) -> str:
    return "\n".join(f"  {i}. {c}" for i, c in enumerate(choices, 1) if not only or c in only)


def _with_form(prompt: str, problem: Problem) -> tuple[str, str]:
    """The prompt and the line on the answer's shape.  A choice question's inline list
    ("Choose one of: a, b, c.") becomes the numbered list, so it is not said twice."""
    form = _form_line(problem)
    if problem.answer_kind != "choice" or not form:
        return prompt, form
    choices = [str(c) for c in problem.check_options.get("choices", ())]
    joined = ", ".join(choices)
    at = prompt.find(joined)
    if at < 0:
        return prompt, form
    tail = prompt[at + len(joined) :].lstrip(".?").strip()
    head = prompt[:at].rstrip()
    listing = _numbered(choices) + "\n(Type the number of your choice, or its words.)"
    return head, listing + ("\n" + tail if tail else "")


# The shape of each kind of answer, said under the problem, with an example to copy.
_FORMS = {
    "equation": "Answer with an equation, e.g. y = 2x + 1.",
    "set": "Answer with all the values, separated by commas, e.g. -1, 2 (or {-1, 2}).",
    "list": "Answer with the values in order, separated by commas, e.g. (2x - y, 3).",
    "interval": "Answer with an interval, e.g. (-oo, 2] U (3, oo).",
    "point": "Answer with a point, e.g. (1, -2).",
    "number": "Answer with an exact number, e.g. -3/8, sqrt(2) or e^2.",
    "expression": "",
}


def _form_line(problem: Problem) -> str:
    """One line saying what shape of answer is expected (choices listed with numbers)."""
    if problem.answer_kind == "choice":
        choices = [str(c) for c in problem.check_options.get("choices", ())]
        if choices:
            return "Type the number of your choice (or its words):\n" + _numbered(choices)
        return ""
    form = _FORMS.get(problem.answer_kind, "")
    if problem.answer_kind == "number" and problem.topic.startswith("limit"):
        form = "Answer with an exact number (e.g. -3/8, sqrt(2)); oo or -oo if it grows without bound, DNE if there is no limit."
    return form


def _input_help(problem: Problem | None) -> str:
    base = "Write maths as you would on paper: 3x^2 + 1, sin(2x), e^x, sqrt(x), ln(x), 1/(x+1)."
    if problem is None:
        return base
    form = _form_line(problem)
    return base + ("\n" + form if form else "")


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
    "limit_side_sign": "Lecture 04, one-sided limits: the sign of the bottom just left or right of the point",
    "limit_not_exponentiated": "Lecture 04, 1^∞ limits: the limit of ln f is L, so f tends to e^L",
    "limit_substituted": "Lecture 04, 0/0 limits: 0/0 is indeterminate; simplify before substituting",
    "limit_one_side_only": "Lecture 04, two-sided limits: both one-sided limits must agree",
    "limit_infinite_not_dne": "Lecture 04, infinite limits: both sides to +∞ (or −∞) is written oo (or -oo)",
    "limit_lhopital_not_indeterminate": "Lecture 04, L'Hôpital's rule: only for 0/0 or ∞/∞ forms",
    "critical_zeros_of_f": "Lecture 07, critical points: solve f'(x) = 0, not f(x) = 0",
    "critical_zeros_of_f2": "Lecture 07, critical points: f'(x) = 0 (f'' = 0 marks inflection candidates)",
    "critical_not_classified": "Lecture 07, the second-derivative test: classify each critical point",
    "critical_wrong_kind": "Lecture 07, the second-derivative test: f'' > 0 minimum, f'' < 0 maximum",
    "critical_classified_by_f": "Lecture 07, classifying critical points: by f'' or the sign change of f', not by f",
    "critical_outside_interval": "Lecture 07, critical points on an interval: keep only those inside it",
    "critical_missed_nondifferentiable": "Lecture 07, critical points: also where f' does not exist",
    "extrema_forgot_endpoints": "Lecture 07, global extrema on [a, b]: compare the end points too",
    "extrema_wrong_extreme": "Lecture 07, global extrema: read which one (largest or smallest) is asked",
    "extrema_place_not_value": "Lecture 07, global extrema: the value f(x), not the place x",
    "descent_uphill": "Lecture 08, the update x ← x − η∇f: subtract the gradient",
    "descent_one_step_short": "Lecture 08, gradient descent: count the updates from x₀",
    "descent_one_step_too_many": "Lecture 08, gradient descent: count the updates from x₀",
    "descent_rate_twice": "Lecture 08, gradient descent: the step is η·∇f, with η once",
    "descent_gradient_factor": "Lecture 08, gradient descent: compute ∇f (the power rule) before stepping",
    "backprop_negative_gradient": "Lecture 11, backpropagation: it gives ∇L; the update subtracts it",
    "backprop_missing_local": "Lecture 11, backpropagation: each node multiplies by its local derivative",
    "backprop_forward_as_local": "Lecture 11, backpropagation: local derivatives, not forward values",
    "loss_sum_not_mean": "Lecture 12, loss functions: the mean over the examples (divide by n)",
    "loss_log_base": "Lecture 12, cross-entropy: the natural log ln",
    "loss_missing_minus": "Lecture 12, cross-entropy: −log p, a positive loss",
    "signs_flipped": "Check signs: every entry has the wrong sign",
    "scaled": "Check constant factors: every entry is off by the same factor",
    "wrong_order": "Give the entries in the order the question lists them",
    "not_factored": "Forms: take every common factor out",
    "not_expanded": "Forms: multiply out every bracket",
    "not_simplified": "Forms: simplify the answer",
    "not_single_fraction": "Forms: write the answer as a single fraction",
    "not_lowest_terms": "Forms: cancel the common factors (lowest terms)",
}


def _default_generate(topic: str, *, seed: int, difficulty: int) -> Problem:
    from .generate import generate

    return generate(topic, seed=seed, difficulty=difficulty)


# The quiz's time budget for one check.  A student waits a moment for a verdict, and the
# checker gives the mal-rules half of its budget: with the default 2 s a loaded machine ran
# out before the backprop or cross-entropy mistakes were computed, and the diagnosis was lost.
CHECK_SECONDS = 6.0


def _default_check(answer: str, expected: Any, **kwargs: Any) -> Verdict:
    from .check import check

    kwargs.setdefault("timeout", CHECK_SECONDS)
    return check(answer, expected, **kwargs)
