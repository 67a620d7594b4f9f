"""The window shell: main window, pump, status bar, the app's own dialogs."""
