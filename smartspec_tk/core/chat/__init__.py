"""The LLM chat, Tk-free: SSE decoding, the chat client, its worker thread and the conversation store."""
