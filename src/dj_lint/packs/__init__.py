"""Layer 5, rule packs: the strict YAML loader that turns packs into Rule objects."""
