"""The desk: the web application the office works in, served by `bonafide serve` under `/desk`.

Server-rendered pages (Jinja2) whose forms work without JavaScript, so they work in Tor
Browser's safer mode; htmx, vendored, only enhances them. Every page checks the role on the
server and shows names only where the role needs them; lists show codes.

- `pages.py`: the routes (`registry_pages.py`, `admin_pages.py`, `review_pages.py`: the
  analyst's, the administrator's and the report reviewer's); `session.py`: the session cookie
  and CSRF; `forms.py`: the intake form ↔ a dossier; `charts.py`: the match-weight waterfall
  as SVG; `i18n.py`: be / ru / en.
"""

from fastapi import APIRouter

from bonafide.desk.admin_pages import router as admin_router
from bonafide.desk.pages import router
from bonafide.desk.registry_pages import router as registry_router
from bonafide.desk.review_pages import router as review_router

__all__ = ["ROUTERS"]

# every page module's router; `api/app.py` includes them all
ROUTERS: list[APIRouter] = [router, registry_router, admin_router, review_router]
