"""Accounts of the service, their roles and their tokens.

- `roles.py`: the roles of the product and the one table of what each may do;
- `store.py`: accounts (Argon2id password hashes) and tokens (digests only), sealed in the vault;
- `cli.py`: `bonafide user ...` and `bonafide token ...`.
"""

from bonafide.accounts.roles import ALLOWED, Capability, Role, allowed
from bonafide.accounts.store import Account, AccountStore, TokenInfo, TokenKind

__all__ = [
    "ALLOWED",
    "Account",
    "AccountStore",
    "Capability",
    "Role",
    "TokenInfo",
    "TokenKind",
    "allowed",
]
