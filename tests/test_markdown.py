"""Markdown read as Markdown (markdown-it-py): notation is not prose, the prose
inside emphasis and link labels is, and positions are exact in the file."""
import json

from conftest import run_cli
from dj_lint.text.document import Document

# Notation that a plain-text reading took for placeholders, masks and blanks.
CLEAN = """---
title: 第二党支部2025年度工作总结
template: ____年 XX单位
---

# 第二党支部2025年度工作总结

**深入学习贯彻党的二十大精神**，支部全年开展*主题党日*活动12次。

记录人：__张明__。会议纪要存于[支部工作台账](http://example.cn/____/xx_20xx.html "XX")。

配置项`DJ201_____年`不是正文。<span title="XX单位 ____年">说明</span>

```
模板：____年____月，XX市XX区
```

    缩进代码：20xx年 XX市

<div class="note">
XX单位 ____年
</div>

***

<http://example.cn/XX/____>
"""


def _findings(tmp_path, name, text, *args):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    r = run_cli("--format", "json", *args, str(path))
    assert b"Traceback" not in r.stderr, r.stderr.decode()
    return json.loads(r.stdout)["findings"], text


def test_notation_is_not_linted(tmp_path):
    found, _ = _findings(tmp_path, "report.md", CLEAN, "--select", "placeholder,mask,garble,watermark")
    assert found == []


def test_the_same_text_as_plain_text_is_not_clean(tmp_path):
    # The notation is what a plain-text reading reports: the Markdown reading is what changes it.
    found, _ = _findings(tmp_path, "report.txt", CLEAN, "--select", "placeholder,mask")
    assert len(found) > 5


def test_defects_inside_emphasis_and_link_labels_at_exact_positions(tmp_path):
    text = ("# 总结\n\n支部**加强____年度学习**，落实*XX*要求，"
            "参见[20xx年台账](http://example.cn/a)。\n\n> 引用中的**XX区**情况\n")
    found, _ = _findings(tmp_path, "a.md", text, "--select", "placeholder")
    got = [(f["rule"], f["line"], f["column"], f["end_column"], f["text"]) for f in found]
    line3 = text.split("\n")[2]
    col = line3.index
    assert got == [
        ("DJ201", 3, col("____年") + 1, col("____年") + 6, "____年"),
        ("DJ204", 3, col("*XX*") + 2, col("*XX*") + 4, "XX"),
        ("DJ203", 3, col("[20xx") + 2, col("[20xx") + 7, "20xx年"),
        ("DJ204", 5, 9, 11, "XX"),
    ]
    lines = text.split("\n")
    for f in found:
        assert lines[f["line"] - 1][f["column"] - 1:f["end_column"] - 1] == f["text"]


def test_positions_exact_with_crlf_and_the_text_reporter_shows_the_file_line(tmp_path):
    text = "# 总结\r\n\r\n支部**加强____年度学习**。\r\n"
    path = tmp_path / "b.md"
    path.write_bytes(text.encode("utf-8"))
    out = run_cli("--select", "DJ201", str(path)).stdout.decode()
    assert f"{path}:3:7: DJ201" in out
    assert "    支部**加强____年度学习**。\n" in out
    assert "              ^^^^^^\n" in out


def test_fix_keeps_the_notation(tmp_path):
    path = tmp_path / "c.md"
    path.write_text("# 总结\n\n支部**认真学习,扎实推进**各项工作。见[台账,附件](http://a.cn/x,y)。\n",
                    encoding="utf-8")
    run_cli("--fix", "--select", "DJ801", str(path))
    assert path.read_text(encoding="utf-8") == \
        "# 总结\n\n支部**认真学习，扎实推进**各项工作。见[台账，附件](http://a.cn/x,y)。\n"


def test_suppression_comments_still_work(tmp_path):
    text = "# 总结\n\n<!-- dj-lint-disable-next-line DJ201 -->\n支部**加强____年度学习**。\n"
    found, _ = _findings(tmp_path, "d.md", text, "--select", "DJ201")
    assert found == []


def test_document_view_maps_every_character_back():
    src = "前言*强调*与`代码`，[标签](http://x.cn)和<b>粗</b>。\n"
    doc = Document(src, path="e.md")
    assert doc.text == "前言强调与，标签和粗。\n"
    for i, ch in enumerate(doc.text):
        if ch == "\n":
            continue
        line, col = doc.position(i)
        assert src.split("\n")[line - 1][col - 1] == ch
