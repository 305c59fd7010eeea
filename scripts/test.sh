#!/usr/bin/env bash
# Install everything the test suite needs on a fresh machine, then run it:
# Python packages from requirements-dev.txt and the project (editable), Debian's chromium (and a CJK font) for the browser
# tests, then ruff, mypy, sqlfluff and pytest.
set -euo pipefail
cd "$(dirname "$0")/.."

python3 -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
# The project itself, editable, so its packages import from anywhere (streamlit run, python -m).
python3 -m pip install --quiet --disable-pip-version-check --no-deps -e .

# Chinese glyphs matter too: the browser tests screenshot pages in 简体中文.
if ! command -v chromium >/dev/null 2>&1 || [ -z "$(fc-list :lang=zh 2>/dev/null)" ]; then
    echo "Installing Debian's chromium and a CJK font for the browser tests…"
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium fonts-wqy-microhei >/dev/null
fi

python3 -m ruff check .
python3 -m ruff format --check .
# Types over access/ etl/ queries/ dashboard/ (configured in pyproject.toml; about 15 s cold)
python3 -m mypy
# The SQL models' style and parse (rules in .sqlfluff; about 10-40 s here)
python3 -m sqlfluff lint queries/sql
python3 -m pytest "$@"
