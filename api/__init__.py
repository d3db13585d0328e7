"""The dispatch service: a FastAPI application over SQLAlchemy persistence.

``main.create_app`` builds the application; ``server.serve`` runs it with uvicorn.
Solving happens in worker processes (``jobs``), never in the event loop, and the
service never touches solver objects: it hands a problem to
:func:`dromologio.dispatch.solve` and stores the plan it returns.
"""

# This folder installs as ``dromologio.api`` (see docs/architecture.md, "Folders and packaging"):
# imported under its folder name it would be a second copy of every class in it.
if __name__ != "dromologio.api":
    raise ImportError(f"import dromologio.api, not {__name__}: this folder is the package dromologio.api")
