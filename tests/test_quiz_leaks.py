"""Issue 16: through the quiz itself, over every lecture, nothing said before the solution
(hints, pictures, previews, feedback to a wrong answer) states the final answer, and a
previewed reading is not counted as a try."""

from __future__ import annotations

import re

import pytest
import sympy as sp

import tutor
from tutor.commands.quiz import _topics
from tutor.generate import topic_info
from tutor.quiz import QuizConfig, QuizSession, hint_steps
from tutor.render.mathtext import math_text
from tutor.render.text import render_math

LECTURES = sorted({int(i["lecture"] if isinstance(i, dict) else i.lecture) for i in topic_info()})


def _states(text: str, answer: str) -> bool:
    """Whether ``text`` says the answer as a result (= 4/3, is 4/3, gives 4/3, → 4/3)."""
    pattern = rf"(=|\bis|\bgives|→|\bare)\s*{re.escape(answer)}(?![\w(/^.·])"
    return re.search(pattern, text) is not None


def _spoken(answer) -> list[str]:
    out = []
    for say in (lambda a: render_math(a), lambda a: math_text(a, ascii=True)):
        try:
            out.append(say(answer))
        except Exception:  # an answer a printer cannot show is not said by it either
            continue
    return [s for s in dict.fromkeys(out) if s]


def _wrong(p) -> str | None:
    """An answer a student might give that is wrong but of the right shape."""
    a = p.answer
    if p.answer_kind == "choice":
        choices = [str(c) for c in p.check_options.get("choices", ())]
        others = [c for c in choices if c != str(a)]
        return others[0] if others else None
    if isinstance(a, (list, tuple, sp.Tuple)) and a and isinstance(a[0], sp.Basic):
        return ", ".join(math_text(v, ascii=True) for v in [a[0] + 1, *a[1:]])
    if isinstance(a, sp.Expr) and p.answer_kind in ("number", "expression"):
        return math_text(2 * a + 1, ascii=True)
    return None


def _session(lecture: int, difficulty: int, seed: int) -> QuizSession:
    topics = _topics((), lecture)
    return QuizSession(QuizConfig(topics, len(topics), difficulty, seed, tries=2))


@pytest.mark.parametrize("difficulty", [1, 2, 3])
@pytest.mark.parametrize("lecture", LECTURES)
def test_nothing_before_the_solution_states_the_answer(lecture, difficulty):
    s = _session(lecture, difficulty, seed=5)
    s.start()
    said: list[tuple[str, str]] = []
    while not s.finished:
        p, rec = s.problem, s.current
        tries = rec.tries
        for typed in ("x^-1/2", "hint", *["hint"] * len(hint_steps(p)), "plot", "plot"):
            out = s.handle(typed)
            said += [(p.topic, o.text) for o in out if o.kind not in ("problem", "summary")]
            if typed == "x^-1/2" and out[0].kind == "preview":
                assert "Nothing is counted" in out[0].text
                s.handle("hint")  # typing on drops the preview: it is never marked
        assert rec.tries == tries  # hints, pictures and previews cost no try
        wrong = _wrong(p)
        if wrong is not None:
            out = s.handle(wrong)
            if out[0].kind == "preview":
                out = s.handle("yes")
            said += [(p.topic, o.text) for o in out if o.kind in ("wrong", "undetermined")]
        leaks = [(t, x) for t, x in said if any(_states(x, a) for a in _spoken(p.answer))]
        assert leaks == [], leaks
        said = []
        s.handle("solution")


def test_a_confirmed_reading_is_not_told_again():
    s = QuizSession(QuizConfig(["derivative-power"], 1, 1, 3))
    s.start()
    preview = s.handle("x^-1/2")[0]
    assert preview.kind == "preview" and "(x^-1)/2" in preview.text and s.current.tries == 0
    marked = s.handle("yes")[0]
    assert s.current.tries == 1 and marked.kind == "wrong"
    assert "read as" not in marked.text.lower()


def test_a_glued_name_preview_says_its_reading_once():
    from tutor.quiz import reading

    p = tutor.generate("backprop", seed=1, difficulty=1)
    assert reading("asdf", p) == "asdf was read as a·s·d·f"
