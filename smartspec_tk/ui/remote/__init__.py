"""The Remote tab."""
