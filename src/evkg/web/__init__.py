"""REST API and server-rendered web explorer over the same services.

``create_app(store=SqlStore(url))`` returns the FastAPI app (``evkg serve`` runs it under
uvicorn); see :func:`evkg.web.app.create_app`.
"""

from evkg.web.app import create_app
from evkg.web.deps import Limits

__all__ = ["Limits", "create_app"]
