"""Gradiente's simulation engine: pure numpy, deterministic from a seed, no Django."""
