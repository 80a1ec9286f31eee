"""One regex time budget per rule and document (issue 19), and how it is charged.

Every call made through a rule's :class:`Budgeted` pattern (its patterns, vetoes,
``unless``, whatever its kind compiled from it) is charged to the rule. A rule
whose time is up is ``stopped``: from then on its patterns find nothing, so its
kind goes on with the other rules, and the Linter drops the stopped rule's hits
and names it in a warning. Time is CPU time, so a loaded machine does not stop
rules.

Two ways to charge, the same rules either way:

- **Sampled** (:class:`SampledBudget`, the Linter's choice on the main thread of a
  POSIX process, inside :func:`sampling`): a CPU-time timer (``ITIMER_PROF``)
  raises ``SIGPROF`` every few milliseconds; its handler charges the CPU time
  since the previous tick to the rule whose regex call is running, if any, and
  when that rule's time is up raises ``TimeoutError`` inside the call (the
  ``regex`` module checks for signals while it matches, so a runaway match is
  cut short mid-way). A call costs one attribute store before and after it.
  Python runs a signal's handler right after the C call in which it arrived
  returns, before the next statement, so a tick that lands in a short call is
  still charged to that call's rule: measured on 300,000 short searches, the
  share of ticks charged matched the share of CPU time in the searches (35%).
- **Exact** (:class:`RegexBudget`, anywhere else: another thread, no
  ``setitimer``, or a SIGPROF handler or timer already in use by the program
  embedding dj-lint): the thread's CPU clock is read around each call and
  ``regex``'s own ``timeout=`` is set to what is left. Measured per call on a
  short search: 0.17 µs bare, 3.7 µs this way (``timeout=`` alone costs 1.3 µs,
  each clock read 0.45 µs); on the benchmark corpus that was a tenth of all the
  time in the checks, which is why the sampled way exists.

A sampled budget is an estimate with the timer's granularity (a few ms), never
worse than the limit by more than one tick per call; it is a guard against
runaway patterns, not an account.
"""
from __future__ import annotations

import signal
import threading
import time
from contextlib import contextmanager
from itertools import chain, islice
from typing import Optional

from ..text.pattern_cache import Deferred


class RegexBudget:
    """The regex time each rule has left on the document being linted, charged exactly."""
    sampled = False

    def __init__(self, seconds: float):
        self.seconds = seconds
        self.spent: dict = {}
        self.stopped: set = set()

    def left(self, rule_id: str) -> float:
        return self.seconds - self.spent.get(rule_id, 0.0)

    def charge(self, rule_id: str, seconds: float) -> None:
        spent = self.spent[rule_id] = self.spent.get(rule_id, 0.0) + seconds
        if spent >= self.seconds:
            self.stopped.add(rule_id)


class SampledBudget(RegexBudget):
    """A budget charged by the SIGPROF sampler (:func:`sampling`): ``active`` is
    the rule whose regex call is running."""
    sampled = True

    def __init__(self, seconds: float):
        super().__init__(seconds)
        self.active: Optional[str] = None


class _Slot:
    """Where one thread's installed budget is kept (``budget_local``): a plain
    attribute, which the Linter sets for each document at each kind's turn. Set
    on the ``threading.local`` itself, each install cost a look-up of the thread's
    own dict (some 730 instructions: 33 kinds a document, a quarter of the
    engine's own work a turn); read, a thread-local look-up and this attribute."""
    __slots__ = ("budget",)

    def __init__(self):
        self.budget: Optional[RegexBudget] = None


class _Local(threading.local):
    """Each thread's ``slot``, made by its first look-up (``threading.local`` runs
    ``__init__`` once per thread): ``_LOCAL.slot.budget`` is read at each regex
    call with no ``getattr`` default and no thread without one."""

    def __init__(self):
        self.slot = _Slot()


_LOCAL = _Local()
_clock = time.thread_time
_CHUNK = 64  # matches of a finditer timed (exact) or guarded (sampled) together
_NOTHING = {"search": None, "match": None, "fullmatch": None, "findall": []}
# What a Budgeted pattern not loaded yet answers from its Deferred.
_DEFERRED_KNOWS = frozenset(("pattern", "flags", "groupindex"))


def current_budget() -> Optional[RegexBudget]:
    return _LOCAL.slot.budget


def set_budget(budget: Optional[RegexBudget]) -> None:
    """The Linter installs a fresh budget per document (per thread)."""
    budget_local().budget = budget


def budget_local() -> _Slot:
    """What ``set_budget`` sets the ``budget`` attribute of (this thread's own):
    for the Linter, which installs one budget after another in a loop."""
    return _LOCAL.slot


# -- the sampler ------------------------------------------------------------------
_TICK = 0.005  # seconds of process CPU time between two samples


def can_sample() -> bool:
    """Whether :func:`sampling` would sample here: the main thread of a process
    with ``setitimer``, whose SIGPROF nobody else uses."""
    if not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        return False
    try:
        handler = signal.getsignal(signal.SIGPROF)
        timer = signal.getitimer(signal.ITIMER_PROF)
    except (ValueError, OSError):  # pragma: no cover - no SIGPROF here
        return False
    return handler in (signal.SIG_DFL, None) and timer == (0.0, 0.0)


class _Sampler:
    __slots__ = ("last",)

    def __init__(self):
        self.last = time.process_time()

    def tick(self, signum, frame) -> None:
        now = time.process_time()
        spent, self.last = now - self.last, now
        budget = _LOCAL.slot.budget
        if budget is None or not budget.sampled:
            return
        rule_id = budget.active
        if rule_id is None:
            return
        budget.charge(rule_id, spent)
        if rule_id in budget.stopped:
            # Raised once: a second tick before the call's wrapper has put ``active``
            # back (in its except clause, say) must not raise again outside it.
            budget.active = None
            raise TimeoutError(f"regex budget of {rule_id} spent")


@contextmanager
def sampling(enabled: bool = True):
    """Inside, SampledBudgets are charged by a SIGPROF timer; yields whether it
    runs (when it does not, the Linter makes exact budgets). The previous
    handler and timer are put back on the way out."""
    if not enabled or not can_sample():
        yield False
        return
    sampler = _Sampler()
    previous = signal.signal(signal.SIGPROF, sampler.tick)
    try:
        # Python installs a handler so that it interrupts system calls (EINTR):
        # Python's own calls retry, but C code run meanwhile (a shared library
        # loaded by an import, say) may not. The tick restarts them instead.
        signal.siginterrupt(signal.SIGPROF, False)
        signal.setitimer(signal.ITIMER_PROF, _TICK, _TICK)
        yield True
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, previous)


# -- charged patterns ---------------------------------------------------------------
def _out_of_time(budget, rule_id: str, name: str):
    """A rule whose call ran out of time is stopped; a call that can answer
    "nothing" (search, match, fullmatch, findall) does, the others re-raise."""
    budget.stopped.add(rule_id)
    if name in _NOTHING:
        return _NOTHING[name]
    raise  # the TimeoutError being handled


class Budgeted:
    """A compiled ``regex`` pattern whose every call is charged to one rule. Given
    a pattern_cache.Deferred, the pattern is unpickled when first used (``pat``
    read), not before: its source, flags and group names come from the cache."""
    __slots__ = ("pat", "rule_id", "_deferred")

    def __init__(self, pat, rule_id: str):
        if isinstance(pat, Deferred):
            self._deferred = pat  # ``pat`` left unset: __getattr__ loads it
        else:
            self.pat = pat
            self._deferred = None
        self.rule_id = rule_id

    def __reduce__(self):  # --jobs may pickle kinds
        return (Budgeted, (self.pat, self.rule_id))

    def __getattr__(self, name):  # pattern, groupindex, groups, flags ...
        if name in ("rule_id", "_deferred"):
            raise AttributeError(name)
        deferred = self._deferred
        if deferred is None:
            if name == "pat":
                raise AttributeError(name)
        elif name == "pat":
            self.pat = pat = deferred.load()
            self._deferred = None
            return pat
        elif name in _DEFERRED_KNOWS:
            return getattr(deferred, name)
        return getattr(self.pat, name)

    def _call(self, budget, name, args, kwargs):
        """A call of ``pattern.<name>`` without a sampled budget: ``budget`` None (not
        charged) or exact (timed, with regex's own ``timeout=``). The sampled way is
        written out in each method (``_charged``)."""
        if budget is None:
            return getattr(self.pat, name)(*args, **kwargs)
        rule_id = self.rule_id
        if rule_id in budget.stopped and name in _NOTHING:
            return _NOTHING[name]
        method = getattr(self.pat, name)
        given = kwargs.get("timeout")
        left = max(budget.left(rule_id), 0.001)
        kwargs["timeout"] = left if given is None else min(given, left)
        t0 = _clock()
        try:
            return method(*args, **kwargs)
        except TimeoutError:
            return _out_of_time(budget, rule_id, name)
        finally:
            budget.charge(rule_id, _clock() - t0)

    def finditer(self, *args, **kwargs):
        budget = _LOCAL.slot.budget
        if budget is None:
            return self.pat.finditer(*args, **kwargs)
        if not budget.sampled:
            return self._finditer(budget, args, kwargs)
        if self.rule_id in budget.stopped:
            return iter(())  # no iterator made for a stopped rule
        kwargs.pop("timeout", None)  # the rule's budget governs, as in _charged
        return pulled(budget, self.rule_id, self.pat.finditer(*args, **kwargs))

    def _finditer(self, budget, args, kwargs):
        rule_id = self.rule_id
        if rule_id in budget.stopped:
            return
        given = kwargs.get("timeout")
        left = max(budget.left(rule_id), 0.001)
        kwargs["timeout"] = left if given is None else min(given, left)
        it = self.pat.finditer(*args, **kwargs)
        while rule_id not in budget.stopped:
            # Matches are taken _CHUNK at a time, each chunk timed once: reading the
            # thread's CPU clock per match was most of the cost of a flood (250,000
            # runs of stars). A stopped rule's findings are all dropped, so a chunk
            # cut short by the time limit loses nothing that would have been kept.
            t0 = _clock()
            try:
                chunk = list(islice(it, _CHUNK))
            except TimeoutError:
                budget.stopped.add(rule_id)
                return
            finally:
                budget.charge(rule_id, _clock() - t0)
            yield from chunk
            if len(chunk) < _CHUNK:
                return


def pulled(budget, rule_id: str, it):
    """The items of ``it``, an iterator whose every step runs regex calls of the
    rule (a finditer, or a generator of raw calls), under a sampled ``budget``:
    taken _CHUNK at a time, each chunk under one activation of the rule, never
    yielded while it is active. A chunk cut short by the time limit ends them (a
    stopped rule's findings are all dropped). An iterator (``taken``'s items)."""
    return iter(taken(budget, rule_id, it))


def taken(budget, rule_id: str, it):
    """``pulled``'s items as a list when the first chunk ends them, the usual few
    matches of a scan (empty, so false, when there are none: the caller skips its
    walk), else an iterator: a generator per call was a tenth of the pattern kinds'
    time on the corpus."""
    if rule_id in budget.stopped:
        return ()
    # The first chunk as _chunk takes it, written out here (a call less a scan).
    previous = budget.active
    try:
        budget.active = rule_id
        chunk = list(islice(it, _CHUNK))
    except TimeoutError:
        budget.stopped.add(rule_id)
        return ()
    finally:
        budget.active = previous
    if len(chunk) < _CHUNK:
        return chunk
    return chain(chunk, _pulled_rest(budget, rule_id, it))


def _chunk(budget, rule_id: str, it):
    """The next _CHUNK items of ``it`` under one activation of the rule, or None
    when its time ran out (the rule is then stopped)."""
    previous = budget.active
    try:
        budget.active = rule_id
        return list(islice(it, _CHUNK))
    except TimeoutError:
        budget.stopped.add(rule_id)
        return None
    finally:
        budget.active = previous


def _pulled_rest(budget, rule_id: str, it):
    """``pulled`` after its first full chunk: its chunks' items read in C, the
    generator resumed once a chunk, not once an item (a flood of 250,000 blanks)."""
    return chain.from_iterable(_rest_chunks(budget, rule_id, it))


def _rest_chunks(budget, rule_id: str, it):
    while rule_id not in budget.stopped:
        chunk = _chunk(budget, rule_id, it)
        if chunk is None:
            return
        yield chunk
        if len(chunk) < _CHUNK:
            return


def _charged(name: str):
    """``Budgeted.<name>``: under a sampled budget the rule is active while the
    pattern's method runs, written out here rather than in a shared method taking
    the arguments packed (a frame less, and no keyword dict passed on when the
    caller gave none: the Python around a short search about 5,700 -> 4,100
    instructions, callgrind); without one, ``_call``."""
    nothing = name in _NOTHING

    def method(self, *args, **kwargs):
        budget = _LOCAL.slot.budget
        if budget is None or not budget.sampled:
            return self._call(budget, name, args, kwargs)
        rule_id = self.rule_id
        if nothing and rule_id in budget.stopped:
            return _NOTHING[name]
        call = getattr(self.pat, name)
        previous = budget.active  # sub() with a function may call other rules' patterns
        try:
            budget.active = rule_id
            if kwargs:
                # The rule's budget governs; a caller's own timeout= would cost more than the call.
                kwargs.pop("timeout", None)
                return call(*args, **kwargs)
            return call(*args)
        except TimeoutError:
            return _out_of_time(budget, rule_id, name)
        finally:
            budget.active = previous
    method.__name__ = method.__qualname__ = name
    method.__doc__ = f"``pattern.{name}``, charged to the rule."
    return method


for _name in ("search", "match", "fullmatch", "findall", "sub", "subn", "split"):
    setattr(Budgeted, _name, _charged(_name))


def budgeted(pat, rule):
    """``pat`` charged to ``rule``'s budget (None: left as it is, for validate())."""
    if rule is None or pat is None:
        return pat
    return Budgeted(getattr(pat, "pat", pat), rule.id)
