# Sourced by scripts/start and scripts/test: a virtual environment with everything installed.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

PYTHON="${PYTHON:-}"
if [ -z "$PYTHON" ]; then
  for candidate in python3.13 python3.12 python3.11 python3; do
    if command -v "$candidate" >/dev/null 2>&1 && "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
      PYTHON="$candidate"; break
    fi
  done
fi
[ -n "$PYTHON" ] || { echo "Lindungi needs Python 3.11 or newer." >&2; exit 1; }

if [ ! -x .venv/bin/python ]; then
  echo "Creating the virtual environment (.venv)…"
  "$PYTHON" -m venv .venv
fi
stamp=".venv/.lindungi-installed"
wanted="$(sha256sum pyproject.toml | cut -c1-16)"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$wanted" ]; then
  echo "Installing Lindungi and its dependencies…"
  .venv/bin/python -m pip install --quiet --upgrade pip
  .venv/bin/python -m pip install --quiet -e ".[test]"
  echo "$wanted" > "$stamp"
fi
# Translations are compiled with pure Python (no gettext tools needed).
.venv/bin/python manage.py compile_catalogues
