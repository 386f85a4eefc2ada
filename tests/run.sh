#!/usr/bin/env bash
# Install what GenLab's tests need (a virtual environment, Debian's Chromium), then run them.
# Usage, from anywhere:  bash tests/run.sh [extra pytest arguments]
# The environment is cached in ~/.cache/genlab/venv-<hash of the requirements> and reused.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
hash=$(cat requirements.txt requirements-dev.txt | sha1sum | cut -c1-12)
VENV=${GENLAB_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/genlab/venv-$hash}
if [ ! -f "$VENV/.complete" ]; then
  echo "Installing the test environment into $VENV (about 6 GB; about 5 minutes; the tests then take about 20 on 2 cores)..."
  rm -rf "$VENV"
  "$PY" -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check -r requirements-dev.txt
  touch "$VENV/.complete"
fi
if ! command -v chromium >/dev/null 2>&1 && ! command -v chromium-browser >/dev/null 2>&1; then
  echo "Installing Chromium for the browser tests..."
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq && $SUDO apt-get install -y -qq chromium >/dev/null
fi
if ! command -v nginx >/dev/null 2>&1 && [ ! -x /usr/sbin/nginx ]; then
  echo "Installing nginx for the cluster test (tests/browser/test_ray_class.py runs it in the foreground)..."
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq && $SUDO apt-get install -y -qq nginx >/dev/null
fi
# Two workers (GENLAB_TEST_WORKERS): about a third of a serial run waits on Streamlit servers and Chromium;
# a test file stays on one worker (--dist loadfile), so its module-scoped fixtures are built once.
"$VENV/bin/python" -m pytest -n "${GENLAB_TEST_WORKERS:-2}" --dist loadfile "$@"
