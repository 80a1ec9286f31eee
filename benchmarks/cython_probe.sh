#!/bin/bash
# How much CPU would compiling dj-lint's own modules with Cython 3 (pure-Python mode, no
# source changes) save? Builds a compiled copy of HEAD, checks that it reports the same
# findings on the corpus, and times it against the pure tree, runs alternating (warm cache,
# --jobs 1, text report to a file, user+sys CPU seconds). Issue 17; the figures are in its notes.
#
# usage: benchmarks/cython_probe.sh [MODULE.py ...]   (paths below src/dj_lint; default: all
#        but __main__.py, which python -m cannot run compiled)
# env:   CYPY   a python with Cython 3 installed (default python3)
#        PY     the python that runs dj-lint, same version as CYPY (default python3)
#        OUT    scratch folder, emptied first (default /tmp/cy_probe)
#        PAIRS  alternating timing pairs (default 3)
#        CORPUS input (default benchmarks/out/corpus, from benchmarks/make_corpus.py)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
CYPY=${CYPY:-python3}; PY=${PY:-python3}; OUT=${OUT:-/tmp/cy_probe}; PAIRS=${PAIRS:-3}
CORPUS=${CORPUS:-$ROOT/benchmarks/out/corpus}

rm -rf "$OUT"; mkdir -p "$OUT/tree"
git -C "$ROOT" archive HEAD src rules | tar -x -C "$OUT/tree"
ln -s ../../rules "$OUT/tree/src/dj_lint/rules"
cd "$OUT/tree/src/dj_lint"
if [ $# -gt 0 ]; then
  mods=("$@")
else
  mapfile -t mods < <(find . -name '*.py' ! -name __main__.py ! -path './rules/*' | sort)
fi
# annotation_typing=False: Cython would make a `float` parameter a C double (rejecting None).
/usr/bin/time -f "build: %e s wall, %U s user" -o "$OUT/build.time" \
  "$CYPY" -m Cython.Build.Cythonize -i -3 -X binding=True -X annotation_typing=False \
  "${mods[@]}" > "$OUT/build.log" 2>&1
# Compiled, codepoints.py fails at run time: Cython types its local as bytearray and then
# rejects the bytes assigned to a slice of it. It runs once per build cache; keep it Python.
rm -f text/codepoints.*.so
rm -rf build; find . -name '*.c' -delete
cat "$OUT/build.time"
sos=$(find . -name '*.so')
echo "compiled: $(echo "$sos" | wc -l) modules, $(du -cb $sos | tail -1 | cut -f1) bytes (unstripped)"

cd "$ROOT"
tree_of() { [ "$1" = pure ] && echo "$ROOT" || echo "$OUT/tree"; }
dj() { # label: the command that runs that tree, warm cache of its own, in CMD
  CMD=(env XDG_CACHE_HOME="$OUT/cache_$1" PYTHONPATH="$(tree_of "$1")/src" "$PY" -m dj_lint --jobs 1)
}
for label in pure cy; do
  dj $label; "${CMD[@]}" --format json -o "$OUT/$label.json" "$CORPUS" || true  # rc 1: findings
done
cmp -s "$OUT/pure.json" "$OUT/cy.json" && echo "findings: identical" || echo "findings: DIFFER"
for _ in $(seq "$PAIRS"); do
  for label in pure cy; do
    dj $label; /usr/bin/time -f "%U %S" -o "$OUT/time" "${CMD[@]}" "$CORPUS" > "$OUT/$label.txt" || true
    tail -1 "$OUT/time" | awk -v l=$label '{printf "%-4s cpu %.2f s\n", l, $1 + $2}'
  done
done
