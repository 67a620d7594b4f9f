"""Tk widgets, thin: one sub-package per feature mirroring `core/`, plus `window/` (the shell) and `theme/`."""
