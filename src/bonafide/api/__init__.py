"""bonafide's HTTP API (FastAPI): everything the desk does, served by `bonafide serve`.

- `app.py`: the application; `state.py`: locked, or the open vault and its stores;
- `auth.py`: tokens, capabilities by role, sign-in limits; `problems.py`: RFC 9457 errors;
- `office.py`: the office's operations on dossiers, for the routes and the desk's pages;
- `routes/`: one module per resource (service and vault, sign-in, accounts, dossiers, the
  checkpoint's hand-off, registries, imports and jobs, persons, yente's `/match`, OpenRefine's
  `/reconcile`, the audit log);
- `serve.py`: `bonafide serve`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bonafide.api.app import create_app

__all__ = ["create_app"]


def __getattr__(name: str) -> Any:
    # the application is imported on first use: the desk's pages import the office's
    # operations from this package, and the application imports the desk
    if name == "create_app":
        from bonafide.api.app import create_app

        return create_app
    raise AttributeError(name)
