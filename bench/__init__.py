"""Benchmark of the data layer (issue 8): ``python -m bench``. Not part of the test run."""
