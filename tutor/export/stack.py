"""STACK questions (Moodle's CAS question type): the answer in Maxima, marked by a
potential response tree.

``maxima(value)`` prints the engine's sympy values in Maxima syntax (``%pi``, ``%e``,
``^``, lists ``[a, b]``, sets ``{a, b}``, equations ``a = b``).  The tree's first node
marks the answer with ``AlgEquiv`` (``NumAbsolute`` for a number with a tolerance); the
next nodes test the engine's mal-rule answers, each giving its feedback.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any

import sympy
from sympy.printing.precedence import precedence
from sympy.printing.str import StrPrinter

from ..core import DNE, Problem
from . import Family, number_answer
from .html import prompt_html
from .moodle import _common, _texts, question_name, text_el

__all__ = ["MaximaPrinter", "maxima", "stack_question", "MaximaError"]


class MaximaError(ValueError):
    """A value with no Maxima form in this printer (an interval, a matrix, DNE)."""


# sympy function name -> Maxima function name (the rest print under their own name)
_FUNCTIONS = {"Abs": "abs", "sign": "signum", "ceiling": "ceiling", "floor": "floor",
              "Max": "max", "Min": "min"}  # fmt: skip
_SAME = {"sin", "cos", "tan", "cot", "sec", "csc", "asin", "acos", "atan", "acot", "sinh",
         "cosh", "tanh", "asinh", "acosh", "atanh", "exp", "log", "sqrt"}  # fmt: skip
# the course's own functions, written out (Maxima does not know them)
_EXPANDED = {
    "sigmoid": lambda z: 1 / (1 + sympy.exp(-z)),
    "softplus": lambda z: sympy.log(1 + sympy.exp(z)),
    "relu": lambda z: sympy.Max(0, z),
}


class MaximaPrinter(StrPrinter):
    """sympy → Maxima: ``^`` for powers, ``%pi``/``%e``, ``inf``/``minf``, lists, sets."""

    printmethod = "_maxima"

    def _print_Pow(self, expr: Any, rational: bool = False) -> str:
        if expr.base is sympy.E:
            return f"exp({self._print(expr.exp)})"
        # the parts are printed by this printer, so the only ** left is this power's own
        return super()._print_Pow(expr, rational).replace("**", "^")

    def _print_Exp1(self, expr: Any) -> str:
        return "%e"

    def _print_Pi(self, expr: Any) -> str:
        return "%pi"

    def _print_Infinity(self, expr: Any) -> str:
        return "inf"

    def _print_NegativeInfinity(self, expr: Any) -> str:
        return "minf"

    def _print_ImaginaryUnit(self, expr: Any) -> str:
        return "%i"

    def _print_Rational(self, expr: Any) -> str:
        return f"{expr.p}/{expr.q}" if expr.q != 1 else str(expr.p)

    def _print_Float(self, expr: Any) -> str:
        return repr(float(expr))

    def _print_Function(self, expr: Any) -> str:
        name = type(expr).__name__
        if name in _EXPANDED:
            return self._print(_EXPANDED[name](*expr.args))
        if name in _FUNCTIONS:
            name = _FUNCTIONS[name]
        elif name not in _SAME:
            raise MaximaError(f"no Maxima form for the function {name}")
        return f"{name}({', '.join(self._print(a) for a in expr.args)})"

    _print_Abs = _print_sign = _print_Max = _print_Min = _print_Function
    _print_floor = _print_ceiling = _print_exp = _print_log = _print_Function

    def _print_Equality(self, expr: Any) -> str:
        return f"{self._print(expr.lhs)} = {self._print(expr.rhs)}"

    def _print_Relational(self, expr: Any) -> str:
        op = {"<": "<", ">": ">", "<=": "<=", ">=": ">=", "!=": "#"}[expr.rel_op]
        return f"{self._print(expr.lhs)} {op} {self._print(expr.rhs)}"

    def _print_Or(self, expr: Any) -> str:
        return " or ".join(self.parenthesize(a, precedence(expr)) for a in expr.args)

    def _print_And(self, expr: Any) -> str:
        return " and ".join(self.parenthesize(a, precedence(expr)) for a in expr.args)

    def _print_FiniteSet(self, expr: Any) -> str:
        items = sorted(expr.args, key=sympy.default_sort_key)
        return "{" + ", ".join(self._print(a) for a in items) + "}"

    def _print_EmptySet(self, expr: Any) -> str:
        return "{}"

    def _print_Tuple(self, expr: Any) -> str:
        return "[" + ", ".join(self._print(a) for a in expr.args) + "]"

    def _print_list(self, expr: Any) -> str:
        return "[" + ", ".join(self._print(a) for a in expr) + "]"

    _print_tuple = _print_list

    def _print_Symbol(self, expr: Any) -> str:
        name = expr.name
        if not name.replace("_", "").isalnum() or not name.isascii():
            raise MaximaError(f"no Maxima name for the symbol {name!r}")
        return name

    def emptyPrinter(self, expr: Any) -> str:  # noqa: N802 - sympy's name
        raise MaximaError(f"no Maxima form for {type(expr).__name__}")

    def _print_Interval(self, expr: Any) -> str:
        raise MaximaError("intervals have no plain Maxima form")

    _print_Union = _print_Interval

    def _print_MatrixBase(self, expr: Any) -> str:
        raise MaximaError("matrices are not exported to STACK")


def maxima(value: Any) -> str:
    """``value`` (a sympy object, number, tuple or list) in Maxima syntax; raises MaximaError."""
    if value is DNE or isinstance(value, str):
        raise MaximaError("no Maxima form for a word answer")
    if isinstance(value, bool):
        raise MaximaError("no Maxima form for true/false")
    if isinstance(value, (int, float)):
        value = sympy.Float(value) if isinstance(value, float) else sympy.Integer(value)
    if isinstance(value, (set, frozenset)):
        value = sympy.FiniteSet(*value)
    return MaximaPrinter().doprint(value)


_STACK_KINDS = ("expression", "equation", "number", "list", "point", "set", "antiderivative")


def _node(
    prt: ET.Element, n: int, test: str, tans: str, options: str, true: tuple, false: tuple
) -> None:
    """One PRT node; ``true``/``false`` are (score, next node, answer note, feedback)."""
    node = ET.SubElement(prt, "node")
    for tag, value in (("name", str(n)), ("description", ""), ("answertest", test),
                       ("sans", "ans1"), ("tans", tans), ("testoptions", options), ("quiet", "0")):  # fmt: skip
        ET.SubElement(node, tag).text = value
    for side, (score, nxt, note, feedback) in (("true", true), ("false", false)):
        ET.SubElement(node, f"{side}scoremode").text = "="
        ET.SubElement(node, f"{side}score").text = f"{score:.7f}"
        ET.SubElement(node, f"{side}penalty").text = ""
        ET.SubElement(node, f"{side}nextnode").text = str(nxt)
        ET.SubElement(node, f"{side}answernote").text = note
        text_el(node, f"{side}feedback", feedback, "html")


def _input(q: ET.Element, forbid_float: bool) -> None:
    el = ET.SubElement(q, "input")
    for tag, value in (("name", "ans1"), ("type", "algebraic"), ("tans", "ta"), ("boxsize", "25"),
                       ("strictsyntax", "1"), ("insertstars", "0"), ("syntaxhint", ""),
                       ("syntaxattribute", "0"), ("forbidwords", ""), ("allowwords", ""),
                       ("forbidfloat", "1" if forbid_float else "0"), ("requirelowestterms", "0"),
                       ("checkanswertype", "1"), ("mustverify", "1"), ("showvalidation", "1"),
                       ("options", "")):  # fmt: skip
        ET.SubElement(el, tag).text = value


def stack_question(f: Family, p: Problem, figures: bool = True) -> ET.Element | None:
    """A STACK question for ``p``, or None when its answer has no Maxima form (then the
    plain Moodle question is used)."""
    from ..steps import mistakes

    if p.answer_kind not in _STACK_KINDS:
        return None
    try:
        ta = maxima(p.answer)
    except MaximaError:
        return None
    test, options, note = "AlgEquiv", "", ""
    if p.answer_kind == "number" and any(
        p.check_options.get(k) is not None for k in ("tol", "rtol", "sigfigs")
    ):
        got = number_answer(p, p.answer)
        if got is None:
            return None
        test, options, note = "NumAbsolute", f"{got[0].tolerance:g}", got[1]
    malrules: list[tuple[str, Any]] = []
    for m in mistakes(p.solution.task):
        if _same(m.expr, p.answer):
            continue  # a mal-rule that gives the right answer here names nothing
        try:
            malrules.append((maxima(m.expr), m))
        except MaximaError:
            continue
    q = ET.Element("question", {"type": "stack"})
    text_el(q, "name", question_name(f, p))
    body = prompt_html(p, note) + "<p>[[input:ans1]] [[validation:ans1]]</p>"
    _texts(q, p, body, figures)
    _common(q, f, p)
    ET.SubElement(q, "stackversion").append(ET.Element("text"))
    variables = [f"ta: {ta};"] + [f"m{i}: {expr};" for i, (expr, _) in enumerate(malrules, 1)]
    text_el(q, "questionvariables", "\n".join(variables))
    text_el(q, "specificfeedback", "[[feedback:prt1]]", "html")
    text_el(q, "questionnote", "{@ta@}")
    for tag, value in (("questionsimplify", "1"), ("assumepositive", "0"), ("assumereal", "1")):
        ET.SubElement(q, tag).text = value
    text_el(q, "prtcorrect", "Correct answer, well done.", "html")
    text_el(q, "prtpartiallycorrect", "Your answer is partially correct.", "html")
    text_el(q, "prtincorrect", "Incorrect answer.", "html")
    for tag, value in (("multiplicationsign", "dot"), ("sqrtsign", "1"), ("complexno", "i"),
                       ("inversetrig", "cos-1"), ("logicsymbol", "lang"), ("matrixparens", "["),
                       ("variantsselectionseed", "")):  # fmt: skip
        ET.SubElement(q, tag).text = value
    _input(q, forbid_float=test == "AlgEquiv" and p.answer_kind != "number")
    prt = ET.SubElement(q, "prt")
    for tag, value in (
        ("name", "prt1"),
        ("value", "1.0000000"),
        ("autosimplify", "1"),
        ("feedbackstyle", "1"),
    ):
        ET.SubElement(prt, tag).text = value
    text_el(prt, "feedbackvariables", "")
    first_false = 1 if malrules else -1
    _node(prt, 0, test, "ta", options, (1, -1, "prt1-1-T", ""), (0, first_false, "prt1-1-F", ""))
    for i, (_, m) in enumerate(malrules, 1):
        nxt = i + 1 if i < len(malrules) else -1
        _node(prt, i, "AlgEquiv", f"m{i}", "", (0, -1, f"prt1-{i + 1}-T {m.code}", m.feedback),
              (0, nxt, f"prt1-{i + 1}-F", ""))  # fmt: skip
    return q


def _same(a: Any, b: Any) -> bool:
    """Exactly the same value (lists and tuples alike)."""
    from ..core import as_sympy

    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    try:
        return bool(as_sympy(a) == as_sympy(b))
    except (TypeError, ValueError):
        return False
