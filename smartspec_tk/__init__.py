"""SmartSpec Tk: the SmartSpec desktop client as one small Tk executable."""

__version__ = "0.1.0"
