"""Everything that reads or writes Word files; imported only where a document is touched."""
