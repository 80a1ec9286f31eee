"""Golden findings per seed and category.

tests/golden/<seed-prefix>/<category>.txt holds one finding a line,
``line:col-end_line:end_col RULE "text" -> suggestion``, reviewed by hand
(lines starting with # are comments and are kept). Golden files are reviewed,
never regenerated blindly:

    python tests/golden_tool.py show CATEGORY [SEED_PREFIX]    # current findings
    python tests/golden_tool.py diff [CATEGORY] [SEED_PREFIX]  # golden vs current, exit 1 if any
    python tests/golden_tool.py accept CATEGORY [SEED_PREFIX]  # print the diff, then write it

``accept`` is the only way a golden file changes: it prints exactly what it
replaces, so the diff can be read (and quoted in the commit message). A missing
golden file makes the test suite fail; ``accept`` creates it.
"""
import datetime as dt
import difflib
import json
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
GOLDEN = os.path.join(ROOT, "tests", "golden")
SEEDS = os.path.join(ROOT, "seeds")
AS_OF = dt.date(2026, 11, 21)


def seed_files():
    return sorted(n for n in os.listdir(SEEDS) if n.endswith(".txt"))


def format_finding(f) -> str:
    sugg = "" if f.suggestion is None else " -> " + json.dumps(f.suggestion, ensure_ascii=False)
    return (f"{f.line}:{f.column}-{f.end_line}:{f.end_column} {f.rule} "
            f"{json.dumps(f.text, ensure_ascii=False)}{sugg}")


def current(seed_name: str, category: str):
    from dj_lint.text.document import Document
    from dj_lint.text.sources import load_path
    from dj_lint.engine import Context, Linter, select_rules, shipped_rules

    linter = Linter(select_rules(shipped_rules(), [category]), Context(as_of=AS_OF))
    doc = load_path(os.path.join(SEEDS, seed_name))
    return [format_finding(f) for f in linter.lint(doc)]


def golden_path(seed_name: str, category: str) -> str:
    return os.path.join(GOLDEN, seed_name[:3], category + ".txt")


def _categories():
    from dj_lint.model.findings import CATEGORIES
    return CATEGORIES


def read_golden(seed_name: str, category: str):
    """(comment lines, finding lines) of a golden file; None when it is missing."""
    path = golden_path(seed_name, category)
    if not os.path.exists(path):
        return None
    with open(path, encoding="utf-8") as fh:
        lines = [l for l in fh.read().splitlines() if l.strip()]
    return [l for l in lines if l.startswith("#")], [l for l in lines if not l.startswith("#")]


def diff(seed_name: str, category: str) -> str:
    """A unified diff from the golden file to the current findings ("" if equal)."""
    golden = read_golden(seed_name, category)
    old = golden[1] if golden else []
    new = current(seed_name, category)
    if golden is not None and old == new:
        return ""
    rel = os.path.relpath(golden_path(seed_name, category), ROOT)
    head = "" if golden is not None else f"# {rel}: missing, would be created\n"
    return head + "".join(l + "\n" for l in difflib.unified_diff(
        old, new, f"a/{rel}", f"b/{rel}", lineterm=""))


def accept(seed_name: str, category: str) -> str:
    """Write the current findings into the golden file (keeping its comments);
    returns the diff that was accepted."""
    change = diff(seed_name, category)
    if change:
        golden = read_golden(seed_name, category)
        comments = golden[0] if golden else []
        path = golden_path(seed_name, category)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as fh:
            fh.write("".join(l + "\n" for l in comments + current(seed_name, category)))
    return change


def _select(argv):
    categories = [argv[0]] if argv and argv[0] != "all" else list(_categories())
    prefix = argv[1] if len(argv) > 1 else ""
    return [(n, c) for n in seed_files() if n.startswith(prefix) for c in categories]


def main(argv) -> int:
    command = argv[0] if argv else ""
    if command not in ("show", "diff", "accept"):
        if command in _categories():  # the old form: golden_tool.py CATEGORY [SEED]
            command, argv = "show", ["show"] + argv
        else:
            print(__doc__)
            return 2
    args = argv[1:]
    if command == "show":
        if not args:
            print(__doc__)
            return 2
        for name, category in _select(args):
            print(f"# {name[:3]}/{category}.txt")
            for line in current(name, category):
                print(line)
        return 0
    if command == "accept" and not args:
        print("accept needs a category (or 'all') so nothing is accepted by accident")
        return 2
    changed = 0
    for name, category in _select(args):
        change = accept(name, category) if command == "accept" else diff(name, category)
        if change:
            changed += 1
            sys.stdout.write(change)
    verb = "accepted" if command == "accept" else "differ"
    print(f"# {changed} golden file(s) {verb}")
    return 1 if changed and command == "diff" else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
