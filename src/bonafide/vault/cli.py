"""`bonafide vault ...` and `bonafide audit ...`: keys, wipe, retention, backups, the audit log.

Thin commands: parse, call the vault, print. Every change is written to the audit log.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from bonafide.datadir import DataDirOption, resolve_data_dir
from bonafide.errors import InputError, VaultError
from bonafide.output import JsonAliasOption, OutputFormat, output_format
from bonafide.vault.access import (
    KeyFileOption,
    PassphraseFileOption,
    new_passphrase,
    read_passphrase_file,
    secret_from,
    unlocked,
)
from bonafide.vault.audit import AuditAction, AuditLog, record_action
from bonafide.vault.crypto import KEY_BYTES, KdfParams
from bonafide.vault.keyslots import KeyFile, KeySlots, Passphrase
from bonafide.vault.settings import VaultSettings
from bonafide.vault.vault import Vault, wipe

__all__ = ["audit_app", "vault_app"]

vault_app = typer.Typer(
    name="vault",
    help="The vault: create it, manage its key slots, retention and backups, wipe it.",
    no_args_is_help=True,
)
audit_app = typer.Typer(
    name="audit",
    help="The audit log: show it, verify its chain, print its head.",
    no_args_is_help=True,
)

NewPassphraseFileOption = Annotated[
    Path | None,
    typer.Option(
        "--new-passphrase-file",
        help="Read the new passphrase from this file (first line); default: asked twice.",
        show_default=False,
    ),
]
KdfMemoryOption = Annotated[
    int,
    typer.Option(
        "--kdf-memory",
        help="Argon2id memory in MiB for the new passphrase slot (lower only for tests).",
        min=8,
    ),
]
KdfTimeOption = Annotated[
    int, typer.Option("--kdf-time", help="Argon2id passes for the new passphrase slot.", min=1)
]
_DEFAULT_KDF = KdfParams()


def _kdf(memory_mib: int, time_cost: int) -> KdfParams:
    return KdfParams(time_cost=time_cost, memory_kib=memory_mib * 1024)


@vault_app.command("init")
def init_command(
    data_dir: DataDirOption = None,
    passphrase_file: PassphraseFileOption = None,
    kdf_memory: KdfMemoryOption = _DEFAULT_KDF.memory_kib // 1024,
    kdf_time: KdfTimeOption = _DEFAULT_KDF.time_cost,
) -> None:
    """Create a vault in a new data directory, opened by a passphrase.

    Example: bonafide vault init --data-dir demo-data/store
    """
    directory = resolve_data_dir(data_dir)
    passphrase = new_passphrase(passphrase_file, "Vault passphrase")
    vault = Vault.create(directory, passphrase, _kdf(kdf_memory, kdf_time))
    from bonafide.cases.store import CaseStore

    # made now, so that every copy of the vault's list of stores names it (a case store
    # deleted later is then noticed, whatever copy of the list is put back)
    CaseStore.open(vault).close()
    vault.close()
    Console().print(
        f"Vault created in {directory}. Without the passphrase nothing in it can be read; "
        "keep the passphrase off this machine, and add a second slot or a key file so that "
        "one lost passphrase does not lose the data.",
        highlight=False,
    )


@vault_app.command("status")
def status_command(data_dir: DataDirOption = None) -> None:
    """The key slots (no unlocking needed: they reveal nothing without a secret).

    Example: bonafide vault status --data-dir demo-data/store
    """
    directory = resolve_data_dir(data_dir)
    if not Vault.exists(directory):
        raise VaultError(
            f"there is no vault in {directory}",
            hint=f"create one: bonafide vault init --data-dir {directory}",
        )
    slots = KeySlots.load(directory)
    table = Table("slot", "kind", "Argon2id", title=f"vault {slots.vault_id} in {directory}")
    for slot in slots.slots:
        cost = (
            f"{slot.kdf.memory_kib // 1024} MiB, {slot.kdf.time_cost} passes, "
            f"{slot.kdf.parallelism} lanes"
            if slot.kdf
            else "—"
        )
        table.add_row(slot.slot_id, slot.kind.value, cost)
    Console().print(table)


@vault_app.command("add-passphrase")
def add_passphrase_command(
    data_dir: DataDirOption = None,
    passphrase_file: PassphraseFileOption = None,
    key_file: KeyFileOption = None,
    new_passphrase_file: NewPassphraseFileOption = None,
    duress: Annotated[
        bool,
        typer.Option(
            "--duress",
            help="A duress passphrase: entered at unlock it wipes the vault silently and "
            "answers as a wrong passphrase does.",
        ),
    ] = False,
    kdf_memory: KdfMemoryOption = _DEFAULT_KDF.memory_kib // 1024,
    kdf_time: KdfTimeOption = _DEFAULT_KDF.time_cost,
) -> None:
    """Add a key slot opened by another passphrase (unlock with an existing one first).

    Example: bonafide vault add-passphrase --data-dir demo-data/store
    """
    with unlocked(data_dir, passphrase_file, key_file) as vault:
        passphrase = new_passphrase(new_passphrase_file)
        slot_id = vault.add_slot(passphrase, _kdf(kdf_memory, kdf_time), duress=duress)
        _audit(vault, AuditAction.KEY_SLOT_ADDED, {"slot": slot_id})
    Console().print(f"Key slot {slot_id} added.", highlight=False)


@vault_app.command("add-key-file")
def add_key_file_command(
    path: Annotated[Path, typer.Argument(help="Where to write the new key file (e.g. a USB key).")],
    data_dir: DataDirOption = None,
    passphrase_file: PassphraseFileOption = None,
    key_file: KeyFileOption = None,
) -> None:
    """Make a key file of random bytes and add a slot it opens.

    Example: bonafide vault add-key-file /media/usb/office.key --data-dir demo-data/store
    """
    import os

    with unlocked(data_dir, passphrase_file, key_file) as vault:
        try:
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            raise InputError(f"{path} exists already", hint="give the path of a new file") from None
        except OSError as error:
            raise InputError(
                f"cannot create {path}: {error.strerror}", hint="check the medium is writable"
            ) from None
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(os.urandom(KEY_BYTES))
        slot_id = vault.add_slot(KeyFile(path))
        _audit(vault, AuditAction.KEY_SLOT_ADDED, {"slot": slot_id, "kind": "key file"})
    Console().print(
        f"Key file written to {path}; key slot {slot_id} added. Keep the file off this machine.",
        highlight=False,
    )


@vault_app.command("remove-slot")
def remove_slot_command(
    slot: Annotated[str, typer.Argument(help="The slot id (see bonafide vault status).")],
    data_dir: DataDirOption = None,
    passphrase_file: PassphraseFileOption = None,
    key_file: KeyFileOption = None,
) -> None:
    """Remove a key slot (not the one you unlocked with).

    Example: bonafide vault remove-slot d89924b4 --data-dir demo-data/store
    """
    with unlocked(data_dir, passphrase_file, key_file) as vault:
        vault.remove_slot(slot)
        _audit(vault, AuditAction.KEY_SLOT_REMOVED, {"slot": slot})
    Console().print(f"Key slot {slot} removed.", highlight=False)


@vault_app.command("change-passphrase")
def change_passphrase_command(
    data_dir: DataDirOption = None,
    passphrase_file: PassphraseFileOption = None,
    new_passphrase_file: NewPassphraseFileOption = None,
    kdf_memory: KdfMemoryOption = _DEFAULT_KDF.memory_kib // 1024,
    kdf_time: KdfTimeOption = _DEFAULT_KDF.time_cost,
) -> None:
    """Replace the slot your passphrase opens with one for a new passphrase (the data is not
    re-encrypted: the same data key is wrapped anew).

    Example: bonafide vault change-passphrase --data-dir demo-data/store
    """
    old = secret_from(passphrase_file, None)
    with unlocked(data_dir, passphrase_file, None, old) as vault:
        slot_id = vault.change_secret(
            old, new_passphrase(new_passphrase_file), _kdf(kdf_memory, kdf_time)
        )
        _audit(vault, AuditAction.PASSPHRASE_CHANGED, {"slot": slot_id})
    Console().print(f"Passphrase changed (now key slot {slot_id}).", highlight=False)


@vault_app.command("wipe")
def wipe_command(
    data_dir: DataDirOption = None,
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask for confirmation.")] = False,
) -> None:
    """Destroy every key slot — the data can never be decrypted again — then delete the files.
    Needs no passphrase.

    Example: bonafide vault wipe --data-dir demo-data/store
    """
    directory = resolve_data_dir(data_dir)
    if not yes:
        if not sys.stdin.isatty():
            raise InputError(
                "wipe needs a confirmation and there is no terminal to ask at",
                hint="add --yes to wipe without asking",
            )
        answer = typer.prompt(f"Type WIPE to destroy the vault in {directory} for good")
        if answer != "WIPE":
            Console().print("Not wiped.")
            raise typer.Exit(1)
    report = wipe(directory)
    if not report.keys_destroyed:
        Console().print(f"There were no key slots in {directory}; its files were removed.")
        return
    Console().print(
        f"Wiped: key slots destroyed in {report.seconds_to_keys * 1000:.1f} ms, files removed "
        f"in {report.seconds_total:.2f} s.",
        highlight=False,
    )


@vault_app.command("retention")
def retention_command(
    days: Annotated[
        int | None,
        typer.Option(
            "--days",
            help="Reduce dossiers to code, verdict and decision this many days after "
            "verification (0: turn retention off).",
            min=0,
            show_default=False,
        ),
    ] = None,
    data_dir: DataDirOption = None,
    passphrase_file: PassphraseFileOption = None,
    key_file: KeyFileOption = None,
) -> None:
    """Show or set the retention time, and reduce every dossier older than it now.

    Example: bonafide vault retention --days 90 --data-dir demo-data/store
    """
    from bonafide.cases.retention import apply_retention

    with unlocked(data_dir, passphrase_file, key_file) as vault:
        settings = VaultSettings.load(vault)
        if days is not None:
            settings = settings.with_retention(days or None)
            settings.save(vault)
            _audit(vault, AuditAction.RETENTION_SET, {"days": days})
        reduced = apply_retention(vault)
    where = (
        f"dossiers are reduced {settings.retention_days} days after verification"
        if settings.retention_days
        else "retention is off: dossiers are kept whole until deleted"
    )
    Console().print(f"Retention: {where}; {reduced} reduced now.", highlight=False)


BackupPassphraseFileOption = Annotated[
    Path | None,
    typer.Option(
        "--backup-passphrase-file",
        help="Give the archive a passphrase of its own, read from this file; without it, the "
        "vault's own passphrases and key files open the archive.",
        show_default=False,
    ),
]


@vault_app.command("backup")
def backup_command(
    archive: Annotated[Path, typer.Argument(help="The archive to write (a new file).")],
    backup_passphrase_file: BackupPassphraseFileOption = None,
    data_dir: DataDirOption = None,
    passphrase_file: PassphraseFileOption = None,
    key_file: KeyFileOption = None,
) -> None:
    """Write the whole data directory to one encrypted archive (run it while no other bonafide
    command runs).

    Example: bonafide vault backup /media/usb/store.backup --data-dir demo-data/store
    """
    from bonafide.registry.store import RegistryStore
    from bonafide.vault.backup import write_backup

    with unlocked(data_dir, passphrase_file, key_file) as vault:
        own = new_passphrase(backup_passphrase_file) if backup_passphrase_file else None
        _audit(vault, AuditAction.BACKUP_WRITTEN, {"own passphrase": own is not None})
        if RegistryStore.exists(vault.data_dir):
            # held open for the copy: no import or resolve can change the store meanwhile
            with RegistryStore.open(vault) as store:
                store.execute("checkpoint before backup", "CHECKPOINT")
                report = write_backup(vault, archive, own)
        else:
            report = write_backup(vault, archive, own)
    Console().print(
        f"Backup written to {archive}: {report.files:,} files, {report.bytes:,} bytes, encrypted.",
        highlight=False,
    )


@vault_app.command("restore")
def restore_command(
    archive: Annotated[Path, typer.Argument(help="An archive made by bonafide vault backup.")],
    backup_passphrase_file: Annotated[
        Path | None,
        typer.Option(
            "--backup-passphrase-file",
            help="The archive's own passphrase, if it has one (default: the vault's, as "
            "--passphrase-file, $BONAFIDE_PASSPHRASE or a prompt give it).",
            show_default=False,
        ),
    ] = None,
    data_dir: DataDirOption = None,
    passphrase_file: PassphraseFileOption = None,
    key_file: KeyFileOption = None,
) -> None:
    """Restore an archive into a new or empty data directory.

    Example: bonafide vault restore /media/usb/store.backup --data-dir restored
    """
    from bonafide.vault.backup import read_backup

    directory = resolve_data_dir(data_dir)
    secret = (
        Passphrase(read_passphrase_file(backup_passphrase_file))
        if backup_passphrase_file
        else secret_from(passphrase_file, key_file)
    )
    report = read_backup(archive, secret, directory)
    try:  # the same secret opens the restored vault when the archive had no passphrase of its own
        restored = Vault.unlock(directory, secret)
    except VaultError:
        pass
    else:
        _audit(restored, AuditAction.RESTORED, {"files": report.files})
        restored.close()
    Console().print(
        f"Restored {report.files:,} files into {directory}; unlock it with the vault's "
        "passphrase or key file.",
        highlight=False,
    )


def _audit(vault: Vault, action: AuditAction, detail: dict[str, object]) -> None:
    record_action(vault, action, None, dict(detail))


# --- bonafide audit ---------------------------------------------------------------------


def _when(text: str | None, option: str) -> dt.datetime | None:
    if text is None:
        return None
    try:
        when = dt.datetime.fromisoformat(text)
    except ValueError:
        raise InputError(
            f"{option}: {text!r} is not a date or time",
            hint="write it as YYYY-MM-DD or YYYY-MM-DDTHH:MM",
        ) from None
    return when if when.tzinfo else when.replace(tzinfo=dt.UTC)


@audit_app.command("show")
def show_command(
    actor: Annotated[
        str | None, typer.Option("--actor", help="Only this actor's entries.", show_default=False)
    ] = None,
    dossier: Annotated[
        str | None,
        typer.Option("--dossier", help="Only entries about this dossier code.", show_default=False),
    ] = None,
    since: Annotated[
        str | None, typer.Option("--since", help="From this time (UTC).", show_default=False)
    ] = None,
    until: Annotated[
        str | None, typer.Option("--until", help="Before this time (UTC).", show_default=False)
    ] = None,
    output: Annotated[
        OutputFormat,
        typer.Option("--format", help="text (a table) or json (one JSON object per line)."),
    ] = OutputFormat.TEXT,
    json_alias: JsonAliasOption = False,
    data_dir: DataDirOption = None,
    passphrase_file: PassphraseFileOption = None,
    key_file: KeyFileOption = None,
) -> None:
    """The audit log's entries, filtered.

    Example: bonafide audit show --since 2026-12-01 --format json --data-dir demo-data/store
    """
    start, end = _when(since, "--since"), _when(until, "--until")
    with unlocked(data_dir, passphrase_file, key_file) as vault:
        audit = AuditLog(vault)
        readable = list(audit.entries())
        unreadable = audit.count() - len(readable)
        entries = [
            e
            for e in readable
            if (actor is None or e.actor == actor)
            and (dossier is None or e.dossier == dossier)
            and (start is None or dt.datetime.fromisoformat(e.at) >= start)
            and (end is None or dt.datetime.fromisoformat(e.at) < end)
        ]
        audit.record(AuditAction.AUDIT_READ, None, {"entries shown": len(entries)})
        audit.close()
    if unreadable:
        Console(stderr=True).print(
            f"warning: {unreadable} entr{'y' if unreadable == 1 else 'ies'} of the audit log "
            "do not decrypt and are not shown; run bonafide audit verify",
            style="yellow",
            highlight=False,
        )
    if output_format(output, json_alias) is OutputFormat.JSON:
        for entry in entries:
            typer.echo(json.dumps(entry.to_json(), ensure_ascii=False))
        return
    table = Table("#", "at (UTC)", "actor", "action", "dossier", "detail")
    for entry in entries:
        detail = ", ".join(f"{k} {v}" for k, v in entry.detail.items())
        table.add_row(
            str(entry.seq), entry.at, entry.actor, entry.action.value, entry.dossier or "", detail
        )
    Console().print(table)


@audit_app.command("verify")
def verify_command(
    data_dir: DataDirOption = None,
    passphrase_file: PassphraseFileOption = None,
    key_file: KeyFileOption = None,
) -> None:
    """Check the chain: exit 0 if every entry is there, unchanged and in order; 5 if not.

    Example: bonafide audit verify --data-dir demo-data/store
    """
    with unlocked(data_dir, passphrase_file, key_file) as vault:
        audit = AuditLog(vault)
        check = audit.verify()
        audit.close()
    console = Console()
    if check.intact:
        console.print(f"Audit log intact: {check.entries:,} entries, head at {check.head_seq}.")
        return
    console.print(f"Audit log NOT intact ({check.entries:,} entries, head at {check.head_seq}):")
    for seq, problem in check.problems:
        console.print(f"  entry {seq}: {problem.value}", highlight=False)
    raise typer.Exit(5)


@audit_app.command("head")
def head_command(
    data_dir: DataDirOption = None,
    passphrase_file: PassphraseFileOption = None,
    key_file: KeyFileOption = None,
) -> None:
    """The last entry's number and link: write it down elsewhere to detect a rollback later.

    Example: bonafide audit head --data-dir demo-data/store
    """
    with unlocked(data_dir, passphrase_file, key_file) as vault:
        audit = AuditLog(vault)
        seq, link = audit.head()
        audit.close()
    typer.echo(f"{seq} {link}")
