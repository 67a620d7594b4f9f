"""Attachments: the bar of chips above the chat input and file drops."""
