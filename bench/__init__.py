"""Benchmark harnesses: Solomon VRPTW comparison and end-to-end scaling (``python -m bench.<script>``)."""
