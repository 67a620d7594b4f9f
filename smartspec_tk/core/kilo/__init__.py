"""Kilo CLI compatibility: workflow discovery, `/name.md args` commands, history, runner command and environment."""
