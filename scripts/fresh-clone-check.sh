#!/usr/bin/env bash
# Shows issue 3's promise on a clean clone: `make test` passes and `make demo` serves the
# home page, each starting from no .venv, no node_modules and no var/.
# Usage: scripts/fresh-clone-check.sh [REV]   (default HEAD)
set -euo pipefail
rev=${1:-HEAD}
repo=$(git rev-parse --show-toplevel)
work=$(mktemp -d)
trap 'kill "${demo_pid:-}" 2>/dev/null || true; rm -rf "$work"' EXIT

git clone --quiet "$repo" "$work/medmentor"
cd "$work/medmentor"
git checkout --quiet "$rev"
test ! -e .venv && test ! -e node_modules && test ! -e var

echo "== make test on a clean clone"
env -u DATABASE_URL make test

echo "== make demo on a clean clone"
rm -rf .venv node_modules var src/medmentor/static/vendor
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
env -u DATABASE_URL PORT="$port" make demo >"$work/demo.log" 2>&1 &
demo_pid=$!
for _ in $(seq 1 300); do
  if curl -fsS "http://127.0.0.1:$port/" -o "$work/home.html" 2>/dev/null; then break; fi
  sleep 1
done
grep -q "Find a mentor. Be a mentor." "$work/home.html"
grep -q "mentee@medmentor.demo" "$work/demo.log"
echo "ok: the demo served the home page on port $port from a fresh .venv"
