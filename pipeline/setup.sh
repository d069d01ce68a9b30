#!/usr/bin/env bash
# Installs what the build needs when it is missing: Debian packages (as root), then the virtualenv.
# usage: pipeline/setup.sh system PKG...   |   pipeline/setup.sh venv
set -euo pipefail

system() {
  local missing=()
  for p in "$@"; do dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  local sudo=""
  if [ "$(id -u)" != 0 ]; then
    if command -v sudo >/dev/null && sudo -n true 2>/dev/null; then sudo="sudo"; fi
  fi
  if ! command -v apt-get >/dev/null || { [ "$(id -u)" != 0 ] && [ -z "$sudo" ]; }; then
    echo "error: missing system packages: ${missing[*]}" >&2
    echo "       install them (Debian/Ubuntu: sudo apt-get install ${missing[*]}) and run make again" >&2
    exit 1
  fi
  echo "setup: installing system packages: ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

venv() {
  local py=${PYTHON:-python3}
  [ -x .venv/bin/python ] || "$py" -m venv .venv
  echo "setup: installing pinned Python packages (requirements.txt)"
  .venv/bin/pip install -q --disable-pip-version-check -r requirements.txt 2>&1 | grep -v "^WARNING: Location" || true
  .venv/bin/python -c "import torch, manim, markdown, jinja2, latex2mathml, yaml" \
    || { echo "error: Python packages failed to install; see the pip output above" >&2; exit 1; }
}

"$@"
