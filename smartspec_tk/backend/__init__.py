"""The reference backend: a stdlib implementation of the python-backend's desktop contract."""
