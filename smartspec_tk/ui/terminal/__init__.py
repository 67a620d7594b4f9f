"""Terminal tabs: the view, its input, rendering, search and the notebook."""
