"""Measurements that run against a real server: `python -m bench.load`."""
