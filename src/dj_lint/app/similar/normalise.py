"""Normalise what copying changes, keeping a map back to exact positions.

Copying a passage changes its surface but not its words: punctuation goes
from full to half width (or is dropped or swapped), spaces and line breaks
are added or removed by editors and converters, and numbers and dates are
updated (``2023年`` → ``2024年``, ``12次`` → ``15次``, ``二〇二三年`` → ``2024年``).
The normalised text keeps only what survives all of that:

- NFKC (full-width letters and digits to half width), lower case;
- no whitespace, no control characters, no punctuation but % (so a width
  change, an added comma or a swapped 、/， never breaks a passage);
- every number (``12``, ``3.5``, ``1,200``, ``２０２３``) and every Chinese-numeral
  date part (``二〇二三年``, ``十一月``) becomes one ``#``;
- passages listed as boilerplate (the standard guiding-thought sentence …)
  are removed, so they never count towards a copied passage.

``offsets[i]`` is the offset in ``Document.text`` of normalised character i,
so a passage found in the normalised text maps back to exact positions.
"""
from __future__ import annotations

import unicodedata
from functools import lru_cache
from typing import Sequence, Tuple

import numpy as np
import regex

NUMBER = "#"
# Digits with decimal points or thousands separators inside; a Chinese-numeral
# run standing before 年/月/日/号 (a date part, 二〇二三年 / 十一月).
_NUMBERS = regex.compile(
    r"[0-9０-９]+(?:[.,．，][0-9０-９]+)*"
    r"|[〇零一二三四五六七八九十两]+(?=[年月日号])"
)
_DELETE = 0
_KEPT = "%％‰"  # punctuation by category, but part of a quantity


@lru_cache(maxsize=1)
def _table() -> np.ndarray:
    """Code point (BMP) -> normalised code point; 0 deletes the character."""
    table = np.zeros(0x10000, dtype=np.uint32)
    for cp in range(0x10000):
        ch = chr(cp)
        cat = unicodedata.category(ch)
        if (cat[0] in "PZC" or ch.isspace()) and ch not in _KEPT:
            continue  # punctuation, separators, controls, surrogates: dropped
        norm = unicodedata.normalize("NFKC", ch).lower()
        if len(norm) != 1:
            norm = ch.lower() if len(ch.lower()) == 1 else ch
        if unicodedata.category(norm)[0] in "PZC" and norm not in _KEPT:
            continue  # ＂ and friends: punctuation once NFKC has spoken
        table[cp] = ord(norm)
    return table


def codepoints(text: str) -> np.ndarray:
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)


def normalise(text: str, boilerplate: Sequence[str] = ()) -> Tuple[str, np.ndarray]:
    """(normalised text, offsets into ``text`` of each normalised character)."""
    cps = codepoints(text)
    table = _table()
    bmp = cps < 0x10000
    mapped = np.where(bmp, table[np.where(bmp, cps, 0)], cps)
    numeric = np.zeros(len(cps), dtype=bool)
    for m in _NUMBERS.finditer(text):
        numeric[m.start():m.end()] = True
    mapped[numeric] = ord(NUMBER)
    # A number is one character: drop every numeric character that follows one.
    # (after spaces and line breaks are gone: "12\n3" copied from "123" is one number too).
    offsets = np.nonzero(mapped != _DELETE)[0].astype(np.int32)
    kept = mapped[offsets]
    is_num = kept == ord(NUMBER)
    follows = np.zeros(len(kept), dtype=bool)
    follows[1:] = is_num[1:] & is_num[:-1]
    offsets, kept = offsets[~follows], kept[~follows]
    norm = kept.tobytes().decode("utf-32-le", "surrogatepass")
    if boilerplate:
        norm, offsets = _remove(norm, offsets, boilerplate)
    return norm, offsets


def _remove(norm: str, offsets: np.ndarray, boilerplate: Sequence[str]):
    drop = np.zeros(len(norm), dtype=bool)
    hit = False
    for phrase in boilerplate:
        i = norm.find(phrase)
        while i != -1:
            drop[i:i + len(phrase)] = True
            hit = True
            i = norm.find(phrase, i + len(phrase))
    if not hit:
        return norm, offsets
    keep = ~drop
    kept = codepoints(norm)[keep].tobytes().decode("utf-32-le", "surrogatepass")
    return kept, offsets[keep]


def normalise_phrase(phrase: str) -> str:
    """A boilerplate entry as it appears in normalised text."""
    return normalise(phrase)[0]
