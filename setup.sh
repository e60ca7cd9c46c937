#!/usr/bin/env bash
# Set up congvan on a Debian machine with Python 3.11: system packages, .venv, the package.
# Idempotent: a second run skips what is already done. Run as root (or with sudo available).
# CONGVAN_SETUP_FORCE=1 reinstalls the Python package even when nothing changed.
set -euo pipefail
cd "$(dirname "$0")"

# OCR; PDF tools; LibreOffice for .doc/.odt/.rtf, with fonts that have every Vietnamese letter
# (fonts-liberation2, not fonts-liberation: the old one lacks them and scrambles converted text)
APT_PACKAGES=(tesseract-ocr tesseract-ocr-vie poppler-utils libreoffice-writer-nogui fonts-liberation2 fonts-dejavu-core postgresql chromium)  # postgresql: server binaries for the store tests; chromium: the browse test
VENV=.venv
STAMP="$VENV/.congvan-setup"
PIP_LOG="$VENV/pip-install.log"

say() { printf 'setup: %s\n' "$*"; }
die() { printf 'setup: error: %s\n' "$*" >&2; exit 1; }

is_py311() { "$1" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' 2>/dev/null; }

find_python() {
    local candidate
    for candidate in python3.11 python3; do
        if command -v "$candidate" >/dev/null && is_py311 "$candidate"; then
            command -v "$candidate"
            return 0
        fi
    done
    return 1
}

missing_debs() {
    local pkg
    for pkg in "$@"; do
        dpkg -s "$pkg" 2>/dev/null | grep -q '^Status: install ok installed' || printf '%s\n' "$pkg"
    done
}

install_debs() {
    local sudo=()
    if [ "$(id -u)" -ne 0 ]; then
        command -v sudo >/dev/null || die "not root and no sudo: install $* yourself, then rerun"
        sudo=(sudo)
    fi
    say "installing system packages: $*"
    export DEBIAN_FRONTEND=noninteractive
    local log
    log=$(mktemp)
    if ! { "${sudo[@]}" apt-get update -qq && "${sudo[@]}" apt-get install -y -qq --no-install-recommends "$@"; } \
            >"$log" 2>&1; then
        tail -n 30 "$log" >&2
        rm -f "$log"
        die "apt-get failed"
    fi
    rm -f "$log"
}

# 1. Python 3.11 (and, for a Debian python, its venv module)
PYTHON=$(find_python) || die "Python 3.11 not found (need python3.11, or python3 being 3.11)"
wanted=("${APT_PACKAGES[@]}")
if [ ! -x "$VENV/bin/python" ] && ! "$PYTHON" -c 'import ensurepip' 2>/dev/null; then
    wanted+=(python3.11-venv)  # Debian ships venv's pip bootstrap separately
fi

# 2. System packages (OCR, PDF tools, LibreOffice and fonts), only when one is missing
mapfile -t missing < <(missing_debs "${wanted[@]}")
if [ "${#missing[@]}" -gt 0 ]; then
    install_debs "${missing[@]}"
else
    say "system packages already installed (${APT_PACKAGES[*]})"
fi

# 3. The virtual environment, recreated if it is broken or not 3.11
if [ -e "$VENV" ] && ! is_py311 "$VENV/bin/python"; then
    say "$VENV is broken or not Python 3.11: recreating it"
    rm -rf "$VENV"
fi
if [ ! -x "$VENV/bin/python" ]; then
    say "creating $VENV with $PYTHON ($("$PYTHON" -c 'import platform; print(platform.python_version())'))"
    "$PYTHON" -m venv "$VENV"
else
    say "$VENV exists ($("$VENV/bin/python" -c 'import platform; print(platform.python_version())'))"
fi

# 4. The package, editable, with the test extra; skipped when pyproject.toml has not changed
want_stamp=$(sha256sum pyproject.toml | cut -d' ' -f1)
if [ "${CONGVAN_SETUP_FORCE:-0}" != 1 ] && [ -x "$VENV/bin/congvan" ] \
        && [ "$(cat "$STAMP" 2>/dev/null)" = "$want_stamp" ]; then
    say "congvan already installed in $VENV (pyproject.toml unchanged)"
else
    say "installing congvan and its test extra into $VENV (about a minute the first time; log: $PIP_LOG)"
    if ! "$VENV/bin/python" -m pip install --disable-pip-version-check -e '.[test]' >"$PIP_LOG" 2>&1; then
        tail -n 30 "$PIP_LOG" >&2
        die "pip install failed (full log: $PIP_LOG)"
    fi
    printf '%s\n' "$want_stamp" >"$STAMP"
fi

say "ready: .venv/bin/congvan --help"
