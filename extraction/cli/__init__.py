"""The command-line layer of extraction (typer and rich live here only)."""
