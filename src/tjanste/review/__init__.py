"""Review: the checks of a read case and of its rendered papers."""
