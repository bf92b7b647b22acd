"""`jisr serve`: one local HTTP service over the translation pipeline (see docs/serve.md).

settings.py holds the settings and defaults; server.py starts uvicorn (`serve`, the
function the CLI calls); guard.py limits, authenticates and shapes errors; app.py holds jisr's
routes, libretranslate.py LibreTranslate's, review.py the live review page; service.py is what
they call and worker.py the micro-batcher in front of the model.
"""
