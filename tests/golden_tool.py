"""Golden findings per seed and category.

tests/golden/<seed-prefix>/<category>.txt holds one finding a line,
``line:col-end_line:end_col RULE "text" -> suggestion``, reviewed by hand.
Print the current findings with

    python tests/golden_tool.py CATEGORY [SEED_PREFIX]

and read the diff against the golden file before replacing it: a golden
file is never regenerated blindly.
"""
import datetime as dt
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
    from dj_lint.engine import Context, Linter, select_rules, shipped_rules

    linter = Linter(select_rules(shipped_rules(), [category]), Context(as_of=AS_OF))
    doc = Document.from_path(os.path.join(SEEDS, seed_name))
    return [format_finding(f) for f in linter.lint(doc)]


def golden_path(seed_name: str, category: str) -> str:
    return os.path.join(GOLDEN, seed_name[:3], category + ".txt")


def main(argv):
    category = argv[0]
    prefix = argv[1] if len(argv) > 1 else ""
    for name in seed_files():
        if name.startswith(prefix):
            print(f"# {name[:3]}/{category}.txt")
            for line in current(name, category):
                print(line)


if __name__ == "__main__":
    main(sys.argv[1:])
