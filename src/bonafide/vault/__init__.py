"""The vault: every byte bonafide keeps, encrypted under one data key that is never stored.

- `Vault` (`vault.py`): unlocks a data directory and hands out what the other packages write
  through — subkeys, sealed files, the registry store's key, a scratch directory;
- `keyslots.py`: the data key wrapped per passphrase (Argon2id) or key file; duress slots;
- `sealed.py`: the sealed-file format (chunked AES-256-GCM, encrypt-then-rename);
- `duck.py`: DuckDB with its database, write-ahead log and spill files encrypted;
- `audit.py`: the append-only, hash-chained, encrypted audit log;
- `backup.py`: encrypted archives of a data directory.

docs/security.md describes what each protects against and what it does not.
"""

from bonafide.vault.crypto import KdfParams
from bonafide.vault.keyslots import KeyFile, Passphrase, Secret
from bonafide.vault.sealed import SealedWriter, Sealer
from bonafide.vault.vault import Vault, WipeReport, wipe

__all__ = [
    "KdfParams",
    "KeyFile",
    "Passphrase",
    "SealedWriter",
    "Sealer",
    "Secret",
    "Vault",
    "WipeReport",
    "wipe",
]
