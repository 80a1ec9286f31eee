"""The shipped rule packs (YAML). Installed as the data package dj_lint.rules."""
