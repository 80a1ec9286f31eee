"""Write the benchmark inputs to benchmarks/out/ (git-ignored), deterministically.

    python benchmarks/make_corpus.py [--out DIR]

- corpus/       1,000 reports stitched from seeds/ (about 15.45 MB): each keeps the
                head and tail of one seed (title, 落款) around runs of consecutive
                lines taken from all seeds. One in ten uses CRLF line ends and one
                in twenty is GB18030-encoded, as in a real archive.
- big_20mb.txt  one 20 MB file (corpus reports concatenated).
- realworld/    ../shared/realworld/corpus (when present) copied round after round
                to 15 MB: real documents, in benchmarks/out only.
- patho/        pathological inputs: a 5 MB single line; 2 MB of random '*' and '_';
                2 MB of long '*'/'_' runs; 1 MB of 'XX'; long runs of '。'; a line of
                100k '('; 100k '（' and '“'; 1 MB of digits; 1 MB of blank lines;
                1 MB of mixed \\r\\n/\\r/\\n; 1 MB of undecodable bytes between Chinese.

The same files come out byte for byte on every run (fixed seeds, no clock).
MB here is 10**6 bytes throughout.
"""
from __future__ import annotations

import argparse
import os
import random
import shutil

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
SEEDS = os.path.join(ROOT, "seeds")
MB = 1_000_000
REPORTS = 1000
MEAN_REPORT = 15_030  # bytes, before trimming; 1,000 reports ≈ 15.45 MB like the peers' corpus


def load_seeds():
    out = []
    for name in sorted(os.listdir(SEEDS)):
        if name.endswith(".txt"):
            with open(os.path.join(SEEDS, name), encoding="utf-8") as fh:
                out.append(fh.read().split("\n"))
    return out


def _size(lines) -> int:
    return sum(len(l.encode("utf-8")) + 1 for l in lines)


def stitch(i: int, seeds) -> str:
    """Report i: head of one seed, runs of lines from any seed, tail of the same seed."""
    rng = random.Random(i)
    base = seeds[i % len(seeds)]
    target = int(MEAN_REPORT * rng.uniform(0.5, 1.5))
    head = base[:max(3, len(base) // 5)]
    tail = base[-5:]
    body = []
    while _size(head) + _size(body) + _size(tail) < target:
        src = seeds[rng.randrange(len(seeds))]
        start = rng.randrange(len(src))
        body.extend(src[start:start + rng.randint(2, 10)])
    lines = head + body + tail
    # Trim the body back under the target so sizes stay near the mean.
    while body and _size(head) + _size(body) + _size(tail) > target + 2000:
        body.pop()
        lines = head + body + tail
    return "\n".join(lines)


def encode_report(i: int, text: str) -> bytes:
    if i % 10 == 3:
        text = text.replace("\n", "\r\n")
    if i % 20 == 7:
        return text.encode("gb18030")
    return text.encode("utf-8")


def write(path: str, data: bytes) -> None:
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as fh:
        fh.write(data)


def make_corpus(out: str, seeds) -> list:
    texts = []
    for i in range(REPORTS):
        text = stitch(i, seeds)
        texts.append(text)
        write(os.path.join(out, "corpus", f"r{i:04d}.txt"), encode_report(i, text))
    return texts


def make_big(out: str, texts) -> None:
    parts, size, i = [], 0, 0
    while size < 20 * MB:
        data = texts[i % len(texts)].encode("utf-8") + b"\n\n"
        parts.append(data)
        size += len(data)
        i += 1
    write(os.path.join(out, "big_20mb.txt"), b"".join(parts)[:20 * MB].rsplit(b"\n", 1)[0] + b"\n")


def _repeat_to(unit: str, size: int) -> bytes:
    data = unit.encode("utf-8")
    return (data * (size // len(data) + 1))[:size - size % len(data)]


def _random_runs(rng, alphabet: str, size: int, longest: int) -> bytes:
    out, n = [], 0
    while n < size:
        run = rng.choice(alphabet) * rng.randint(1, longest)
        out.append(run)
        n += len(run)
    return "".join(out)[:size].encode("ascii")


def make_pathological(out: str, texts) -> None:
    rng = random.Random(7)
    d = os.path.join(out, "patho")
    flat = "".join(t.replace("\r", "").replace("\n", "") for t in texts).encode("utf-8")
    one_line = flat[:5 * MB].decode("utf-8", "ignore").encode("utf-8")
    files = {
        "single_line_5mb.txt": one_line + b"\n",
        "stars_underscores_2mb.txt": bytes(rng.choice(b"*_") for _ in range(2 * MB)),
        "star_underscore_runs_2mb.txt": _random_runs(rng, "*_", 2 * MB, 400),
        "xx_1mb.txt": b"X" * MB,
        "full_stops.txt": "\n".join("。" * rng.randint(1000, 50_000) for _ in range(20)).encode("utf-8"),
        "parens_100k.txt": b"(" * 100_000 + b"\n",
        "cjk_open_100k.txt": ("（" * 100_000 + "\n" + "“" * 100_000 + "\n").encode("utf-8"),
        "digits_1mb.txt": "".join(rng.choice("0123456789") for _ in range(MB)).encode("ascii"),
        "blank_lines_1mb.txt": b"\n" * MB,
        "mixed_newlines_1mb.txt": _mixed_newlines(rng, texts[0], MB),
        "undecodable_1mb.txt": _undecodable(rng, texts[1], MB),
    }
    for name, data in files.items():
        write(os.path.join(d, name), data)


def _mixed_newlines(rng, text: str, size: int) -> bytes:
    out, n = [], 0
    lines = text.replace("\r", "").split("\n")
    while n < size:
        piece = (lines[rng.randrange(len(lines))] + rng.choice(["\r\n", "\r", "\n"])).encode("utf-8")
        out.append(piece)
        n += len(piece)
    return b"".join(out)


def _undecodable(rng, text: str, size: int) -> bytes:
    """Chinese text with stray bytes that are neither UTF-8 nor GB18030."""
    out, n = [], 0
    words = text.replace("\r", "").split("，")
    while n < size:
        piece = words[rng.randrange(len(words))].encode("utf-8") + bytes([0x80 + rng.randrange(0x7f)]) * rng.randint(1, 3)
        out.append(piece)
        n += len(piece)
    return b"".join(out)


def realworld_source() -> str:
    """The shared real-world corpus (../shared/realworld/corpus of the main checkout;
    DJ_LINT_REALWORLD names another directory), or '' when there is none."""
    env = os.environ.get("DJ_LINT_REALWORLD")
    if env:
        return env if os.path.isdir(env) else ""
    for up in (os.path.dirname(ROOT), os.path.dirname(os.path.dirname(ROOT))):
        d = os.path.join(up, "shared", "realworld", "corpus")
        if os.path.isdir(d):
            return d
    return ""


def make_realworld(out: str, size: int = 15 * MB) -> int:
    """realworld/: the real-world corpus copied round after round until ``size`` bytes
    (file names numbered per round), into benchmarks/out only: nothing of it enters
    the project. Returns the bytes written (0 without the corpus)."""
    src = realworld_source()
    dest = os.path.join(out, "realworld")
    shutil.rmtree(dest, ignore_errors=True)
    if not src:
        return 0
    names = sorted(n for n in os.listdir(src) if os.path.isfile(os.path.join(src, n)))
    blobs = [open(os.path.join(src, n), "rb").read() for n in names]
    if not sum(map(len, blobs)):
        return 0
    total, rnd = 0, 0
    while total < size:
        for name, data in zip(names, blobs):
            write(os.path.join(dest, f"{rnd:03d}_{name}"), data)
            total += len(data)
        rnd += 1
    return total


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default=os.path.join(HERE, "out"))
    args = ap.parse_args(argv)
    for sub in ("corpus", "patho"):
        shutil.rmtree(os.path.join(args.out, sub), ignore_errors=True)
    seeds = load_seeds()
    texts = make_corpus(args.out, seeds)
    make_big(args.out, texts)
    make_pathological(args.out, texts)
    total = sum(os.path.getsize(os.path.join(args.out, "corpus", n))
                for n in os.listdir(os.path.join(args.out, "corpus")))
    print(f"corpus: {REPORTS} files, {total / MB:.2f} MB -> {os.path.join(args.out, 'corpus')}")
    real = make_realworld(args.out)
    if real:
        print(f"realworld: {realworld_source()} repeated to {real / MB:.2f} MB -> {os.path.join(args.out, 'realworld')}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
