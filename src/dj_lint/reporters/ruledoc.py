"""What a rule is, told once: `--explain`, the rule reference site (docs/) and the
README's category table all come from here.

Everything is read from the rule packs (Rule objects) and the document types
(rules/data/doc_types.yaml); nothing is listed by hand, so a rule added to a
pack has its page, its `--explain` and its place in the tables at once.

    python -m dj_lint.reporters.ruledoc site DIR     # the reStructuredText pages Sphinx builds
    python -m dj_lint.reporters.ruledoc readme       # the README's category table (Markdown)
"""
from __future__ import annotations

import difflib
import os
import re
import sys
from typing import Dict, Iterable, List, Optional

from ..doctypes import load_types
from ..model.findings import CATEGORIES
from ..packs.loader import load_shipped

SEVERITY_NAMES = {"error": "错误", "warning": "警告", "info": "提示"}
# Category: (Chinese name, what it covers). The set of categories is findings.CATEGORIES.
CATEGORY_INFO = {
    "placeholder": ("占位符", "未填写的空格和模板占位符：`____年`、`20xx年`、`XX市`、`**区`、`####市`、`共有中小学校 所`"),
    "mask": ("屏蔽符", "词语中间的屏蔽符号：`学*****重要思想`、`加**部队伍`"),
    "watermark": ("水印", "从范文网站复制带来的网站名、版权声明和页面杂项"),
    "obsolete": ("过时提法", "以 `--as-of` 日期衡量已经过时、却当作现行提法使用的表述"),
    "formulation": ("规范表述", "规范表述的字词写错，或列举不全、顺序不对"),
    "structure": ("结构", "缺少文种必备的部分、落款或日期，标题编号错误"),
    "typo": ("错别字", "错别字和重复的字词"),
    "garble": ("乱码", "乱码、HTML 与标记残留、无法解码的字节"),
    "punctuation": ("标点", "中文里的半角标点、不成对的括号引号、重复标点、断行"),
    "number": ("数字用法", "数字用法（GB/T 15835）：余/约/左右误用、`30 %`、缺少单位、落款日期"),
    "privacy": ("个人信息", "身份证号（校验位正确）、手机号、银行卡号"),
    "copy": ("雷同", "与另一份文件或参考文集相同的段落（`dj-lint similar`）"),
}
FIX_ACTIONS = {"replace": "替换为建议写法", "delete": "删除匹配的文字", "delete-line": "删除所在的整行"}
DEFAULT_AS_OF = "2026-11-21"  # the date tests/test_examples.py judges an example by


# -- the facts of one rule ---------------------------------------------------
def category_name(category: str) -> str:
    return CATEGORY_INFO.get(category, (category, ""))[0]


def authority(rule) -> str:
    return (getattr(rule, "authority", "") or rule.source or "").strip()


def fix_text(rule) -> str:
    if not rule.fix:
        return "无自动修复：需要人工修改"
    action = FIX_ACTIONS.get(rule.fix.get("action"), rule.fix.get("action"))
    if rule.fix.get("safety", "safe") == "safe":
        return f"安全修复（{action}）：dj-lint --fix 会应用"
    return f"不安全修复（{action}，通常正确但不总是）：dj-lint --fix --unsafe-fixes 才会应用"


def _matches(ex) -> List[str]:
    m = ex.get("match")
    return list(m) if isinstance(m, list) else [m]


def examples(rule) -> List[dict]:
    """Each example as {which, text, matches, as_of, fixed, doc_type, path}."""
    out = []
    for which in ("bad", "good"):
        for ex in rule.examples.get(which, []):
            ex = ex if isinstance(ex, dict) else {"text": ex}
            out.append({
                "which": which, "text": str(ex["text"]),
                "matches": [str(m) for m in _matches(ex)] if which == "bad" else [],
                "as_of": str(ex.get("as_of") or DEFAULT_AS_OF),
                "fixed": ex.get("fixed"), "doc_type": ex.get("doc_type"), "path": ex.get("path"),
            })
    return out


# -- --explain ------------------------------------------------------------------
def explain_rule(rule) -> str:
    out = [f"{rule.id} {rule.name}",
           f"类别：{rule.category}（{category_name(rule.category)}）  "
           f"级别：{SEVERITY_NAMES.get(rule.severity, rule.severity)}  检查方式：{rule.kind}",
           f"提示：{rule.message}"]
    if rule.description:
        out.append(f"说明：{rule.description.strip()}")
    if authority(rule):
        out.append(f"依据：{authority(rule)}")
    out.append(f"自动修复：{fix_text(rule)}")
    if getattr(rule, "same_span_defer_to", None):
        yields = "、".join(f"{w}（{category_name(w)}）" if w in CATEGORY_INFO else w
                           for w in rule.same_span_defer_to)
        out.append(f"同位让位：同一段文字已有 {yields} 的问题时，本规则不再重复报告")
    exs = examples(rule)
    out.append("应报告的示例：")
    for ex in (e for e in exs if e["which"] == "bad"):
        shown = "、".join(f"“{m}”" for m in ex["matches"])
        out.append(f"  ✗ {_one_line(ex['text'])}    → {shown}（判断日期 {ex['as_of']}）")
        if ex["fixed"] is not None:
            out.append(f"    修复后：{_one_line(ex['fixed'])}")
    out.append("不应报告的示例：")
    for ex in (e for e in exs if e["which"] == "good"):
        out.append(f"  ✓ {_one_line(ex['text'])}（判断日期 {ex['as_of']}）")
    return "\n".join(out) + "\n"


def explain_category(category: str, rules) -> str:
    name, covers = CATEGORY_INFO.get(category, (category, ""))
    out = [f"{category}（{name}）：{_plain(covers)}", ""]
    for r in sorted((r for r in rules if r.category == category), key=lambda r: r.id):
        out.append(f"{r.id:<7} {SEVERITY_NAMES[r.severity]:<3} {r.name}")
    out.append("")
    out.append("用 dj-lint --explain 规则编号 查看一条规则的详情")
    return "\n".join(out) + "\n"


class NoSuchRule(LookupError):
    """str() is the one line shown to the user, with the nearest rule if any."""


def explain(rules, wanted: str) -> str:
    """A rule by id (any case) or name, or a category: the text --explain prints."""
    key = wanted.strip()
    for r in rules:
        if key.upper() == r.id.upper() or key.lower() == r.name.lower():
            return explain_rule(r)
    if key.lower() in {r.category for r in rules} or key.lower() in CATEGORY_INFO:
        return explain_category(key.lower(), rules)
    raise NoSuchRule(f"没有这条规则或类别：{wanted}{nearest_hint(rules, key)}")


def nearest_hint(rules, key: str) -> str:
    names = {}
    for r in rules:
        names[r.id.lower()] = r.id
        names[r.name.lower()] = f"{r.id} {r.name}"
    for c in {r.category for r in rules}:
        names[c] = f"类别 {c}"
    close = difflib.get_close_matches(key.lower(), list(names), n=1, cutoff=0.6)
    if close:
        return f"。是不是指 {names[close[0]]}？"
    return "（用 --list-rules 查看全部规则）"


# -- the README's category table ---------------------------------------------------
def readme_table() -> str:
    lines = ["| category | 类别 | what it covers（检查什么） | reference |", "| --- | --- | --- | --- |"]
    for c in CATEGORIES:
        name, covers = CATEGORY_INFO.get(c, (c, ""))
        lines.append(f"| {c} | {name} | {covers} | `docs/` → {c} |")
    return "\n".join(lines) + "\n"


# -- the reference site (reStructuredText for Sphinx) --------------------------------
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f\ud800-\udfff]")


def _visible(s: str) -> str:
    return _CONTROL.sub(lambda m: "\\x%02x" % (ord(m.group()) & 0xFF), s)


def _one_line(s: str) -> str:
    return _visible(s).replace("\n", "↵")


def _plain(md: str) -> str:
    return md.replace("`", "")


def rst_escape(s: str) -> str:
    """Inline text that reStructuredText shows as written."""
    s = re.sub(r"(?<=[^\x00-\x7f])\n(?=[^\x00-\x7f])", "", _visible(s)).replace("\n", " ")
    return re.sub(r"([\\`*_|\[\]<>:])", r"\\\1", s)


def _literal(s: str) -> str:
    """An inline literal; backquotes cannot be escaped in one, so they are spelled out."""
    s = _one_line(s)
    if not s:
        return "（空）"
    if not s.strip() or s != s.strip() or "  " in s:
        s = s.replace(" ", "␠")  # spaces that matter, shown
    if "`" in s:
        return rst_escape(s)
    return f"``{s}``"


def _block(text: str, indent: str = "   ") -> List[str]:
    lines = _visible(text).split("\n")
    return ["::", ""] + [indent + line if line.strip() else "" for line in lines] + [""]


def _title(text: str, ch: str) -> List[str]:
    width = sum(2 if ord(c) > 0x2E7F else 1 for c in text)
    return [text, ch * max(width, 3), ""]


def _md_inline(md: str) -> str:
    """The Markdown `code` of CATEGORY_INFO as reStructuredText literals."""
    parts = md.split("`")
    return "".join(_literal(p) if i % 2 else rst_escape(p) for i, p in enumerate(parts))


def rule_page(rule) -> str:
    out = _title(f"{rule.id} {rule.name}", "=")
    out += [
        f":类别: :doc:`../categories/{rule.category}` （{rst_escape(category_name(rule.category))}）",
        f":级别: {SEVERITY_NAMES.get(rule.severity, rule.severity)} （``{rule.severity}``）",
        f":检查方式: ``{rule.kind}``",
        f":自动修复: {rst_escape(fix_text(rule))}",
        f":规则文件: ``{rule.origin}``",
        "",
    ]
    out += _title("查什么", "-") + [rst_escape(rule.description.strip()) if rule.description
                                    else "（规则文件没有写说明，见下面的提示和示例。）", ""]
    out += ["提示（``{text}`` 是匹配到的文字）：", ""] + _block(rule.message)
    out += _title("依据", "-") + [rst_escape(authority(rule)) or "（规则文件没有写依据。）", ""]
    out += _title("应报告的写法", "-")
    for ex in (e for e in examples(rule) if e["which"] == "bad"):
        out += _example(ex)
        out.append("报告：" + "、".join(_literal(m) for m in ex["matches"]))
        out.append("")
        if ex["fixed"] is not None:
            out += ["修复后："] + [""] + _block(ex["fixed"])
    out += _title("不应报告的写法", "-")
    for ex in (e for e in examples(rule) if e["which"] == "good"):
        out += _example(ex)
    out += _title("关闭或调整", "-")
    out += [f"命令行 ``--ignore {rule.id}`` 或配置 ``ignore: [{rule.id}]`` 关闭这条规则；"
            f"``severity: {{{rule.id}: info}}`` 调整级别；"
            f"文中 ``<!-- dj-lint-disable-next-line {rule.id} -->`` 只放过下一行，"
            f"行尾的 ``<!-- dj-lint-disable-line {rule.id} -->`` 只放过它所在的一行。", ""]
    return "\n".join(out)


def _example(ex) -> List[str]:
    facts = [f"判断日期 {ex['as_of']}"]
    if ex["doc_type"]:
        facts.append(f"文种 ``{ex['doc_type']}``")
    if ex["path"]:
        facts.append(f"文件名 {_literal(ex['path'])}")
    mark = "✗" if ex["which"] == "bad" else "✓"
    return [f"{mark} （{'，'.join(facts)}）", ""] + _block(ex["text"])


def category_page(category: str, rules) -> str:
    name, covers = CATEGORY_INFO.get(category, (category, ""))
    out = _title(f"{category}（{name}）", "=") + [_md_inline(covers) or rst_escape(category), ""]
    mine = sorted((r for r in rules if r.category == category), key=lambda r: r.id)
    out += _rule_table(mine)
    if mine:
        out += [".. toctree::", "   :hidden:", ""] + [f"   ../rules/{r.id}" for r in mine] + [""]
    return "\n".join(out)


def _rule_table(rules) -> List[str]:
    if not rules:
        return ["（这一类还没有规则。）", ""]
    out = [".. list-table::", "   :header-rows: 1", "", "   * - 规则", "     - 名称", "     - 级别",
           "     - 自动修复"]
    for r in rules:
        out += [f"   * - :doc:`../rules/{r.id}`", f"     - ``{r.name}``",
                f"     - {SEVERITY_NAMES.get(r.severity, r.severity)}",
                f"     - {'无' if not r.fix else r.fix.get('safety', 'safe')}"]
    return out + [""]


def doctype_page(doctype, rules) -> str:
    out = _title(f"{doctype.name}（{doctype.id}）", "=")
    out += [f"``--doc-type {doctype.id}``；落款：``{doctype.signature}``。", ""]
    out += ["从标题识别（正则表达式）：", ""]
    out += [f"- {_literal(p.pattern if hasattr(p, 'pattern') else str(p))}" for p in doctype.title] + [""]
    out += _title("应有的部分", "-")
    if not doctype.sections:
        out += ["（没有必备部分。）", ""]
    for s in doctype.sections:
        need = "必备" if s.required else "可有"
        out += [f"- **{rst_escape(s.name)}** （{need}）：{rst_escape(s.expect)}"]
    out += [""] + _title("适用的结构规则", "-")
    out += _rule_table(sorted((r for r in rules if r.category == "structure"), key=lambda r: r.id))
    return "\n".join(out)


def site_pages(rules, doctypes) -> Dict[str, str]:
    """{relative path: reStructuredText} of every generated page."""
    pages = {}
    for r in rules:
        pages[f"rules/{r.id}.rst"] = rule_page(r)
    cats = [c for c in CATEGORIES] + sorted({r.category for r in rules} - set(CATEGORIES))
    for c in cats:
        pages[f"categories/{c}.rst"] = category_page(c, rules)
    for t in doctypes:
        pages[f"doctypes/{t.id}.rst"] = doctype_page(t, rules)
    index = _title("规则参考", "=") + [
        "由规则包（``rules/*.yaml``）和文种数据（``rules/data/doc_types.yaml``）生成，"
        "与 ``dj-lint --explain`` 同源。", ""]
    index += _title("按类别", "-") + [".. toctree::", "   :maxdepth: 1", ""]
    index += [f"   categories/{c}" for c in cats] + [""]
    index += _title("按文种", "-") + [".. toctree::", "   :maxdepth: 1", ""]
    index += [f"   doctypes/{t.id}" for t in doctypes] + [""]
    index += _title("全部规则", "-") + _rule_table(sorted(rules, key=lambda r: r.id))
    pages["index.rst"] = "\n".join(index).replace(":doc:`../rules/", ":doc:`rules/")
    return pages


def write_site(outdir: str, rules=None, doctypes=None) -> List[str]:
    """Write the pages under outdir (emptied of old .rst first); returns their paths."""
    if rules is None:
        rules = [r for r in load_shipped() if r.enabled]
    if doctypes is None:
        doctypes = load_types()
    for sub in ("rules", "categories", "doctypes"):
        folder = os.path.join(outdir, sub)
        os.makedirs(folder, exist_ok=True)
        for name in os.listdir(folder):
            if name.endswith(".rst"):
                os.remove(os.path.join(folder, name))
    written = []
    for rel, text in site_pages(rules, doctypes).items():
        path = os.path.join(outdir, rel)
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(text)
        written.append(path)
    return written


def main(argv: Optional[Iterable[str]] = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["site"] and len(argv) == 2:
        print(f"{len(write_site(argv[1]))} 个页面已写入 {argv[1]}")
        return 0
    if argv == ["readme"]:
        sys.stdout.write(readme_table())
        return 0
    sys.stderr.write("用法：python -m dj_lint.reporters.ruledoc site 目录 | readme\n")
    return 2


if __name__ == "__main__":
    sys.exit(main())
