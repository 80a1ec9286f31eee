"""Small frozen value objects passed from checks to reporters."""
from __future__ import annotations

from dataclasses import dataclass, field, fields
from itertools import starmap
from operator import attrgetter
from typing import Any, Optional

CATEGORIES = (
    "placeholder", "mask", "watermark", "obsolete", "formulation", "structure",
    "typo", "garble", "punctuation", "number", "privacy", "copy",
)
SEVERITIES = ("error", "warning", "info")
SEVERITY_RANK = {"info": 0, "warning": 1, "error": 2}
_SET = object.__setattr__  # Hit.__init__: past the frozen dataclass's __setattr__
# Hit's ``fields`` not given (a new dict each time, as the dataclass's default_factory).
_NO_FIELDS: Any = object()


@dataclass(frozen=True)
class Hit:
    """What a check reports: a span of Document.text plus message fields.

    Offsets index the newline-normalised text (Document.text); the engine turns
    them into positions in the original file.
    """
    start: int
    end: int
    rule: Any  # dj_lint.rules.Rule
    suggestion: Optional[str] = None
    fields: dict = field(default_factory=dict, compare=False, hash=False)

    def __init__(self, start: int, end: int, rule, suggestion: Optional[str] = None,
                 fields: dict = _NO_FIELDS):
        """The frozen dataclass's ``__init__`` (``fields`` a new dict when not
        given), with the instance's ``__dict__`` made whole, as a dict display set
        at once, and every hit made so (``of`` too): each hit is laid out alike,
        and CPython 3.11 specialises a read of its fields (LOAD_ATTR_WITH_HINT).
        The dataclass's ``__init__`` kept the values in the object, ``of`` filled
        the dict the object makes when asked for it key by key (a dict sharing its
        keys with the class, which 3.11 never reads specialised): a read of
        ``hit.start`` in the engine or a kind meeting both, or only the second,
        went through the generic lookup every time (about 300 instructions).
        Callgrind, 20,000 hits: made by ``Hit(...)`` 9,400 -> 5,300 instructions
        each, by ``Hit.of`` 4,500 -> 6,200; a field read of hits made both ways
        about 270 -> 160; Linter._findings over the hits of 100 benchmark corpus
        files 390 -> 379 million instructions (three passes), a whole JSON run
        over them 6,775 -> 6,741 million with the engine's own changes. A dict of
        184 bytes (272 once asked for before).
        The same object: equal, hashed and pickled alike."""
        _SET(self, "__dict__", {"start": start, "end": end, "rule": rule, "suggestion": suggestion,
                                "fields": {} if fields is _NO_FIELDS else fields})

    @classmethod
    def of(cls, start: int, end: int, rule, suggestion: Optional[str], fields: dict) -> "Hit":
        """``Hit(start, end, rule, suggestion, fields)``."""
        return cls(start, end, rule, suggestion, fields)


class Flood:
    """Hits of one rule, in text order, that a kind yields as one object where
    there may be very many of them (a line of 100,000 unclosed brackets, 250,000
    blanks): how many (``len``) and a way to make the first n. The engine makes
    only the hits it may report (``hits``: with --max-per-rule, the first few)
    and counts the rest. A kind that yields floods says so (``Kind.FLOODS``).
    Made by ``at`` (hits of one width at given offsets) or ``of`` (Hit's
    arguments, one tuple a hit)."""
    __slots__ = ("rule", "size", "_first")

    def __init__(self, rule, size: int, first):
        self.rule, self.size, self._first = rule, size, first

    @classmethod
    def at(cls, starts, width: int, rule, suggestion: Optional[str], fields: dict) -> "Flood":
        """A hit at each of ``starts`` (increasing offsets), ``width`` characters
        long, all with the same suggestion and fields (each hit its own copy)."""
        def first(n):
            return [Hit(start, start + width, rule, suggestion, dict(fields)) for start in starts[:n]]
        return cls(rule, len(starts), first)

    @classmethod
    def of(cls, args: list) -> "Flood":
        """A hit of each of ``args``, Hit's arguments (start, end, rule[, suggestion,
        fields]) of one rule, in (start, end) order."""
        return cls(args[0][2], len(args), lambda n: list(starmap(Hit, args[:n])))

    def __len__(self) -> int:
        return self.size

    def hits(self, most: Optional[int] = None) -> list:
        """The first ``most`` hits (None: all of them)."""
        return self._first(self.size if most is None else most)


@dataclass(frozen=True)
class Finding:
    path: str
    line: int
    column: int
    end_line: int
    end_column: int
    rule: str
    name: str
    category: str
    severity: str
    message: str
    text: str
    suggestion: Optional[str] = None
    fixable: bool = False
    # Offsets into the normalised text; used by --fix and the HTML reporter.
    start: int = field(default=0, compare=False)
    end: int = field(default=0, compare=False)
    # Where the finding is in Word terms (.docx only): see docx_input.WordPlace.
    location: Optional[dict] = field(default=None, compare=False, hash=False)
    # `copy` findings: the other side, {"path", "line", "column", "end_line", "end_column"}.
    related: Optional[dict] = field(default=None, compare=False, hash=False)

    def sort_key(self):
        return (self.path, self.line, self.column, self.rule, self.end_line, self.end_column)

    # ``Finding.of(...)``: ``Finding(...)`` with every field, in the class's order,
    # built without the frozen dataclass ``__init__`` (``_Unfrozen``, below).

    def as_dict(self) -> dict:
        out = {
            "path": self.path, "line": self.line, "column": self.column,
            "end_line": self.end_line, "end_column": self.end_column,
            "rule": self.rule, "name": self.name, "category": self.category,
            "severity": self.severity, "message": self.message, "text": self.text,
            "suggestion": self.suggestion, "fixable": self.fixable,
            **({"location": self.location} if self.location is not None else {}),
        }
        if self.related is not None:
            out["related"] = dict(self.related)
        return out


class _Unfrozen:
    """``Finding.of``: ``Finding(...)`` with every field, in the class's order,
    built without the frozen dataclass ``__init__``, which sets each of its
    seventeen fields through ``object.__setattr__`` (1.7 us a finding; the engine
    makes 48,000 on the benchmark corpus). An object of this class, laid out as
    a Finding is (no slots, a ``__dict__``), has its fields set by ordinary
    attribute stores, which the interpreter specialises, and then becomes a
    Finding (``__class__``, allowed between classes of one layout). Its fields
    stay in a key-sharing ``__dict__`` (208 bytes; a dict assigned whole took
    464, 9 MB more for the 30,000 findings of the 20 MB file). The same object:
    equal, hashed and pickled alike. Setting the fields in the instance's
    ``__dict__`` by subscript took 1.17 us a finding, this 0.50 us."""

    def __init__(self, path, line, column, end_line, end_column, rule, name, category, severity,
                 message, text, suggestion, fixable, start, end, location, related=None):
        self.path = path
        self.line = line
        self.column = column
        self.end_line = end_line
        self.end_column = end_column
        self.rule = rule
        self.name = name
        self.category = category
        self.severity = severity
        self.message = message
        self.text = text
        self.suggestion = suggestion
        self.fixable = fixable
        self.start = start
        self.end = end
        self.location = location
        self.related = related
        self.__class__ = Finding


Finding.of = _Unfrozen


# A finding's fields as a tuple, in the class's order (the parameters of
# ``Finding.of``), read in C.
_ROW = attrgetter(*(f.name for f in fields(Finding)))


def to_rows(found: list) -> list:
    """Findings as tuples of their fields, for a --jobs worker to send: pickling
    and unpickling tuples and remaking each finding by ``Finding.of`` took
    0.042 + 0.055 s for the 48,800 findings of 500 benchmark corpus files, the
    findings pickled whole 0.054 + 0.098 s (pickle's object protocol: a class
    lookup, ``__reduce_ex__`` and a state dict set key by key, per finding)."""
    return list(map(_ROW, found))


def from_rows(rows: list) -> list:
    """``to_rows``'s findings again: equal, and built as ``Finding.of`` builds them."""
    return list(starmap(Finding.of, rows))


@dataclass(frozen=True)
class FileError:
    path: str
    message: str

    def as_dict(self) -> dict:
        return {"path": self.path, "message": self.message}


# ``Finding.sort_key`` as a key function computed in C (attrgetter builds the same
# tuple): a run sorts all its findings by it (48,000 on the benchmark corpus).
SORT_KEY = attrgetter("path", "line", "column", "rule", "end_line", "end_column")


class KeptLines:
    """Some lines of a file, standing in for the list of all its lines: ``len``
    is the file's line count, indexing gives a kept line (the lines a report
    shows or hashes: where its findings start and end). A run whose format
    needs no source keeps none; a 1,000-file run then no longer holds every
    file's text until the end, nor pickles it back from --jobs workers."""

    __slots__ = ("count", "kept")

    def __init__(self, count: int, kept: dict):
        self.count, self.kept = count, kept

    @classmethod
    def of(cls, lines: list, numbers) -> "KeptLines":
        """The 1-based line ``numbers`` of ``lines``."""
        return cls(len(lines), {n - 1: lines[n - 1] for n in numbers if 0 < n <= len(lines)})

    def __len__(self) -> int:
        return self.count

    def __getitem__(self, i: int) -> str:
        if i < 0:
            i += self.count
        try:
            return self.kept[i]
        except KeyError:
            raise LookupError(f"line {i + 1} was not kept") from None

    def __getstate__(self):
        return (self.count, self.kept)

    def __setstate__(self, state):
        self.count, self.kept = state


@dataclass
class Report:
    """Everything a reporter may show. Reporters know nothing about rules."""
    findings: list
    errors: list
    files: int
    as_of: str
    version: str
    # Normalised text of each file that has findings, for snippets and pages:
    # its list of lines, or KeptLines (only the lines the format shows).
    sources: dict = field(default_factory=dict)
    warnings: list = field(default_factory=list)
    # Rule metadata for formats that embed it (SARIF): id -> dict.
    rule_info: dict = field(default_factory=dict)
    # Every file linted, in order (the HTML page lists clean files too).
    paths: list = field(default_factory=list)
    # `dj-lint similar`: the pairs and clusters of documents that share passages.
    similar: Optional[dict] = None
    # Files whose findings a streamed text report wrote as they were linted and
    # ``findings`` does not list (nothing after the report needs them): (path, counts)
    # each, the counts its summary needs ({severity: number}, {fixable rule: number}).
    unlisted: list = field(default_factory=list)
