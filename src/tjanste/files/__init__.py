"""Files: reading within limits, the project's folders, the one writer, the compile cache."""
