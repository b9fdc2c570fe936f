"""Writing: papers into .docx files and their metadata."""
