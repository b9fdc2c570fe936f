"""Values: amounts, words, sums (no case, no file)."""
