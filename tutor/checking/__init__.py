"""Internals of ``tutor.check``: numeric evidence, symbolic proof, values of every kind."""
