"""Import benchmark (not collected by pytest).

    PYTHONPATH=src .venv/bin/python tests/registry/bench_import.py generate /tmp/bench 1000000
    /usr/bin/time -v env PYTHONPATH=src .venv/bin/python tests/registry/bench_import.py \
        import /tmp/bench/identity.parquet /tmp/bench/data

`generate` writes identity.parquet and identity.csv: 15 columns of Russian, Belarusian and Latin
names, dates in mixed formats and about 1% garbage and 0.5% repeated rows.
"""

from __future__ import annotations

import resource
import sys
import time
from pathlib import Path

import duckdb

from bonafide.registry import RegistryStore, import_registry
from tests.vaults import vault_for

_SURNAMES = ["Иванов", "Петрова", "Іваноў", "Шчарбакоў", "Smith", "Kovalenko", "Сидоренко"]
_GIVEN = ["Иван", "Мария", "Янка", "Алесь", "John", "Olga", "Пётр", "Наталля"]
_PATRONYMIC = ["Иванович", "Петровна", "Міхайлавіч", "Сяргееўна", ""]
_PLACES = ["г. Минск", "Гродно", "в. Малые  Лебедзі", "Brest", "Магілёў"]


def generate(directory: Path, rows: int) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect()
    query = f"""
    SELECT
      'R' || i AS "ID",
      ({_SURNAMES})[1 + i % {len(_SURNAMES)}] || CASE WHEN i % 3 = 0 THEN '' ELSE i::VARCHAR END
        AS "ФАМИЛИЯ",
      ({_GIVEN})[1 + (i // 7) % {len(_GIVEN)}] AS "ИМЯ",
      ({_PATRONYMIC})[1 + (i // 11) % {len(_PATRONYMIC)}] AS "ОТЧЕСТВО",
      '' AS "ФИО",
      CASE WHEN i % 100 = 0 THEN '31.02.1990'
           WHEN i % 3 = 0 THEN strftime(DATE '1940-01-01' + (i % 25000)::INTEGER, '%d.%m.%Y')
           WHEN i % 3 = 1 THEN strftime(DATE '1940-01-01' + (i % 25000)::INTEGER, '%Y-%m-%d')
           ELSE strftime(DATE '1940-01-01' + (i % 25000)::INTEGER, '%Y%m%d') END AS "ДАТА_РОЖД",
      (['М', 'Ж', 'm', 'f', 'x'])[1 + i % 5] AS "ПОЛ",
      lpad((i * 7919 % 10000000)::VARCHAR, 7, '0') || 'A' || lpad((i % 1000)::VARCHAR, 3, '0')
        || 'PB' || (i % 10)::VARCHAR AS "ЛИЧНЫЙ_НОМЕР",
      (['IVANOV', 'PETROVA', 'IVANOU', 'SHCHARBAKOU'])[1 + i % 4] AS "ФАМИЛИЯ_ЛАТ",
      (['IVAN', 'MARYIA', 'YANKA', 'ALES'])[1 + i % 4] AS "ИМЯ_ЛАТ",
      'MP' || lpad((i % 9999999)::VARCHAR, 7, '0') AS "ПАСПОРТ",
      ({_PLACES})[1 + i % {len(_PLACES)}] AS "МЕСТО_РОЖД",
      strftime(DATE '2010-01-01' + (i % 4000)::INTEGER, '%d.%m.%Y') AS "ВЫДАН",
      strftime(DATE '2020-01-01' + (i % 4000)::INTEGER, '%d.%m.%Y') AS "ДЕЙСТВ_ДО",
      strftime(DATE '2000-01-01' + (i % 9000)::INTEGER, '%Y-%m-%d') AS "СОЗДАНА"
    FROM range({rows}) r(j), LATERAL (SELECT CASE WHEN j % 200 = 7 THEN j - 1 ELSE j END AS i)
    """
    con.execute(f"COPY ({query}) TO '{directory / 'identity.parquet'}' (FORMAT parquet)")
    con.execute(f"COPY ({query}) TO '{directory / 'identity.csv'}' (FORMAT csv, HEADER)")
    (directory / "identity.toml").write_text(MAPPING, encoding="utf-8")


MAPPING = """kind = "identity"
[columns]
record_id = "ID"
surname = "ФАМИЛИЯ"
given_name = "ИМЯ"
patronymic = "ОТЧЕСТВО"
full_name = "ФИО"
birth_date = "ДАТА_РОЖД"
sex = "ПОЛ"
personal_number = "ЛИЧНЫЙ_НОМЕР"
surname_latin = "ФАМИЛИЯ_ЛАТ"
given_name_latin = "ИМЯ_ЛАТ"
passport_number = "ПАСПОРТ"
birth_place = "МЕСТО_РОЖД"
issued_on = "ВЫДАН"
expires_on = "ДЕЙСТВ_ДО"
record_created = "СОЗДАНА"
"""


def run_import(file: Path, data_dir: Path) -> None:
    from bonafide.registry import load_mapping

    mapping = load_mapping(file.with_suffix(".toml"))
    started = time.perf_counter()
    with RegistryStore.open(vault_for(data_dir)) as store:
        report = import_registry(store, file, "identity", mapping)
    elapsed = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"{file.name}: {report.rows_read:,} rows in {elapsed:.1f} s "
        f"({report.rows_read / elapsed:,.0f} rows/s), peak RSS {peak:,.0f} MiB; "
        f"added {report.rows_added:,}, duplicate {report.rows_duplicate_in_file:,}, "
        f"present {report.rows_already_present:,}, rejected {report.rows_rejected:,}, "
        f"warnings {report.warnings:,}"
    )


if __name__ == "__main__":
    command, *args = sys.argv[1:]
    if command == "generate":
        generate(Path(args[0]), int(args[1]))
    else:
        run_import(Path(args[0]), Path(args[1]))
