"""The exception tree. Every error says which input, where in it, and what to do.

    BonafideError                 base; carries a message meant for a person
    ├── InputError                bad input given by the user (file, option, value)
    │   ├── MappingError          a column mapping that does not fit the file or the kind
    │   └── SourceFormatError     a file that cannot be read as the format it claims to be
    ├── StoreError                the data directory or store cannot be used as asked
    └── VaultError                the vault is locked, the key is wrong, or its key slots are
                                  missing or damaged

Only the edges translate these: the CLI into a message and an exit code, the service into an
HTTP status.
"""

from __future__ import annotations

__all__ = [
    "BonafideError",
    "InputError",
    "MappingError",
    "SourceFormatError",
    "StoreError",
    "VaultError",
]


class BonafideError(Exception):
    """Base of every error bonafide raises on purpose."""

    exit_code = 1

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        if self.hint:
            return f"{self.message}\n  → {self.hint}"
        return self.message


class InputError(BonafideError):
    """The user gave something bonafide cannot use."""

    exit_code = 2


class MappingError(InputError):
    """A column mapping does not fit the file or the registry kind."""


class SourceFormatError(InputError):
    """A file cannot be read as the format it claims to be."""


class StoreError(BonafideError):
    """The data directory or the store in it cannot be used as asked."""

    exit_code = 3


class VaultError(BonafideError):
    """The vault cannot be opened as asked: locked, a wrong passphrase, missing key slots."""

    exit_code = 4
