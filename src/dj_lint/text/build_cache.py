"""The build cache: what every start would otherwise rebuild, kept between runs.

One file per build, ``build-<key>.pickle`` in the user's cache folder
(text/cachedir.py), holding named *products*: the validated shipped rules, the
document types and page layout (with their compiled patterns), the byteshift
candidate table, tables derived from the vocabulary and jieba's dictionary.
A product is built by its owner on first use (``product(name, build)``) and
written when the run ends. Each product is pickled on its own inside the file,
and a run unpickles only the products it asks for. ``memo(name, arg, compute)``
keeps a table of derived values keyed by their whole input (a pattern's
anchors by its source and flags) that grows as new inputs come.

The key is a SHA-256 over everything a product may depend on:

- the cache format, dj-lint's version, Python's version, ``regex``'s version;
- dj-lint's own code: the path, size and modification time of every module of
  the package (an edited checkout is a new build);
- the *contents* of every file of the shipped rule packs (``dj_lint.rules``,
  YAML packs and data files);
- jieba's dictionary file and its ``__init__.py`` (path, size, modification time).

What is trusted and why: a pickle is code, so the file is read only when it and
its folder are owned by this user and writable by nobody else; it starts with
a magic line and the CRC-32 of the pickled payload (which holds every product's
pickled bytes), checked before unpickling anything
(a truncated, corrupted or half-edited file is rejected, never unpickled), and
the payload names the key it was built for, which must equal this run's key.
The checksum guards against damage, not against a forger (the ownership
checks do that: see below), so it need not be a cryptographic hash: a CRC-32
of the 3 MB build file and the separate products a run reads (8.5 MB) takes
about a third of a SHA-256's time on a CPU with SHA instructions, a tenth or
less on one without.
Anything that fails is ignored: the products are rebuilt and the file is
replaced atomically. A user who can write their own cache folder can also
edit dj-lint itself, so the cache adds no new way in. ``DJ_LINT_NO_CACHE=1``
turns the cache off (everything is built in memory).
"""
from __future__ import annotations

import atexit
import hashlib
import importlib.util
import os
import pickle
import sys
import zlib
from typing import Callable, Dict, Optional, TypeVar

from .. import __version__
from . import cachedir

FORMAT = 3  # 2: each product pickled on its own inside the file (unpickled when used); 3: CRC-32
MAGIC = b"dj-lint build cache %d\n" % FORMAT
_CHECK = 4  # bytes of the payload's checksum after MAGIC
T = TypeVar("T")

_KEY: Optional[str] = None
_PRODUCTS: Optional[Dict[str, object]] = None
_DIRTY = False
_SAVE_REGISTERED = False
BUILT: list = []  # products this process built itself (tests read it)


def _package_root() -> str:
    return os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def rules_folder() -> Optional[str]:
    """The installed folder of the package dj_lint.rules, from its import spec (None
    when it is not installed); text/data.rules_root is the one callers use."""
    spec = importlib.util.find_spec("dj_lint.rules")
    if spec is None or not spec.submodule_search_locations:
        return None
    return list(spec.submodule_search_locations)[0]


def jieba_dict_path() -> Optional[str]:
    """jieba's main dictionary (dict.txt), found without importing jieba."""
    try:
        spec = importlib.util.find_spec("jieba")
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.origin:
        return None
    return os.path.join(os.path.dirname(spec.origin), "dict.txt")


def _walk(root: str, rel: str = ""):
    """(DirEntry, path relative to root) of every file below root, in a fixed order."""
    try:
        entries = sorted(os.scandir(root), key=lambda e: e.name)
    except OSError:
        return
    for e in entries:
        if e.name == "__pycache__" or e.name.startswith("."):
            continue
        if e.is_dir(follow_symlinks=False):
            yield from _walk(e.path, rel + e.name + "/")
        elif e.is_file():
            yield e, rel + e.name


def compute_key() -> str:
    h = hashlib.sha256()
    py = "%d.%d.%d" % sys.version_info[:3]
    import regex
    h.update(f"format={FORMAT}|dj-lint={__version__}|python={py}|regex={regex.__version__}\n".encode())
    for entry, rel in _walk(_package_root()):
        if rel.endswith(".py"):
            try:
                st = entry.stat()
            except OSError:
                continue
            h.update(f"code {rel} {st.st_size} {st.st_mtime_ns}\n".encode())
    rules = rules_folder()
    if rules:
        for entry, rel in _walk(rules):
            if rel.endswith((".py", ".pyc")):
                continue
            try:
                with open(entry.path, "rb") as fh:
                    data = fh.read()
            except OSError:
                continue
            h.update(f"rules {rel} {len(data)}\n".encode())
            h.update(data)
    jd = jieba_dict_path()
    for path in (jd, os.path.join(os.path.dirname(jd), "__init__.py") if jd else None):
        try:
            st = os.stat(path) if path else None
        except OSError:
            st = None
        h.update(f"jieba {path} {st.st_size if st else -1} {st.st_mtime_ns if st else -1}\n".encode())
    return h.hexdigest()


def jieba_version() -> str:
    """The installed jieba's ``__version__``, read from its source once per build
    (the key covers that file), without importing it; '' when unknown."""
    def build():
        import re
        jd = jieba_dict_path()
        try:
            with open(os.path.join(os.path.dirname(jd), "__init__.py"), encoding="utf-8") as fh:
                m = re.search(r"^__version__\s*=\s*['\"]([^'\"]+)['\"]", fh.read(), re.M)
        except (OSError, TypeError, ValueError):
            return ""
        return m.group(1) if m else ""
    return product("jieba-version", build)


def key() -> str:
    global _KEY
    if _KEY is None:
        _KEY = compute_key()
    return _KEY


def known_key() -> Optional[str]:
    """This run's key if something has asked for it already (None: not computed)."""
    return _KEY


def cache_file() -> Optional[str]:
    if not cachedir.enabled():
        return None
    folder = cachedir.cache_dir()
    return os.path.join(folder, f"build-{key()[:32]}.pickle") if folder else None


def decode(raw: Optional[bytes], expected_key: str) -> Optional[Dict[str, bytes]]:
    """The products in a cache file's bytes, each still pickled (unpickled by
    ``product`` when first asked for), or None when anything is off."""
    if not raw or not raw.startswith(MAGIC):
        return None
    # The payload read in place, not copied (near_miss's 5 MB arrays: a copy and
    # its fresh pages were 3 ms of a fresh process's load).
    check, payload = raw[len(MAGIC):len(MAGIC) + _CHECK], memoryview(raw)[len(MAGIC) + _CHECK:]
    if _checksum(payload) != check:
        return None
    try:
        data = pickle.loads(payload)
    except Exception:
        return None
    if not (isinstance(data, dict) and data.get("key") == expected_key
            and isinstance(data.get("products"), dict)
            and all(isinstance(k, str) and isinstance(v, bytes) for k, v in data["products"].items())):
        return None
    return data["products"]


def unpack(raw: bytes):
    """(key, {name: value}) of a cache file whatever its key (tests and tools;
    the checksum is checked, the key is not)."""
    payload = raw[len(MAGIC) + _CHECK:]
    data = pickle.loads(payload)
    found = decode(raw, data["key"])
    if found is None:
        raise ValueError("not a build cache file")
    return data["key"], {name: pickle.loads(blob) for name, blob in found.items()}


def encode(products: Dict[str, object], for_key: str, pickled: Optional[Dict[str, bytes]] = None) -> bytes:
    """A cache file's bytes: every product pickled on its own (a run unpickles only
    those it uses), ``pickled`` ones as they were read; one checksum over all."""
    blobs = dict(pickled or {})
    for name, value in products.items():
        blobs[name] = pickle.dumps(value, protocol=5)
    payload = pickle.dumps({"key": for_key, "products": blobs}, protocol=5)
    return MAGIC + _checksum(payload) + payload


def _checksum(payload) -> bytes:
    """A cache file's check of its payload (``_CHECK`` bytes)."""
    return zlib.crc32(payload).to_bytes(_CHECK, "big")


_RAW: Optional[Dict[str, bytes]] = None   # the file's products as read, still pickled
_CHANGED: set = set()                     # products to pickle again at exit


def _products() -> Dict[str, object]:
    global _PRODUCTS, _RAW
    if _PRODUCTS is None:
        _PRODUCTS, _RAW = {}, {}
        path = cache_file()
        if path:
            found = decode(cachedir.read_trusted(path), key())
            if found is not None:
                _RAW = found
                cachedir.touch(path)
    return _PRODUCTS


def cold() -> bool:
    """True when this run found no usable cache file for its build (the first run
    of a new dj-lint, rule pack or Python): it is about to build every product."""
    _products()
    return cachedir.enabled() and not _RAW


def product(name: str, build: Callable[[], T], separate: bool = False) -> T:
    """The product ``name`` of this build: from the cache, else ``build()``
    (kept for the rest of the run and written to the cache at exit).
    ``build`` must depend only on what the key covers. A ``separate`` product
    (large, needed by few runs) has a file of its own, read only when asked for."""
    if separate:
        return _separate(name, build)
    products = _products()
    if name in products:
        return products[name]  # type: ignore[return-value]
    blob = _RAW.get(name) if _RAW else None
    if blob is not None:
        try:
            value = products[name] = pickle.loads(blob)
            return value
        except Exception:  # checksum-checked, so only an unpicklable class: build it again
            pass
    value = build()
    products[name] = value
    BUILT.append(name)
    _changed(name)
    return value


def set_state(obj, state: dict) -> None:
    """``__setstate__`` for a class whose instances the cache holds: an attribute
    at a time (``object.__setattr__``, frozen dataclasses too). pickle's own way
    puts the state into the instance's ``__dict__``, which Python 3.11 then keeps
    as a dict of its own: no attribute read of the instance is specialised
    (callgrind: about 270 instructions more a read; AnyOf.found_in 5,470 -> 3,870
    instructions a call)."""
    for key, value in state.items():
        object.__setattr__(obj, key, value)


def _changed(name: str) -> None:
    global _DIRTY
    _CHANGED.add(name)
    if cachedir.enabled():
        _DIRTY = True
        _register()


def memo(name: str, arg, compute: Callable[[], T], limit: int = 20000) -> T:
    """``compute()``'s value for ``arg`` in the table ``name`` of this build (a
    product that grows): for derived data keyed by its whole input, such as a
    pattern's anchors keyed by its source and flags. ``compute`` must depend only
    on ``arg`` and on what the key covers (dj-lint's code)."""
    table = product(name, dict)
    try:
        return table[arg]
    except KeyError:
        pass
    value = compute()
    if len(table) < limit:  # a user pack edited in a loop must not grow the file without end
        table[arg] = value
        _changed(name)
    return value


_NONE = object()
_SEPARATE: Dict[str, object] = {}
_SEPARATE_DIRTY: Dict[str, object] = {}


def _register() -> None:
    global _SAVE_REGISTERED
    if not _SAVE_REGISTERED:
        _SAVE_REGISTERED = True
        atexit.register(save)


def _separate_file(name: str) -> Optional[str]:
    path = cache_file()
    if not path:
        return None
    return path[:-len(".pickle")] + "-" + hashlib.sha256(name.encode("utf-8")).hexdigest()[:16] + ".pickle"


def _separate(name: str, build):
    if name in _SEPARATE:
        return _SEPARATE[name]
    path = _separate_file(name)
    found = decode(cachedir.read_trusted(path), key() + "/" + name) if path else None
    value = _NONE
    if found is not None and name in found:
        try:
            value = pickle.loads(found[name])
            cachedir.touch(path)
        except Exception:
            value = _NONE
    if value is _NONE:
        value = build()
        BUILT.append(name)
        if path:
            _SEPARATE_DIRTY[name] = value
            _register()
    _SEPARATE[name] = value
    return value


def forget(name: str) -> None:
    """Drop a separate product from this process's memory (read again from its file
    if asked again): for a product its one user holds only as long as it needs it.
    One built in this run stays until ``save`` has written it."""
    if name not in _SEPARATE_DIRTY:
        _SEPARATE.pop(name, None)


def save() -> None:
    """Write the cache if this run built products it did not hold (at exit: never
    a traceback, a failed write only means the next run builds again)."""
    try:
        _save()
    except Exception:
        pass


def _save() -> None:
    global _DIRTY
    for name, value in list(_SEPARATE_DIRTY.items()):
        del _SEPARATE_DIRTY[name]
        path = _separate_file(name)
        try:
            payload = encode({name: value}, key() + "/" + name)
        except Exception:
            continue
        if path:
            cachedir.write_atomic(path, payload)
    if not _DIRTY or _PRODUCTS is None:
        return
    _DIRTY = False
    path = cache_file()
    if not path:
        return
    # Products read from the file and not changed are written back as they were read.
    kept = {n: b for n, b in (_RAW or {}).items() if n not in _CHANGED}
    try:
        payload = encode({n: _PRODUCTS[n] for n in _CHANGED if n in _PRODUCTS}, key(), kept)
    except Exception:  # a product that does not pickle: no cache, same results
        return
    cachedir.write_atomic(path, payload)
