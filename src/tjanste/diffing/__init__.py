"""What changed between two renderings of a case: word-level differences, the figures that changed, Word's tracked changes."""
