"""Wording: a case's prose and proposal through the sandbox into papers."""
