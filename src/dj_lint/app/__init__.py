"""Layer 8, application: fixing, baselines and worker processes around the engine."""
