"""The HTTP API and web page (FastAPI). Stage 4 of the flow."""
