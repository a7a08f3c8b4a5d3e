# bonafide — the two commands a newcomer needs: `make demo` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
RUNTIME_STAMP := $(VENV)/.runtime-stamp
DEMO_DIR ?= demo-data
# The demo's vault passphrase, printed by `make demo`: a demo only — a real vault's passphrase is
# typed at the prompt of `bonafide vault init` and never kept in a file or a Makefile.
DEMO_PASSPHRASE ?= demo only: not for real data
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
SYSTEM_PACKAGES := libicu-dev pkg-config openjdk-17-jre-headless chromium libimage-exiftool-perl

.PHONY: demo test bench lint typecheck unit system-deps setup setup-runtime clean

setup: $(STAMP)
setup-runtime: $(RUNTIME_STAMP)

# PyICU compiles against Debian's ICU, Spark (the linkage test, `link --engine spark`) runs on
# Java 17, the desk's browser tests drive Debian's chromium, and the reports' tests check photos
# with exiftool; a fresh machine may lack them. Only missing packages are installed.
system-deps:
	@missing=""; for p in $(SYSTEM_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "installing system packages:$$missing"; \
	  $(SUDO) apt-get update -q && $(SUDO) apt-get install -y -q $$missing; \
	fi

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# What running bonafide needs, and nothing else (the office's machine gets no test or lint tools,
# no pyspark or pandas): every file pinned by its hash in requirements/runtime.txt, which
# tools/runtime_requirements.py writes from pyproject.toml and constraints.txt. bonafide itself
# is installed from this checkout, without dependencies.
$(RUNTIME_STAMP): pyproject.toml requirements/runtime.txt | system-deps $(BIN)/python
	$(BIN)/pip install -q --require-hashes -r requirements/runtime.txt
	$(BIN)/pip install -q --no-deps -e .
	touch $@

# Development: the runtime, then the dev extra (tests, linters, Spark), pinned by constraints.txt.
$(STAMP): pyproject.toml constraints.txt $(RUNTIME_STAMP)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -c constraints.txt -e '.[dev]'
	touch $@

demo: export BONAFIDE_PASSPHRASE = $(DEMO_PASSPHRASE)
demo: export BONAFIDE_REPORTS_PASSPHRASE = $(DEMO_PASSPHRASE)
demo: setup-runtime
	rm -rf $(DEMO_DIR)
	$(BIN)/bonafide synth --people 50000 --applicants 200 --seed 7 --out $(DEMO_DIR)
	@echo "The demo vault's passphrase is '$(DEMO_PASSPHRASE)' (BONAFIDE_PASSPHRASE, for this demo only)."
	printf '%s\n' "$$BONAFIDE_PASSPHRASE" | $(BIN)/bonafide vault init --data-dir $(DEMO_DIR)/store \
	  --passphrase-file /dev/stdin
	@for kind in identity residence education employment watchlist; do \
	  echo "bonafide registry import $(DEMO_DIR)/registries/$$kind.parquet --kind $$kind ..."; \
	  $(BIN)/bonafide registry import $(DEMO_DIR)/registries/$$kind.parquet --kind $$kind --quiet \
	    --mapping $(DEMO_DIR)/registries/$$kind.mapping.toml --data-dir $(DEMO_DIR)/store || exit 1; \
	done
	$(BIN)/bonafide registry resolve --data-dir $(DEMO_DIR)/store
	$(BIN)/bonafide verify $(DEMO_DIR)/applicants.jsonl --data-dir $(DEMO_DIR)/store
	@# two example reports: the first genuine and the first planted applicant in the ground truth
	@truth=$(DEMO_DIR)/truth/applicants.csv; \
	genuine=$$(awk -F, '$$2 == "genuine" {print $$1; exit}' $$truth); \
	planted=$$(awk -F, 'NR > 1 && $$2 != "genuine" && $$2 != "repeat" {print $$1; exit}' $$truth); \
	grep -F "\"dossier_id\": \"$$genuine\"" $(DEMO_DIR)/applicants.jsonl > $(DEMO_DIR)/genuine.json; \
	grep -F "\"dossier_id\": \"$$planted\"" $(DEMO_DIR)/applicants.jsonl > $(DEMO_DIR)/planted.json
	$(BIN)/bonafide verify $(DEMO_DIR)/genuine.json --data-dir $(DEMO_DIR)/store
	$(BIN)/bonafide verify $(DEMO_DIR)/planted.json --data-dir $(DEMO_DIR)/store
	$(BIN)/bonafide audit verify --data-dir $(DEMO_DIR)/store
	@echo "Everything bonafide keeps is sealed in $(DEMO_DIR)/store (passphrase: '$(DEMO_PASSPHRASE)')."
	@echo "The rest of $(DEMO_DIR) is the synthetic input, in plain text as an operator's input files are."
	@# the reports channel: a data directory and vault of its own, 2,000 synthetic sightings taken in.
	@# The demo opens it with the same demo passphrase (BONAFIDE_REPORTS_PASSPHRASE); a real office
	@# gives the reports a passphrase of their own, held by its reviewers: neither opens the other.
	printf '%s\n' "$$BONAFIDE_REPORTS_PASSPHRASE" | $(BIN)/bonafide vault init \
	  --data-dir $(DEMO_DIR)/reports --passphrase-file /dev/stdin
	@# sightings of the last three days (the intake keeps a report as sent for 72 hours)
	$(BIN)/bonafide reports synth --reports 2000 --seed 7 --events-per-day 200 \
	  --start "$$(date -u -d '67 hours ago' +%Y-%m-%dT%H:00)" --out $(DEMO_DIR)/reports-stream
	printf '%s\n' "$$BONAFIDE_REPORTS_PASSPHRASE" | $(BIN)/bonafide reports ingest \
	  $(DEMO_DIR)/reports-stream/reports.jsonl --data-dir $(DEMO_DIR)/reports \
	  --passphrase-file /dev/stdin
	@# one demo account per role, then the desk, served until Ctrl-C
	@for role in intake vetting analyst checkpoint reviewer admin auditor; do \
	  printf 'demo %s password\n' "$$role" | $(BIN)/bonafide user add "demo-$$role" --role $$role \
	    --password-file /dev/stdin --data-dir $(DEMO_DIR)/store 2>/dev/null || exit 1; \
	done
	@echo "Demo accounts (this demo only): demo-intake, demo-vetting, demo-analyst, demo-checkpoint,"
	@echo "demo-reviewer, demo-admin, demo-auditor; each one's password is 'demo <role> password'."
	@echo "The desk: http://127.0.0.1:8000/desk (Ctrl-C stops it); reports' events: /desk/review."
	@echo "The reports' intake: http://127.0.0.1:8080 (the form) and http://127.0.0.1:8080/feed."
	@# the intake is a process of its own (in an office, behind a Tor onion service); it stops with the desk
	printf '%s\n' "$$BONAFIDE_REPORTS_PASSPHRASE" | $(BIN)/bonafide reports serve \
	  --data-dir $(DEMO_DIR)/reports --port 8080 --passphrase-file /dev/stdin & intake=$$!; \
	trap 'kill $$intake 2>/dev/null' EXIT INT TERM; \
	$(BIN)/bonafide serve --data-dir $(DEMO_DIR)/store --port 8000 --import-dir $(DEMO_DIR)/registries \
	  --reports-dir $(DEMO_DIR)/reports

lint: setup
	$(BIN)/ruff check src tests bench tools
	$(BIN)/ruff format --check src tests bench tools

typecheck: setup
	$(BIN)/mypy --strict src

# The sources compiled once first: where the environment tells Python not to write bytecode
# (PYTHONDONTWRITEBYTECODE), each of the hundred bonafide processes the tests start would compile
# them again, about 0.3 s each.
unit: setup
	$(BIN)/python -m compileall -q src tests
	$(BIN)/pytest -n 2 -q

test: lint typecheck unit

bench: setup
	$(BIN)/pip install -q -c constraints.txt -e '.[dev,bench]'
	$(BIN)/python bench/run.py $(ARGS)

clean:
	rm -rf $(VENV) $(DEMO_DIR) .mypy_cache .ruff_cache .pytest_cache
