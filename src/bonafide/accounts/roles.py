"""The roles of the product (docs/product.md, section 2) and what each may do.

One table, `ALLOWED`: a capability → the roles that have it. The server checks it on every
request (need-to-know is enforced by the server, never by hiding links); the narrower checks
that depend on the dossier (an intake officer's own drafts, a vetting officer's assigned cases)
are made by the endpoints on top of it.
"""

from __future__ import annotations

from enum import StrEnum

__all__ = ["ALLOWED", "Capability", "Role", "allowed"]


class Role(StrEnum):
    INTAKE = "intake"  # registers applicants and their claims, until submitted
    VETTING = "vetting"  # verifies, reads verdicts and evidence, decides
    ANALYST = "analyst"  # registries and model figures, never dossiers
    CHECKPOINT = "checkpoint"  # the hand-off list only
    REVIEWER = "reviewer"  # reports and events (the reports channel)
    ADMIN = "admin"  # accounts, keys, retention, wipe; never dossier content
    AUDITOR = "auditor"  # the audit log, read-only


class Capability(StrEnum):
    DOSSIER_ENTER = "enter dossiers"
    DOSSIER_VET = "vet dossiers"  # take, verify, read reports, decide
    HANDOFF_READ = "read the hand-off list"
    REGISTRY_READ = "read registries and their figures"
    REGISTRY_IMPORT = "import registries"
    PERSON_MATCH = "look up persons in the registries"
    SCREEN = "screen names (match, reconcile)"
    AUDIT_READ = "read the audit log"
    ACCOUNTS_MANAGE = "manage accounts and tokens"
    VAULT_MANAGE = "lock and wipe the vault"
    CASES_OVERVIEW = "see codes and states of dossiers"
    REPORTS_REVIEW = "review reports and events"
    REPORTS_UNLOCK = "unlock and lock the reports channel"


ALLOWED: dict[Capability, frozenset[Role]] = {
    Capability.DOSSIER_ENTER: frozenset({Role.INTAKE}),
    Capability.DOSSIER_VET: frozenset({Role.VETTING}),
    Capability.HANDOFF_READ: frozenset({Role.CHECKPOINT, Role.VETTING}),
    Capability.REGISTRY_READ: frozenset({Role.ANALYST}),
    Capability.REGISTRY_IMPORT: frozenset({Role.ANALYST}),
    Capability.PERSON_MATCH: frozenset({Role.ANALYST, Role.VETTING}),
    Capability.SCREEN: frozenset({Role.ANALYST, Role.VETTING}),
    Capability.AUDIT_READ: frozenset({Role.ADMIN, Role.AUDITOR}),
    Capability.ACCOUNTS_MANAGE: frozenset({Role.ADMIN}),
    Capability.VAULT_MANAGE: frozenset({Role.ADMIN}),
    # codes, states and who holds them: no content
    Capability.CASES_OVERVIEW: frozenset({Role.ADMIN, Role.VETTING}),
    Capability.REPORTS_REVIEW: frozenset({Role.REVIEWER}),
    # the reports' own passphrase opens their vault; whoever holds it (a reviewer, or an
    # administrator after a restart) may type it, which shows them no report
    Capability.REPORTS_UNLOCK: frozenset({Role.REVIEWER, Role.ADMIN}),
}


def allowed(role: Role, capability: Capability) -> bool:
    return role in ALLOWED[capability]
