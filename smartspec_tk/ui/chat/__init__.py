"""The chat pane: transcript, markdown, input, toolbar and conversations."""
