"""The web shell: the Gradio page (`app.py`), its HTML pieces, the trainer's tabs, the HTTP and
OpenAI-compatible APIs, and the service they share (uploads, feedback, accounts, exports)."""
