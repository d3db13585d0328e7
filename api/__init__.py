"""The dispatch service: a FastAPI application over SQLAlchemy persistence.

``main.create_app`` builds the application; ``server.serve`` runs it with uvicorn.
Solving happens in worker processes (``jobs``), never in the event loop, and the
service never touches solver objects: it hands a problem to
:func:`dromologio.dispatch.solve` and stores the plan it returns.
"""
