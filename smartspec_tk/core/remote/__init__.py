"""Remote mode: a line-oriented shell over the SmartSpec services, reached only through the backend."""
