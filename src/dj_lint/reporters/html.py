"""--format html: one self-contained review page (no network, no external assets).

The page embeds the text of each file and its findings as JSON; a small script
renders the text with every finding highlighted where it stands. Findings may
overlap, so the text is cut at every finding boundary and each piece is wrapped
in one <mark data-f=N> per finding covering it: the pieces of finding N, read in
order, are exactly its text.
"""
from __future__ import annotations

import html
import json

from ..text.inert import visible
from .text import SEVERITY_NAMES

CATEGORY_NAMES = {
    "placeholder": "未填空白", "mask": "屏蔽字", "watermark": "网站水印", "obsolete": "过时提法",
    "formulation": "规范表述", "structure": "结构", "typo": "错别字", "garble": "乱码",
    "punctuation": "标点", "number": "数字用法", "privacy": "个人信息", "copy": "雷同",
}
COLOURS = {
    "placeholder": "#ffd54f", "mask": "#ffab91", "watermark": "#b0bec5", "obsolete": "#ce93d8",
    "formulation": "#f48fb1", "structure": "#80cbc4", "typo": "#ef9a9a", "garble": "#bcaaa4",
    "punctuation": "#a5d6a7", "number": "#90caf9", "privacy": "#ff8a80", "copy": "#fff176",
}

_CSS = """
body{font-family:"Noto Sans CJK SC","Source Han Sans SC","Microsoft YaHei","PingFang SC",sans-serif;
margin:0;color:#222;background:#fafafa}
header{background:#b71c1c;color:#fff;padding:12px 24px}header h1{margin:0;font-size:20px}h2{font-size:17px;margin:4px 0 8px}
header p{margin:4px 0 0}
.wrap{display:flex;gap:16px;padding:16px 24px;align-items:flex-start}
aside{position:sticky;top:8px;width:370px;flex:none;max-height:96vh;overflow:auto}
main{flex:1;min-width:0}
section.box{background:#fff;border:1px solid #ddd;border-radius:6px;padding:10px 14px;margin-bottom:14px}
table{border-collapse:collapse;font-size:13px}td,th{border:1px solid #ddd;padding:3px 6px;text-align:right;white-space:nowrap}
th:first-child,td:first-child{text-align:left}
.filters label{display:inline-block;margin:2px 8px 2px 0;font-size:13px;cursor:pointer}
.swatch{display:inline-block;width:10px;height:10px;border-radius:2px;margin-right:3px}
pre.text{white-space:pre-wrap;word-break:break-all;font-family:inherit;font-size:15px;line-height:1.9;
background:#fff;border:1px solid #ddd;border-radius:6px;padding:12px 16px}
mark{border-radius:2px;cursor:pointer;padding:0;color:inherit}
mark.sev-error{border-bottom:2px solid #c62828}mark.sev-warning{border-bottom:2px solid #ef6c00}
mark.sev-info{border-bottom:1px dashed #1565c0}
mark.current{outline:2px solid #1a237e}
ol.findings{font-size:13px;padding-left:22px;max-height:320px;overflow:auto}
ol.findings li{margin:2px 0}ol.findings a{color:#1a237e;text-decoration:none}
.rule{font-family:monospace;color:#555}.sugg{color:#2e7d32}
#detail .empty{color:#777}
.clean{color:#2e7d32}
"""

_JS = r"""
(function(){
  const data = JSON.parse(document.getElementById('dj-data').textContent);
  const SEV = {error:'错误', warning:'警告', info:'提示'};
  const detail = document.getElementById('detail');
  function show(fi, i){
    const f = data.files[fi].findings[i];
    document.querySelectorAll('mark.current').forEach(m => m.classList.remove('current'));
    document.querySelectorAll('mark[data-key="'+fi+'-'+i+'"]').forEach(m => m.classList.add('current'));
    detail.innerHTML = '';
    const add = (label, value) => { if (value === null || value === undefined) return;
      const p = document.createElement('p'); const b = document.createElement('b');
      b.textContent = label + '：'; p.appendChild(b); p.appendChild(document.createTextNode(value));
      detail.appendChild(p); };
    add('位置', f.location ? f.location.label : data.files[fi].path + ' 第 ' + f.line + ' 行第 ' + f.column + ' 列');
    add('规则', f.rule + ' ' + f.name); add('类别', data.categories[f.category] || f.category);
    add('级别', SEV[f.severity]); add('问题', f.message); add('原文', f.text);
    add('建议', f.suggestion);
    if (f.related) {   // copy: the same passage in the other document, and a jump to it
      const r = f.related;
      add('另一处', r.path + ' 第 ' + r.line + ' 行第 ' + r.column + ' 列');
      add('另一处原文', f.related_text);
      const fj = data.files.findIndex(x => x.path === r.path);
      const j = fj < 0 ? -1 : data.files[fj].findings.findIndex(g => g.line === r.line &&
        g.column === r.column && g.related && g.related.path === data.files[fi].path);
      if (j >= 0) {
        const a = document.createElement('a'); a.href = '#f' + fj + '-' + j; a.textContent = '跳到另一处';
        a.addEventListener('click', () => setTimeout(() => show(fj, j), 0));
        detail.appendChild(a);
      }
    }
  }
  data.files.forEach(function(file, fi){
    const pre = document.getElementById('text-' + fi);
    if (!pre) return;
    const cps = Array.from(file.text);          // offsets count code points
    const cuts = new Set([0, cps.length]);
    file.findings.forEach(f => { cuts.add(f.start); cuts.add(f.end); });
    const points = Array.from(cuts).sort((a, b) => a - b);
    // Longest findings outermost, so nested marks read naturally.
    const order = file.findings.map((f, i) => i)
      .sort((a, b) => (file.findings[b].end - file.findings[b].start) - (file.findings[a].end - file.findings[a].start) || a - b);
    const frag = document.createDocumentFragment();
    const first = new Set();
    for (let k = 0; k + 1 < points.length; k++) {
      const a = points[k], b = points[k + 1];
      let node = document.createTextNode(cps.slice(a, b).join(''));
      const active = order.filter(i => file.findings[i].start <= a && file.findings[i].end >= b);
      for (let j = active.length - 1; j >= 0; j--) {
        const i = active[j], f = file.findings[i];
        const m = document.createElement('mark');
        m.className = 'cat-' + f.category + ' sev-' + f.severity;
        m.dataset.f = i; m.dataset.key = fi + '-' + i;
        m.title = f.rule + ' [' + SEV[f.severity] + '] ' + f.message + (f.suggestion ? '　建议：' + f.suggestion : '');
        if (!first.has(i)) { m.id = 'f' + fi + '-' + i; first.add(i); }
        m.appendChild(node); node = m;
      }
      frag.appendChild(node);
    }
    pre.appendChild(frag);
    pre.addEventListener('click', function(ev){
      const m = ev.target.closest('mark'); if (m) show(fi, Number(m.dataset.f)); });
  });
  document.querySelectorAll('ol.findings a').forEach(a => a.addEventListener('click', function(){
    show(Number(a.dataset.file), Number(a.dataset.f)); }));
  document.querySelectorAll('.filters input').forEach(box => box.addEventListener('change', function(){
    document.body.classList.toggle('hide-' + box.value, !box.checked); }));
})();
"""



def _esc(s: str) -> str:
    """Data (file names, messages) as inert HTML text: control and bidi characters
    spelled out, so the page's source has no line a CI log could read as a command."""
    return html.escape(visible(s))

def _filter_css() -> str:
    rules = []
    for cat, colour in COLOURS.items():
        rules.append(f"mark.cat-{cat}{{background:{colour}}}")
        rules.append(f"body.hide-cat-{cat} mark.cat-{cat}{{background:none;border-bottom:none}}")
        rules.append(f"body.hide-cat-{cat} li.cat-{cat}{{display:none}}")
    for sev in SEVERITY_NAMES:
        rules.append(f"body.hide-sev-{sev} mark.sev-{sev}{{background:none;border-bottom:none}}")
        rules.append(f"body.hide-sev-{sev} li.sev-{sev}{{display:none}}")
    return "\n".join(rules)


def _summary_table(findings) -> str:
    counts = {}
    for f in findings:
        counts[(f.category, f.severity)] = counts.get((f.category, f.severity), 0) + 1
    head = "".join(f"<th>{SEVERITY_NAMES[s]}</th>" for s in SEVERITY_NAMES)
    rows = []
    for cat, name in CATEGORY_NAMES.items():
        cells = [counts.get((cat, s), 0) for s in SEVERITY_NAMES]
        if sum(cells):
            tds = "".join(f"<td>{c or ''}</td>" for c in cells)
            rows.append(f'<tr><td><span class="swatch" style="background:{COLOURS[cat]}"></span>'
                        f"{name}（{cat}）</td>{tds}<td>{sum(cells)}</td></tr>")
    total = "".join(f"<td>{sum(v for (c, s), v in counts.items() if s == sev)}</td>" for sev in SEVERITY_NAMES)
    rows.append(f"<tr><th>合计</th>{total}<th>{len(findings)}</th></tr>")
    return f"<table><tr><th>类别</th>{head}<th>合计</th></tr>{''.join(rows)}</table>"


def _filters() -> str:
    cats = "".join(f'<label><input type="checkbox" value="cat-{c}" checked>'
                   f'<span class="swatch" style="background:{COLOURS[c]}"></span>{n}</label>'
                   for c, n in CATEGORY_NAMES.items())
    sevs = "".join(f'<label><input type="checkbox" value="sev-{s}" checked>{n}</label>'
                   for s, n in SEVERITY_NAMES.items())
    return f'<div class="filters"><div>类别：{cats}</div><div>级别：{sevs}</div></div>'


def _file_section(fi, path, findings, has_text) -> str:
    esc = _esc
    if not findings:
        return (f'<section class="box" id="file-{fi}"><h2>{esc(path)}</h2>'
                f'<p class="clean">未发现问题。</p></section>')
    items = []
    for i, f in enumerate(findings):
        sugg = f'　<span class="sugg">建议：{esc(f.suggestion)}</span>' if f.suggestion else ""
        items.append(f'<li class="cat-{f.category} sev-{f.severity}"><a href="#f{fi}-{i}" data-file="{fi}" '
                     f'data-f="{i}">{_where(f)}</a> <span class="rule">{f.rule}</span> '
                     f'[{SEVERITY_NAMES[f.severity]}] {esc(f.message)}{sugg}</li>')
    text = f'<pre class="text" id="text-{fi}"></pre>' if has_text else ""
    return (f'<section class="box" id="file-{fi}"><h2>{esc(path)}（{len(findings)} 个问题）</h2>'
            f'<ol class="findings">{"".join(items)}</ol></section>{text}')


def _where(f) -> str:
    # A Word document's finding says where a Word user finds it.
    return _esc(f.location["label"]) if f.location else f"{f.line}:{f.column}"


def _offsets(lines, f):
    """Code-point offsets of ``f`` in "\\n".join(lines), from its line and column
    (the file's positions, which for Markdown differ from the checked text's)."""
    if lines is None:
        return f.start, f.end
    def at(line, col):
        return sum(len(x) + 1 for x in lines[:line - 1]) + col - 1
    return at(f.line, f.column), at(f.end_line, f.end_column)


def _related_text(where: dict, sources: dict):
    lines = sources.get(where["path"])
    if lines is None or where["end_line"] > len(lines):
        return None
    chunk = lines[where["line"] - 1:where["end_line"]]
    chunk[-1] = chunk[-1][:where["end_column"] - 1]
    chunk[0] = chunk[0][where["column"] - 1:]
    return "\n".join(chunk)


def _entry(f, sources, lines) -> dict:
    out = dict(f.as_dict(), **dict(zip(("start", "end"), _offsets(lines, f))))
    if f.related is not None:  # both sides of a copied passage on the page
        out["related_text"] = _related_text(f.related, sources)
    return out


def _pairs_box(similar) -> str:
    if similar is None:
        return ""
    esc = _esc
    rows = "".join(f"<tr><td>{esc(p['a'])}</td><td>{p['share_a']:.0%}</td><td>{esc(p['b'])}</td>"
                   f"<td>{p['share_b']:.0%}</td><td>{p['passages']}</td><td>{p['characters']}</td></tr>"
                   for p in similar["pairs"][:500])
    more = f"<p>另有 {len(similar['pairs']) - 500} 对未列出。</p>" if len(similar["pairs"]) > 500 else ""
    return (f'<section class="box"><h2>共有相同段落的材料（{len(similar["pairs"])} 对）</h2>'
            f"<table><tr><th>材料甲</th><th>相同比例</th><th>材料乙</th><th>相同比例</th><th>段数</th>"
            f"<th>字数</th></tr>{rows}</table>{more}</section>")


def render(report, options=None) -> str:
    by_path = {}
    for f in report.findings:
        by_path.setdefault(f.path, []).append(f)
    paths = list(report.paths) or sorted(by_path)
    files, sections, nav = [], [], []
    for fi, path in enumerate(paths):
        found = by_path.get(path, [])
        lines = report.sources.get(path)
        files.append({
            "path": path,
            "text": "\n".join(lines) if lines is not None else "",
            "findings": [_entry(f, report.sources, lines) for f in found],
        })
        sections.append(_file_section(fi, path, found, lines is not None))
        nav.append(f'<li><a href="#file-{fi}">{_esc(path)}</a>（{len(found)}）</li>')
    data = {"files": files, "categories": CATEGORY_NAMES}
    # ASCII-only JSON: safe inside <script> and for undecodable bytes (lone surrogates).
    # Every < > & escaped too: "<!--<script>" in a document would otherwise put the
    # HTML tokenizer into its double-escaped state and swallow the closing tag.
    payload = (json.dumps(data, ensure_ascii=True).replace("<", "\\u003c")
               .replace(">", "\\u003e").replace("&", "\\u0026"))
    errors = "".join(f"<li>{_esc(e.path)}：{_esc(e.message)}</li>" for e in report.errors)
    errors_box = f'<section class="box"><h2>无法读取的文件</h2><ul>{errors}</ul></section>' if errors else ""
    return f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>dj-lint 检查报告</title>
<style>{_CSS}{_filter_css()}</style></head>
<body>
<header><h1>dj-lint 检查报告</h1>
<p>{len(report.findings)} 个问题，涉及 {len(by_path)} 个文件（共检查 {report.files} 个文件）；依据日期 {report.as_of}；dj-lint {report.version}</p></header>
<div class="wrap">
<aside><section class="box"><h2>汇总</h2>{_summary_table(report.findings)}</section>
<section class="box"><h2>筛选</h2>{_filters()}</section>
<section class="box"><h2>文件</h2><ul>{"".join(nav)}</ul></section>
<section class="box" id="detail"><p class="empty">点击高亮处或列表中的位置查看详情。</p></section></aside>
<main>{errors_box}{_pairs_box(report.similar)}{"".join(sections)}</main>
</div>
<script type="application/json" id="dj-data">{payload}</script>
<script>{_JS}</script>
</body></html>
"""
