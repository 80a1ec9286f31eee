"""Sphinx configuration of dj-lint's rule reference.

The pages under reference/ are generated from the rule packs on every build
(dj_lint.reporters.ruledoc, the source --explain uses too), so they are never edited by
hand and never stale. Build with warnings as errors, as the test suite does:

    sphinx-build -W -b html docs docs/_build/html
"""
import os

from dj_lint import __version__
from dj_lint.reporters.ruledoc import write_site

project = "dj-lint"
author = "dj-lint"
version = release = __version__
language = "zh_CN"
master_doc = "index"
exclude_patterns = ["_build"]
html_theme = "alabaster"
html_static_path = []

write_site(os.path.join(os.path.dirname(os.path.abspath(__file__)), "reference"))
