"""Tk-free logic, one module or sub-package per feature; a test imports every module with tkinter blocked."""
