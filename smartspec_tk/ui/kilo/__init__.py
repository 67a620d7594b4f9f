"""Kilo tabs: the command bar, the workflow palette and how tabs are opened."""
