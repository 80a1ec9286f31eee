"""Layer 1, model: plain data shared by every layer (findings, rules). Imports nothing above it."""
