"""The command line: arguments and reports."""
