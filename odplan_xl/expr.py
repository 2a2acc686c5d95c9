"""Expressions both engines read: written once, rendered as a spreadsheet formula or run in Python.

A rule the workbook checks by itself (rules/live.py) and the stored values a cell of each kind may hold
(schema.STORED_REFUSED) are built from these nodes. `formula(x)` is the text Excel and LibreOffice
compute; `compile(x)` is a Python function of a `Scope` computing the same value with the spreadsheet's
semantics: empty cells, text compared without case, numbers compared to 15 significant digits, booleans
apart from numbers, errors that IFERROR and ISERROR catch. Only the functions below exist: each one
available in Excel 2010 and LibreOffice 7.4.

Where the two spreadsheets differ, Python follows Excel, and no rule depends on the difference: a boolean
joined to text reads TRUE in Excel and 1 in LibreOffice (the yes/no words hold both, and every list
comparison of a rule guards booleans or refuses both spellings).

    >>> x = ref("$C9", "c")
    >>> formula(fn("ISNUMBER", x) * (x < 5))
    'ISNUMBER($C9)*($C9<5)'
    >>> compile(fn("ISNUMBER", x) * (x < 5))({"c": 3})
    1
"""

from __future__ import annotations

import datetime as dt
import math
import operator
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

Scope = Mapping[Any, Any]        # a reference's key -> its value (a list for a range); missing: empty
Compiled = Callable[[Scope], Any]

_EPOCH = dt.date(1899, 12, 30)
_PREC = {"=": 1, "<>": 1, "<": 1, ">": 1, "<=": 1, ">=": 1, "&": 2, "+": 3, "-": 3, "*": 4, "/": 4}


class FormulaError(Exception):
    """An error value (#VALUE!, #N/A…): what IFERROR and ISERROR catch."""


class X:
    """A node of an expression. Arithmetic and comparisons build nodes; `eq`, `ne` and `cat` too
    (`==` keeps its Python meaning)."""

    prec = 9
    numeric = False                  # always a number or a boolean (never text or empty): no coercion

    def text(self) -> str:
        raise NotImplementedError

    def build(self) -> Compiled:
        raise NotImplementedError

    def __format__(self, spec: str) -> str:
        """Inside a formula written as text: in parentheses unless a single term."""
        return self.text() if self.prec >= 9 else f"({self.text()})"

    def __str__(self) -> str:
        return self.text()

    def __mul__(self, o: Any) -> X: return Op("*", self, lift(o))
    def __rmul__(self, o: Any) -> X: return Op("*", lift(o), self)
    def __add__(self, o: Any) -> X: return Op("+", self, lift(o))
    def __radd__(self, o: Any) -> X: return Op("+", lift(o), self)
    def __sub__(self, o: Any) -> X: return Op("-", self, lift(o))
    def __rsub__(self, o: Any) -> X: return Op("-", lift(o), self)
    def __truediv__(self, o: Any) -> X: return Op("/", self, lift(o))
    def __lt__(self, o: Any) -> X: return Op("<", self, lift(o))
    def __le__(self, o: Any) -> X: return Op("<=", self, lift(o))
    def __gt__(self, o: Any) -> X: return Op(">", self, lift(o))
    def __ge__(self, o: Any) -> X: return Op(">=", self, lift(o))

    def eq(self, o: Any) -> X:
        return Op("=", self, lift(o))

    def ne(self, o: Any) -> X:
        return Op("<>", self, lift(o))

    def cat(self, o: Any) -> X:
        return Op("&", self, lift(o))

    __hash__ = object.__hash__


@dataclass(frozen=True, eq=False)
class Lit(X):
    value: Any
    shown: str = ""                  # the literal as written, when not the default (1E15)

    @property
    def numeric(self) -> bool:  # type: ignore[override]
        return isinstance(self.value, int | float)

    def text(self) -> str:
        if self.shown:
            return self.shown
        v = self.value
        if isinstance(v, str):
            return '"' + v.replace('"', '""') + '"'
        if isinstance(v, bool):
            return "TRUE" if v else "FALSE"
        if isinstance(v, float) and v.is_integer():
            return str(int(v))
        return str(v)

    def build(self) -> Compiled:
        v = self.value
        return lambda s: v


@dataclass(frozen=True, eq=False)
class Ref(X):
    """A cell, a range or a defined name: `shown` in the formula, `key` in a Scope."""

    shown: str
    key: Any

    def text(self) -> str:
        return self.shown

    def build(self) -> Compiled:
        key = self.key
        return lambda s: s.get(key)


@dataclass(frozen=True, eq=False)
class Op(X):
    op: str
    a: X
    b: X

    @property
    def prec(self) -> int:  # type: ignore[override]
        return _PREC[self.op]

    @property
    def numeric(self) -> bool:  # type: ignore[override]
        return self.op != "&"

    def text(self) -> str:
        p = self.prec
        left = self.a.text() if self.a.prec >= p else f"({self.a.text()})"
        right = self.b.text() if self.b.prec > p else f"({self.b.text()})"
        return f"{left}{self.op}{right}"

    def build(self) -> Compiled:
        a, b, op = self.a.build(), self.b.build(), _OPS[self.op]
        if isinstance(self.b, Lit) and self.op in _COMPARE and _is_number(self.b.value):
            n, test, exact = self.b.value, _COMPARE[self.op], _EXACT[self.op]   # against a number: the usual case
            if type(n) is int:
                def against(s: Scope) -> bool:
                    v = a(s)
                    return exact(v, n) if type(v) is int else test(_compare(v, n))   # whole numbers: exact
                return against
            return lambda s: test(_compare(a(s), n))
        if self.a.numeric and self.b.numeric and self.op in "*+-":     # no coercion needed
            return {"*": lambda s: a(s) * b(s), "+": lambda s: a(s) + b(s), "-": lambda s: a(s) - b(s)}[self.op]
        if self.op == "*":
            return lambda s: _number(a(s)) * _number(b(s))
        return lambda s: op(a(s), b(s))


@dataclass(frozen=True, eq=False)
class Call(X):
    name: str
    args: tuple[X, ...]

    @property
    def numeric(self) -> bool:  # type: ignore[override]
        return self.name in _NUMERIC

    def text(self) -> str:
        return f"{self.name}({','.join(a.text() for a in self.args)})"

    def build(self) -> Compiled:
        args = [a.build() for a in self.args]
        if self.name in _LAZY:
            return _LAZY[self.name](args)
        f = _FUNCS[self.name]
        if f is None:
            raise ValueError(f"{self.name}: written in formulas only, not run in Python")
        if len(args) == 1:
            (a0,) = args
            return lambda s: f(a0(s))
        if len(args) == 2:
            a0, a1 = args
            return lambda s: f(a0(s), a1(s))
        return lambda s: f(*[a(s) for a in args])


MEMO = ("memo",)   # a Scope's key holding a dict: what Shared nodes computed in that Scope


@dataclass(frozen=True, eq=False)
class _Remembered(X):
    """x, written as x is (its text, precedence and kind), computed by a `build` that remembers."""

    x: X

    @property
    def prec(self) -> int:  # type: ignore[override]
        return self.x.prec

    @property
    def numeric(self) -> bool:  # type: ignore[override]
        return self.x.numeric

    def text(self) -> str:
        return self.x.text()


@dataclass(frozen=True, eq=False)
class Shared(_Remembered):
    """x, computed once per Scope when the Scope has a MEMO dict (a row's test of whether it holds
    anything, read by every required cell's rule): the same formula text, the same value."""

    def build(self) -> Compiled:
        f, key = self.x.build(), self.x.text()

        def run(s: Scope) -> Any:
            memo = s.get(MEMO)
            if memo is None:
                return f(s)
            if key not in memo:
                memo[key] = f(s)
            return memo[key]
        return run


def refs(x: X) -> set[Any]:
    """The keys of every reference x reads."""
    if isinstance(x, Ref):
        return {x.key}
    if isinstance(x, Op):
        return refs(x.a) | refs(x.b)
    if isinstance(x, Call):
        return set().union(*(refs(a) for a in x.args)) if x.args else set()
    if isinstance(x, Shared):
        return refs(x.x)
    return set()


def lift(v: Any) -> X:
    """A value as a node: numbers and booleans as literals. Text is refused here: a str is either a
    reference or a literal, and the caller says which (`ref`, `Lit`)."""
    if isinstance(v, X):
        return v
    if isinstance(v, str):
        raise TypeError(f"{v!r}: say whether it is a reference (ref) or a literal (Lit)")
    return Lit(v)


def ref(shown: str, key: Any = None) -> Ref:
    return Ref(shown, shown if key is None else key)


def fn(name: str, *args: Any) -> X:
    """A call; a str argument is a literal text (references are made with `ref`)."""
    if name not in _FUNCS and name not in _LAZY:
        raise ValueError(f"{name}: not a function both engines document here")
    return Call(name, tuple(Lit(a) if isinstance(a, str) else lift(a) for a in args))


def formula(x: X) -> str:
    return x.text()


def compile(x: X, constants: Mapping[Any, Any] | None = None) -> Compiled:   # noqa: A001 - the word for it
    """A Python function of a Scope computing x; an error value is raised as FormulaError.

    `constants`: references whose value is known now (the lists sheet's tables), read as literals. A part
    of x reading one reference only is then a function of that value: computed once per value."""
    if constants:
        x = _fold(x, constants)
    return _by_value(x).build()


def _fold(x: X, constants: Mapping[Any, Any]) -> X:
    if isinstance(x, Ref):
        if x.key in constants:
            v = constants[x.key]
            return Lit(tuple(v) if isinstance(v, list) else v)
        return x
    if isinstance(x, Op):
        return Op(x.op, _fold(x.a, constants), _fold(x.b, constants))
    if isinstance(x, Call):
        return Call(x.name, tuple(_fold(a, constants) for a in x.args))
    if isinstance(x, Shared):
        return Shared(_fold(x.x, constants))
    return x


@dataclass(frozen=True, eq=False)
class _ByValue(_Remembered):
    """x, which reads the one reference `key`: remembered per value of it (0, 0.0 and False apart)."""

    key: Any = None
    LIMIT = 50_000                      # values remembered at most (the cells of a few large plans)

    def build(self) -> Compiled:
        f, key, memo = self.x.build(), self.key, {}

        def run(s: Scope) -> Any:
            v = s.get(key)
            k = (type(v), v)
            try:
                return memo[k]
            except KeyError:
                pass
            except TypeError:           # a range: not remembered
                return f(s)
            if len(memo) >= self.LIMIT:
                memo.clear()
            memo[k] = out = f(s)
            return out
        return run


def _by_value(x: X) -> X:
    """x with each largest part that reads one reference only remembered per value (_ByValue)."""
    node, keys = _marked(x)
    return _ByValue(node, next(iter(keys))) if len(keys) == 1 and not isinstance(x, Ref | Lit) else node


def _marked(x: X) -> tuple[X, frozenset[Any]]:
    """(x with its parts that read one reference only remembered, the references x reads); the parts
    are wrapped by their parent, where the parent reads more than one reference."""
    if isinstance(x, Ref):
        return x, frozenset((x.key,))
    if isinstance(x, Op | Call | Shared):
        parts = [x.a, x.b] if isinstance(x, Op) else list(x.args) if isinstance(x, Call) else [x.x]
        marked = [_marked(p) for p in parts]
        keys = frozenset().union(*(k for _, k in marked))
        if len(keys) == 1:
            return x, keys                 # wrapped whole, higher up
        kids = [_ByValue(n, next(iter(k))) if len(k) == 1 and not isinstance(p, Ref | Lit) else n
                for p, (n, k) in zip(parts, marked, strict=True)]
        if isinstance(x, Op):
            return Op(x.op, kids[0], kids[1]), keys
        if isinstance(x, Call):
            return Call(x.name, tuple(kids)), keys
        return Shared(kids[0]), keys
    return x, frozenset()


def truth(x: X, constants: Mapping[Any, Any] | None = None) -> Callable[[Scope], bool]:
    """Whether x is a true value (a number other than 0) in a Scope; an error is false, as conditional
    formatting reads it. `constants` as for `compile`."""
    f = compile(x, constants)
    if x.numeric:
        def fast(s: Scope) -> bool:
            try:
                return bool(f(s))
            except FormulaError:
                return False
        return fast

    def run(s: Scope) -> bool:
        try:
            v = f(s)
        except FormulaError:
            return False
        return bool(_number(v)) if not isinstance(v, str) else False
    return run


# --- values as a spreadsheet holds them --------------------------------------------------------------

def cell_value(value: Any) -> Any:
    """A Python value as a cell holds it: dates as serial numbers, amounts as floats, empty text as empty."""
    if type(value) is str:
        return value or None
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        return value or None
    if isinstance(value, dt.datetime):
        midnight = value.replace(hour=0, minute=0, second=0, microsecond=0)
        return (value.date() - _EPOCH).days + (value - midnight).total_seconds() / 86400
    if isinstance(value, dt.date):
        return (value - _EPOCH).days
    if isinstance(value, int):
        return value
    return float(value)


def _is_number(v: Any) -> bool:
    t = type(v)
    return t is int or t is float or (isinstance(v, int | float) and t is not bool)


def _number(v: Any) -> float | int:
    """A value in arithmetic: empty 0, booleans 1/0, text that reads as a number; other text #VALUE!."""
    t = type(v)
    if t is int or t is float:
        return v
    if v is None:
        return 0
    if isinstance(v, bool):
        return int(v)
    if _is_number(v):
        return v
    if isinstance(v, str):
        try:
            return float(v.strip())
        except ValueError:
            raise FormulaError("#VALUE!") from None
    raise FormulaError("#VALUE!")


def _text(v: Any) -> str:
    if type(v) is str:
        return v
    if v is None:
        return ""
    if isinstance(v, bool):
        return "TRUE" if v else "FALSE"
    if isinstance(v, float):
        v = float(f"{v:.15g}")          # the 15 significant digits a spreadsheet keeps
        if v.is_integer() and abs(v) < 1e21:
            return str(int(v))
        return f"{v:.15g}".replace("e+", "E+").replace("e-", "E-")
    return str(v)


def _rank(v: Any) -> int:
    return 2 if isinstance(v, bool) else 1 if isinstance(v, str) else 0


def _compare(a: Any, b: Any) -> int:
    """-1, 0, 1 as a spreadsheet orders values: numbers < text < booleans; text without case; an
    empty cell is 0 beside a number, "" beside text, FALSE beside a boolean."""
    if a is None:
        a = "" if isinstance(b, str) else False if isinstance(b, bool) else 0
    if b is None:
        b = "" if isinstance(a, str) else False if isinstance(a, bool) else 0
    ra, rb = _rank(a), _rank(b)
    if ra != rb:
        return -1 if ra < rb else 1
    if ra == 1:
        a, b = a.lower(), b.lower()
    elif ra == 0 and _approx_equal(a, b):
        return 0                        # equal to the precision a spreadsheet compares numbers with
    return (a > b) - (a < b)


def _approx_equal(a: float, b: float) -> bool:
    """Two different numbers a spreadsheet takes for equal: within 2^-48 of each other, unless both are
    whole numbers it holds exactly (999999999999999 is not 1E15)."""
    if a == b or a == 0 or b == 0:
        return a == b
    d = abs(a - b)
    if d >= abs(a) * _APPROX or d >= abs(b) * _APPROX:
        return False
    return not all(float(x).is_integer() and abs(x) < 2 ** 53 for x in (d, a, b))


_APPROX = 2.0 ** -48
_CONTROL = re.compile("[\x00-\x1f]")      # what CLEAN removes: the 32 control characters of ASCII


_OPS: dict[str, Callable[[Any, Any], Any]] = {
    "*": lambda a, b: _number(a) * _number(b),
    "+": lambda a, b: _number(a) + _number(b),
    "-": lambda a, b: _number(a) - _number(b),
    "/": lambda a, b: _divide(_number(a), _number(b)),
    "&": lambda a, b: _text(a) + _text(b),
    "=": lambda a, b: _compare(a, b) == 0,
    "<>": lambda a, b: _compare(a, b) != 0,
    "<": lambda a, b: _compare(a, b) < 0,
    ">": lambda a, b: _compare(a, b) > 0,
    "<=": lambda a, b: _compare(a, b) <= 0,
    ">=": lambda a, b: _compare(a, b) >= 0,
}


_COMPARE: dict[str, Callable[[int], bool]] = {
    "=": lambda c: c == 0, "<>": lambda c: c != 0, "<": lambda c: c < 0, ">": lambda c: c > 0,
    "<=": lambda c: c <= 0, ">=": lambda c: c >= 0,
}


_EXACT: dict[str, Callable[[int, int], bool]] = {
    "=": operator.eq, "<>": operator.ne, "<": operator.lt, ">": operator.gt, "<=": operator.le, ">=": operator.ge,
}


def _divide(a: float, b: float) -> float:
    if b == 0:
        raise FormulaError("#DIV/0!")
    return a / b


# --- the functions ------------------------------------------------------------------------------------

def _criterion(criterion: Any) -> Callable[[Any], bool]:
    """COUNTIF's and SUMIF's criterion: "=text" with * ? wildcards (~ escapes them), without case;
    a criterion reading as a number matches that number."""
    text = _text(criterion)
    if text.startswith("="):
        text = text[1:]
    try:
        number = float(text)
    except ValueError:
        number = None
    if number is not None:
        return lambda v: _is_number(v) and v == number
    pattern, i = [], 0
    while i < len(text):
        ch = text[i]
        if ch == "~" and i + 1 < len(text) and text[i + 1] in "~*?":
            pattern.append(re.escape(text[i + 1]))
            i += 2
            continue
        pattern.append(".*" if ch == "*" else "." if ch == "?" else re.escape(ch))
        i += 1
    rx = re.compile("".join(pattern), re.IGNORECASE | re.DOTALL)
    if not text:
        return lambda v: v is None or v == ""
    return lambda v: isinstance(v, str) and rx.fullmatch(v) is not None


def _cells(rng: Any) -> Sequence[Any]:
    return rng if isinstance(rng, list | tuple) else [rng]


def _countif(rng: Any, criterion: Any) -> int:
    match = _criterion(criterion)
    return sum(1 for v in _cells(rng) if match(v))


def _sumif(rng: Any, criterion: Any, values: Any) -> float:
    match = _criterion(criterion)
    return sum(_number(w) if _is_number(w) else 0 for v, w in zip(_cells(rng), _cells(values), strict=True)
               if match(v))


def _find(needle: Any, hay: Any, start: Any = 1) -> int:
    n, h, s = _text(needle), _text(hay), int(_number(start))
    if s < 1 or s > len(h) + 1:
        raise FormulaError("#VALUE!")
    i = h.find(n, s - 1)
    if i < 0:
        raise FormulaError("#VALUE!")
    return i + 1


def _round(x: Any, digits: Any) -> float:
    x, d = _number(x), int(_number(digits))
    factor = 10 ** d
    return math.copysign(math.floor(abs(x) * factor + 0.5), x) / factor


def _date(y: Any, m: Any, d: Any) -> int:
    return (dt.date(int(_number(y)), int(_number(m)), int(_number(d))) - _EPOCH).days


def _mid(t: Any, start: Any, n: Any) -> str:
    s, k = int(_number(start)), int(_number(n))
    if s < 1 or k < 0:
        raise FormulaError("#VALUE!")
    return _text(t)[s - 1:s - 1 + k]


_FUNCS: dict[str, Callable[..., Any]] = {
    "LEN": lambda t: len(_text(t)),
    "TRIM": lambda t: re.sub(" +", " ", _text(t).strip(" ")),
    "LOWER": lambda t: _text(t).lower(),
    "CLEAN": lambda t: _CONTROL.sub("", _text(t)),
    "LEFT": lambda t, n=1: _text(t)[:int(_number(n))],
    "MID": _mid,
    "FIND": _find,
    "CHAR": lambda n: chr(int(_number(n))),
    "SUBSTITUTE": lambda t, old, new: _text(t).replace(_text(old), _text(new)) if _text(old) else _text(t),
    "ISNUMBER": _is_number,
    "ISLOGICAL": lambda v: isinstance(v, bool),
    "ISTEXT": lambda v: isinstance(v, str),
    "INT": lambda x: math.floor(_number(x)),
    "ABS": lambda x: abs(_number(x)),
    "ROUND": _round,
    "DATE": _date,
    "COUNTIF": _countif,
    "SUMIF": _sumif,
    # written in formulas over whole columns only (the counts), never run here
    "ROW": None, "INDEX": None, "MAX": None, "SUM": None, "SUMPRODUCT": None, "COUNTA": None,
    "COUNTIFS": None,
}


def _if(args: list[Compiled]) -> Compiled:
    cond, yes = args[0], args[1]
    no = args[2] if len(args) > 2 else (lambda s: False)
    return lambda s: yes(s) if _number(cond(s)) else no(s)


def _iferror(args: list[Compiled]) -> Compiled:
    value, alt = args

    def run(s: Scope) -> Any:
        try:
            return value(s)
        except FormulaError:
            return alt(s)
    return run


def _iserror(args: list[Compiled]) -> Compiled:
    value = args[0]

    def run(s: Scope) -> bool:
        try:
            value(s)
        except FormulaError:
            return True
        return False
    return run


# functions whose result is always a number or a boolean (an error raises)
_NUMERIC = frozenset({"LEN", "FIND", "ISNUMBER", "ISLOGICAL", "ISTEXT", "INT", "ABS", "ROUND", "DATE",
                      "COUNTIF", "SUMIF", "ISERROR"})

_LAZY: dict[str, Callable[[list[Compiled]], Compiled]] = {"IF": _if, "IFERROR": _iferror, "ISERROR": _iserror}
