"""The package is layered: each layer imports only itself and the layers below,
and no module imports another that (directly or not) imports it back.

Checked here with the standard library (ast) rather than import-linter: it needs
no extra dependency, it sees imports inside functions too (the ones that used to
hide cycles), and a failure names the exact file, line and import.
"""
import ast
import os

from conftest import ROOT

PACKAGE = os.path.join(ROOT, "src", "dj_lint")
# Bottom to top; the README's "How the code is organised" draws the same picture.
LAYERS = ["model", "text", "doctypes", "checks", "packs", "engine", "config", "app",
          "reporters", "cli"]
# The package root holds only the version and `python -m dj_lint`.
ROOT_MODULES = {"dj_lint": -1, "dj_lint.__main__": len(LAYERS)}
# ... and installs the cache of dataclasses' methods before any class is made
# (text/codecache.py: the first module to define one may be of any layer).
ROOT_IMPORTS = {("dj_lint", "dj_lint.text.codecache")}


def _modules():
    """{dotted module name: path} for every module of the package."""
    out = {}
    for folder, _dirs, files in os.walk(PACKAGE):
        for name in files:
            if name.endswith(".py"):
                rel = os.path.relpath(os.path.join(folder, name), os.path.dirname(PACKAGE))
                parts = rel[:-3].split(os.sep)
                if parts[-1] == "__init__":
                    parts = parts[:-1]
                out[".".join(parts)] = os.path.join(folder, name)
    return out


def _layer(module: str) -> int:
    if module in ROOT_MODULES:
        return ROOT_MODULES[module]
    return LAYERS.index(module.split(".")[1])


def _imports(module: str, path: str, known):
    """(line, imported dj_lint module) for every import statement, at any depth."""
    is_package = path.endswith("__init__.py")
    package = module if is_package else module.rsplit(".", 1)[0]
    tree = ast.parse(open(path, encoding="utf-8").read(), path)
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[:len(base) - node.level + 1]
                prefix = ".".join(base + ([node.module] if node.module else []))
            else:
                prefix = node.module or ""
            # `from pkg import name`: name is a module when there is one by that name.
            names = [f"{prefix}.{a.name}" if f"{prefix}.{a.name}" in known else prefix
                     for a in node.names]
        else:
            continue
        for name in names:
            if name == "dj_lint" or name.startswith("dj_lint."):
                while name not in known:  # dj_lint.x.y where y is a name in x
                    name = name.rsplit(".", 1)[0]
                yield node.lineno, name


def _graph():
    known = _modules()
    return known, {m: list(_imports(m, p, known)) for m, p in known.items()}


def test_every_module_sits_in_a_layer():
    known, _ = _graph()
    strays = [m for m in known if m not in ROOT_MODULES
              and (m.count(".") == 1 and m.split(".")[1] not in LAYERS
                   or m.count(".") > 1 and m.split(".")[1] not in LAYERS)]
    assert not strays, f"modules outside the layers {LAYERS}: {strays}"


def test_no_module_imports_a_layer_above_it():
    known, graph = _graph()
    upward = set()
    for module, imports in graph.items():
        for line, target in imports:
            if target == "dj_lint" or (module, target) in ROOT_IMPORTS:  # __version__
                continue
            if _layer(target) > _layer(module):
                upward.add(f"{os.path.relpath(known[module], ROOT)}:{line}: {module} imports {target}")
    assert not upward, "imports from a higher layer:\n" + "\n".join(sorted(upward))


def test_no_import_cycles():
    known, graph = _graph()
    edges = {m: sorted({t for _, t in imports if t != m and t != "dj_lint"})
             for m, imports in graph.items()}
    # A package's __init__ runs before its submodules, so a submodule importing
    # its own package is the normal shape; only module-to-module cycles count.
    for m in edges:
        edges[m] = [t for t in edges[m] if not m.startswith(t + ".")]
    cycles, state, stack = [], {}, []

    def visit(m):
        state[m] = "open"
        stack.append(m)
        for t in edges.get(m, ()):
            if state.get(t) == "open":
                cycles.append(stack[stack.index(t):] + [t])
            elif t not in state:
                visit(t)
        stack.pop()
        state[m] = "done"

    for m in sorted(edges):
        if m not in state:
            visit(m)
    assert not cycles, "import cycles:\n" + "\n".join(" -> ".join(c) for c in cycles)


def test_the_checker_sees_an_import_inside_a_function(tmp_path):
    # The old trick that hid cycles: an upward import inside a function body.
    path = tmp_path / "x.py"
    path.write_text("def f():\n    from ..cli.main import run\n", encoding="utf-8")
    found = list(_imports("dj_lint.model.x", str(path), {"dj_lint.cli", "dj_lint.cli.main"}))
    assert found == [(2, "dj_lint.cli.main")]
    assert _layer("dj_lint.cli.main") > _layer("dj_lint.model.x")
