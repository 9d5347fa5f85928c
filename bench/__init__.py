"""Benchmarks and load tests: scripts that print measurements, never timed tests."""
