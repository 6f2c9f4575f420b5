"""The web app: `labourlens serve` (FastAPI), pages to review and explore the evidence, and a REST API.

    from labourlens.service import create_app
    app = create_app(store, settings)

Modules: accounts (users, roles, argon2 passwords, sessions, API tokens), jobs (uploads analysed
in the background), charts (inline SVG), app (routes, auth dependency, error shape).
"""

from labourlens.service.accounts import ROLES, create_user
from labourlens.service.app import create_app

__all__ = ["ROLES", "create_app", "create_user"]
