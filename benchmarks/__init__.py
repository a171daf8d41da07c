"""Performance figures, printed as JSON: `python -m benchmarks [NAME ...]`."""
