"""An optional proof of work before a report is taken: the sender's machine spends a moment
per report, which costs a flood of thousands real time and costs one reporter nothing they
notice. Nothing identifies anybody: a challenge is random, signed by a key that lives only in
the process's memory, valid for ten minutes and spent by its first use.

A solution is a nonce such that SHA-256("<challenge>:<nonce>") begins with `bits` zero bits.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import time

__all__ = ["ProofOfWork", "solve"]

_VALID_SECONDS = 600


def _leading_zero_bits(digest: bytes) -> int:
    bits = 0
    for byte in digest:
        if byte == 0:
            bits += 8
            continue
        return bits + 8 - byte.bit_length()
    return bits


def solve(challenge: str, bits: int) -> str:
    """A nonce for a challenge (what a reporter's browser or client does)."""
    nonce = 0
    while True:
        digest = hashlib.sha256(f"{challenge}:{nonce}".encode()).digest()
        if _leading_zero_bits(digest) >= bits:
            return str(nonce)
        nonce += 1


class ProofOfWork:
    """Challenges issued and checked by one intake process."""

    def __init__(self, bits: int) -> None:
        self.bits = bits
        self._key = secrets.token_bytes(32)
        self._spent: dict[str, float] = {}
        self._pruned = time.time()
        self._lock = threading.Lock()

    def _signature(self, body: str) -> str:
        return hmac.new(self._key, body.encode(), hashlib.sha256).hexdigest()[:32]

    def challenge(self) -> str:
        body = f"{int(time.time())}.{secrets.token_hex(12)}"
        return f"{body}.{self._signature(body)}"

    def check(self, challenge: object, nonce: object) -> bool:
        """True once for a challenge this process issued, unexpired, with a good nonce."""
        if not isinstance(challenge, str) or not isinstance(nonce, str) or len(nonce) > 40:
            return False
        body, _, signature = challenge.rpartition(".")
        issued, _, _ = body.partition(".")
        if not issued.isdigit() or not hmac.compare_digest(signature, self._signature(body)):
            return False
        now = time.time()
        if now - int(issued) > _VALID_SECONDS:
            return False
        digest = hashlib.sha256(f"{challenge}:{nonce}".encode()).digest()
        if _leading_zero_bits(digest) < self.bits:
            return False
        with self._lock:
            if challenge in self._spent:
                return False
            if now - self._pruned > 60:
                self._spent = {c: t for c, t in self._spent.items() if t > now}
                self._pruned = now
            self._spent[challenge] = now + _VALID_SECONDS
        return True
