"""The store: migrations, settings, errors."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pyarrow as pa
import pytest

from bonafide.errors import StoreError, VaultError
from bonafide.registry import RegistryStore, StoreSettings
from bonafide.registry.ddl import MIGRATIONS, registry_columns
from bonafide.registry.schema import KINDS, Kind
from tests.vaults import vault_for

from .helpers import TEST_SETTINGS


def test_new_store_is_migrated_once(data_dir: Path) -> None:
    with RegistryStore.open(vault_for(data_dir), TEST_SETTINGS) as store:
        first = store.execute("test", "SELECT version, name FROM schema_version")
    with RegistryStore.open(vault_for(data_dir), TEST_SETTINGS) as store:
        again = store.execute("test", "SELECT version, name FROM schema_version")
    assert first == again == [(m.version, m.name) for m in MIGRATIONS]
    assert (data_dir / "registries.duckdb").is_file()
    assert (data_dir / "tmp").is_dir()


def test_the_store_is_encrypted_and_unreadable_without_the_key(data_dir: Path) -> None:
    with RegistryStore.open(vault_for(data_dir), TEST_SETTINGS) as store:
        store.execute("test", "CREATE TABLE secret AS SELECT 'Лукашэнка Аляксандр' AS name")
    raw = (data_dir / "registries.duckdb").read_bytes()
    assert "Лукашэнка".encode() not in raw
    with pytest.raises(duckdb.Error, match="encrypted"):
        duckdb.connect(str(data_dir / "registries.duckdb"))


def test_settings_are_applied(data_dir: Path) -> None:
    settings = StoreSettings(memory_limit="512MB", threads=1)
    with RegistryStore.open(vault_for(data_dir), settings) as store:
        limit, threads, temp = store.execute(
            "test",
            "SELECT current_setting('memory_limit'), current_setting('threads'), "
            "current_setting('temp_directory')",
        )[0]
    assert limit.startswith("488")
    assert threads == 1
    assert Path(temp).parent == data_dir / "tmp"  # the process's own scratch directory


def test_registry_tables_follow_the_schema(data_dir: Path) -> None:
    with RegistryStore.open(vault_for(data_dir), TEST_SETTINGS) as store:
        for kind, schema in KINDS.items():
            found = store.execute(
                "test",
                "SELECT column_name, data_type FROM information_schema.columns "
                "WHERE table_name = ? ORDER BY ordinal_position",
                [f"registry_{kind.value}"],
            )
            assert found == list(registry_columns(schema))
    names = [name for name, _ in registry_columns(KINDS[Kind.IDENTITY])]
    assert names[:5] == ["record_id", "record_id_orig", "surname", "surname_orig", "surname_script"]
    assert "birth_date_precision" in names
    assert names[-3:] == ["record_key", "import_id", "source_row"]


def test_a_table_out_of_step_with_the_schema_is_refused(data_dir: Path) -> None:
    with RegistryStore.open(vault_for(data_dir), TEST_SETTINGS) as store:
        store.execute("test", "ALTER TABLE registry_watchlist DROP COLUMN role_orig")
    with pytest.raises(
        StoreError, match=r"registry_watchlist .* does not have the columns"
    ) as error:
        RegistryStore.open(vault_for(data_dir), TEST_SETTINGS)
    assert error.value.hint is not None
    assert "migration" in error.value.hint


def test_errors_name_the_operation(store: RegistryStore) -> None:
    with pytest.raises(StoreError, match=r"store operation 'look up' failed: .*no_such_table"):
        store.execute("look up", "SELECT * FROM no_such_table")


def test_read_only_needs_an_existing_store(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="there is no registry store") as error:
        RegistryStore.open(vault_for(tmp_path / "none"), read_only=True)
    assert error.value.hint is not None
    assert "bonafide registry import" in error.value.hint
    assert not RegistryStore.exists(tmp_path / "none")


def test_unwritable_data_dir(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    with pytest.raises(VaultError, match="cannot create the data directory"):
        vault_for(blocker / "data")


def test_transaction_rolls_back_on_error(store: RegistryStore) -> None:
    def fail_inside() -> None:
        with store.transaction():
            store.execute("test", "INSERT INTO schema_version VALUES (99, 'x', now()::TIMESTAMP)")
            raise ValueError("boom")

    with pytest.raises(ValueError, match="boom"):
        fail_inside()
    assert store.scalar("test", "SELECT max(version) FROM schema_version") == len(MIGRATIONS)


def test_memory_is_raised_to_at_least_a_size_then_restored(data_dir: Path) -> None:
    settings = StoreSettings(memory_limit="2GB", threads=1)
    with RegistryStore.open(vault_for(data_dir), settings) as store:

        def limit() -> str:
            return str(store.scalar("test limit", "SELECT current_setting('memory_limit')"))

        before = limit()
        with store.memory_at_least(5 * 10**9):
            assert limit() == "4.6 GiB"
            with store.memory_limited("1GB"):
                assert limit() == "953.6 MiB"
            assert limit() == "4.6 GiB"
        assert limit() == before == "1.8 GiB"
        with store.memory_at_least(10**9):  # lower than the limit: the limit stays
            assert limit() == before
        assert 0 <= store.memory_used() < 2 * 10**9


def test_a_process_knows_what_it_holds_in_memory() -> None:
    from bonafide.heap import resident_bytes

    before = resident_bytes()
    held = bytearray(200 * 2**20)
    held[::4096] = b"x" * len(held[::4096])  # touched: in RAM
    assert resident_bytes() - before > 150 * 2**20
    del held


@pytest.mark.parametrize(
    ("limit", "size"),
    [("4GB", 4 * 10**9), ("512 mb", 512 * 10**6), ("3.5GiB", int(3.5 * 2**30)), ("none", None)],
)
def test_memory_limits_are_read_as_sizes(limit: str, size: int | None) -> None:
    from bonafide.registry.store import _bytes_of

    assert _bytes_of(limit) == size


def test_reading_ahead_gives_the_same_batches_and_the_store_its_errors(
    store: RegistryStore,
) -> None:
    import threading

    rows = "SELECT i, 'row ' || i AS text FROM range(10000) t(i) ORDER BY i"
    with store.reading("test", rows, 1_000) as reader:
        plain = reader.read_all()
    with store.reading("test", rows, 1_000, ahead=2) as reader:
        assert reader.schema == plain.schema
        read_ahead = reader.read_all()
    assert read_ahead.equals(plain)
    # a row the query fails on, far into its result (the store has sent batches by then):
    # raised where the batches are read, naming the operation
    failing = (
        "SELECT CASE WHEN i < 4900000 THEN i ELSE error('a bad row') END AS i "
        "FROM range(5000000) t(i)"
    )
    read: list[int] = []

    def read_all(reader: pa.RecordBatchReader) -> None:
        for batch in reader:
            read.append(batch.num_rows)

    for ahead in (0, 1):
        read.clear()
        with (
            store.reading("read far", failing, 100_000, ahead=ahead) as reader,
            pytest.raises(StoreError, match=r"'read far' failed while reading its result"),
        ):
            read_all(reader)
        assert sum(read) > 1_000_000
    # left after one batch: the thread stops, and the store serves the next statement
    with store.reading("test", rows, 1_000, ahead=1) as reader:
        first = reader.read_next_batch()
    assert first.num_rows == 1_000
    assert not [t for t in threading.enumerate() if t.name == "store read-ahead"]
    assert store.scalar("test", "SELECT count(*) FROM range(5)") == 5
