"""The one place Schakel serves HTTP: an ASGI application (Starlette) on uvicorn."""
