"""Commands: the one pipeline and the commands built on it."""
