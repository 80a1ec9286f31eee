"""`dj-lint similar`: passages shared between documents, at archive scale.

normalise → sketch (MinHash windows, LSH band keys) → pipeline stages →
run (on an executor from app/cluster.py: in-process or a Dask cluster) → report
(copy findings). The command line is cli/similar.py.
"""
