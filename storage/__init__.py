"""Helpers for the database and the cache, named for what they compute."""
