"""The FastAPI dispatch service and its persistence."""
