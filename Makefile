# The one entry point for people and CI. `make run` needs nothing but Python >= 3.12 (and pip's index).
VENV := .venv
PY := $(VENV)/bin/python
# Reinstall only when the dependencies change.
INSTALLED := $(VENV)/.installed
PYTEST_FLAGS ?= -n 2
# The Nu HTML checker (npm's vnu-jar; it runs on the system's Java) for the browser tests.
NODE_DEPS := node_modules/.package-lock.json

.DEFAULT_GOAL := help
.PHONY: help run test test-sqlite lint fmt messages check clean rtl

help:
	@echo "make run       set up .venv and the database, seed the demo municipality, serve on 127.0.0.1:\$$PORT (8000)"
	@echo "make test      the whole suite (browser tests included), ruff, migrations check, messages check"
	@echo "make test-sqlite  the pytest suite on SQLite without Redis, as a newcomer runs it (CI runs both)"
	@echo "make lint      ruff check and ruff format --check"
	@echo "make fmt       ruff format and ruff check --fix"
	@echo "make messages  extract new strings into the Danish catalogue and compile it (needs gettext)"
	@echo "make check     manage.py check --deploy with a production-like environment"
	@echo "make rtl       remake the right-to-left stylesheets (Arabic) from the left-to-right ones with rtlcss"
	@echo "make clean     remove caches, collected static files and var/ (the dev database and mail)"

# Honour $PYTHON, else the first of python3.12, python3.13, python3 that is at least 3.12.
$(PY):
	@set -e; \
	ok() { "$$1" -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; }; \
	if [ -n "$$PYTHON" ]; then \
		ok "$$PYTHON" || { echo "PYTHON=$$PYTHON is not a Python >= 3.12." >&2; exit 1; }; \
		py="$$PYTHON"; \
	else \
		py=; \
		for c in python3.12 python3.13 python3; do \
			if command -v "$$c" >/dev/null 2>&1 && ok "$$c"; then py="$$c"; break; fi; \
		done; \
		[ -n "$$py" ] || { echo "Python >= 3.12 not found (tried python3.12, python3.13, python3). Install it or set PYTHON=/path/to/python3.12." >&2; exit 1; }; \
	fi; \
	echo "Creating $(VENV) with $$("$$py" -c 'import sys; print(sys.executable, sys.version.split()[0])')"; \
	"$$py" -m venv $(VENV)

$(INSTALLED): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	@touch $@

# The compiled catalogues are committed, so compilemessages runs only where gettext is installed.
run: $(INSTALLED)
	$(PY) manage.py migrate --noinput
	@if command -v msgfmt >/dev/null 2>&1; then \
		$(PY) manage.py compilemessages --ignore='.*' --ignore=var --ignore=staticfiles --ignore=build; \
	else \
		echo "msgfmt not found: using the committed .mo catalogues."; \
	fi
	$(PY) manage.py seed_demo --scale small
	$(PY) manage.py serve

# --ignore-scripts: vnu-jar would download a Java runtime of its own; the system's Java runs it.
$(NODE_DEPS): package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
		npm ci --ignore-scripts --no-audit --no-fund; \
	else \
		echo "npm not found: the browser tests will not check the HTML (CI installs npm)."; \
	fi

# Arabic pages read right to left: their stylesheets are the DKFDS and portal ones mirrored by rtlcss
# (npm), committed so that running the portal needs no Node; tests/test_rtl.py fails when they are stale.
rtl: $(NODE_DEPS)
	node_modules/.bin/rtlcss --silent static/dkfds/css/dkfds.min.css static/dkfds/css/dkfds.rtl.min.css
	node_modules/.bin/rtlcss --silent static/css/portal.css static/css/portal.rtl.css

test: $(INSTALLED) $(NODE_DEPS)
	$(PY) -m pytest $(PYTEST_FLAGS)
	$(PY) -m ruff check .
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) manage.py spectacular --validate --fail-on-warn --file /dev/null
	@if [ -f portal/management/commands/check_messages.py ]; then \
		echo "$(PY) manage.py check_messages"; \
		$(PY) manage.py check_messages; \
	fi

# The suite alone on the embedded defaults; .ci/run runs it after `make test` on PostgreSQL.
test-sqlite: $(INSTALLED) $(NODE_DEPS)
	env -u DATABASE_URL -u REDIS_URL $(PY) -m pytest $(PYTEST_FLAGS) -rs

lint: $(INSTALLED)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

fmt: $(INSTALLED)
	$(PY) -m ruff format .
	$(PY) -m ruff check --fix .

# The same extraction check_messages compares against (no locations, no obsolete entries, no tests).
messages: $(INSTALLED)
	$(PY) manage.py check_messages --update

# A production-shaped environment with throwaway values: nothing is contacted, only configuration checked.
check: $(INSTALLED)
	DJANGO_ENV=production \
	SECRET_KEY="$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(60))')" \
	MFA_ENCRYPTION_KEYS="$$($(PY) -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())')" \
	ALLOWED_HOSTS=godtpaavej.example.dk \
	SITE_URL=https://godtpaavej.example.dk \
	DATABASE_URL=postgres://godtpaavej@db.example.dk:5432/godtpaavej \
	REDIS_URL=redis://redis.example.dk:6379/0 \
	EMAIL_URL=smtp+tls://smtp.example.dk:587 \
	ACCESSIBILITY_EMAIL=tilgaengelighed@example.dk ACCESSIBILITY_PHONE="+45 89 40 20 00" \
	$(PY) manage.py check --deploy --fail-level WARNING

clean:
	rm -rf var staticfiles build test-results .pytest_cache .ruff_cache *.egg-info node_modules
	find . -path ./$(VENV) -prune -o -name __pycache__ -type d -prune -exec rm -rf {} +
