"""bonafide's HTTP API (FastAPI): everything the desk does, served by `bonafide serve`.

- `app.py`: the application; `state.py`: locked, or the open vault and its stores;
- `auth.py`: tokens, capabilities by role, sign-in limits; `problems.py`: RFC 9457 errors;
- `routes/`: one module per resource (service and vault, sign-in, accounts, dossiers, the
  checkpoint's hand-off, registries and persons, the audit log);
- `serve.py`: `bonafide serve`.
"""

from bonafide.api.app import create_app

__all__ = ["create_app"]
