"""The HTML review page, rendered in a real headless Chromium: every finding is
highlighted exactly once, and each highlight's text is the finding's text."""
import json
import os
import shutil
import subprocess
from collections import defaultdict
from html.parser import HTMLParser

import pytest

from conftest import ROOT, run_cli

CHROMIUM = next((shutil.which(n) for n in ("chromium", "chromium-browser", "google-chrome")
                 if shutil.which(n)), None)
needs_browser = pytest.mark.skipif(
    CHROMIUM is None, reason="no Chromium installed (Debian: apt-get install chromium)")


def render_dom(page, tmp_path) -> str:
    r = subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
         "--no-first-run", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", f"--user-data-dir={tmp_path / 'profile'}", "--dump-dom",
         "file://" + str(page)],
        capture_output=True, timeout=120)
    assert r.returncode == 0, r.stderr.decode()[-1000:]
    return r.stdout.decode("utf-8")


class Highlights(HTMLParser):
    """Collect, per text block and finding index, the text inside <mark data-f>."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.block = None
        self.stack = []
        self.texts = defaultdict(str)
        self.external = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "pre" and (a.get("id") or "").startswith("text-"):
            self.block = int(a["id"][5:])
        if tag == "mark" and self.block is not None:
            self.stack.append((self.block, int(a["data-f"])))
        for key in ("src", "href"):
            if a.get(key) and not a[key].startswith("#"):
                self.external.append(a[key])

    def handle_endtag(self, tag):
        if tag == "mark" and self.stack:
            self.stack.pop()
        if tag == "pre":
            self.block = None

    def handle_data(self, data):
        for key in self.stack:
            self.texts[key] += data


def page_and_findings(tmp_path, *paths):
    page = tmp_path / "review.html"
    r = run_cli("--format", "html", "--output", str(page), *paths)
    assert r.returncode in (0, 1), r.stderr.decode()
    data = json.loads(run_cli("--format", "json", *paths).stdout)
    return page, data


def check_page(page, data, tmp_path):
    parser = Highlights()
    parser.feed(render_dom(page, tmp_path))
    assert parser.external == [], "the page must not load anything from outside"
    by_file = defaultdict(list)
    for f in data["findings"]:
        by_file[f["path"]].append(f)
    files = sorted(by_file)
    got = defaultdict(dict)
    for (block, idx), text in parser.texts.items():
        got[block][idx] = text
    # Blocks are numbered in the page's file order (the order files were linted).
    with_findings = [i for i in sorted(got)]
    assert len(with_findings) == len(files)
    for block, path in zip(with_findings, files):
        expected = [f["text"] for f in by_file[path]]
        assert len(got[block]) == len(expected), path
        assert [got[block][i] for i in range(len(expected))] == expected, path


@needs_browser
def test_seeds_page_highlights_every_finding(tmp_path):
    page, data = page_and_findings(tmp_path, os.path.join(ROOT, "seeds"))
    assert data["findings"]
    check_page(page, data, tmp_path)


@needs_browser
def test_page_stays_usable_with_2000_findings(tmp_path):
    report = tmp_path / "big.txt"
    report.write_text("东湖市实验中学党总支工作总结\n" + "____年、20xx年完成任务。\n" * 1000, encoding="utf-8")
    page, data = page_and_findings(tmp_path, "--select", "placeholder", str(report))
    assert len(data["findings"]) >= 1000
    check_page(page, data, tmp_path)


def test_page_is_self_contained_and_chinese(tmp_path):
    page, _ = page_and_findings(tmp_path, os.path.join(ROOT, "seeds"))
    html = page.read_text(encoding="utf-8")
    assert '<html lang="zh-CN">' in html and "检查报告" in html and "筛选" in html
    for marker in ("http://", "https://", "<link ", "src="):
        assert marker not in html.split('<script type="application/json"')[0]


@needs_browser
def test_hostile_document_text_keeps_every_highlight(tmp_path):
    """Document text that looks like markup (<!--<script>, </script>, an entity)
    or carries control characters must render as text with every highlight."""
    report = tmp_path / "hostile.txt"
    report.write_text("某支部<!--<script>alert(1)</script>于____年召开&amp;大会\x1b[2J。\n"
                      "第二段</script><!-- 20xx年 -->完成\u202e任务。\n", encoding="utf-8")
    page, data = page_and_findings(tmp_path, str(report))
    assert len(data["findings"]) >= 2
    check_page(page, data, tmp_path)
