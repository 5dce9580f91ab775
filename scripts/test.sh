#!/usr/bin/env bash
# The whole test suite: installs what the tests need (Debian's docker.io and chromium), starts dockerd,
# then runs vitest (unit, database, Docker; then the engine-restart test on its own) and Playwright (browser).
set -euo pipefail
cd "$(dirname "$0")/.."

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

missing=()
command -v dockerd >/dev/null 2>&1 || missing+=(docker.io)
[ -x /usr/bin/chromium ] || missing+=(chromium)
if [ ${#missing[@]} -gt 0 ]; then
  echo "test: installing ${missing[*]} from Debian"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if ! docker info >/dev/null 2>&1; then
  echo "test: starting dockerd"
  as_root sh -c 'nohup dockerd >/tmp/switchyard-dockerd.log 2>&1 &'
  for _ in $(seq 1 60); do docker info >/dev/null 2>&1 && break; sleep 1; done
  docker info >/dev/null 2>&1 || { echo "test: dockerd did not start; see /tmp/switchyard-dockerd.log" >&2; exit 1; }
fi

echo "test: type-checking and linting"
npx tsc --noEmit
npx eslint . --quiet
npx vitest run --project unit --project integration
# Restarts dockerd, which would break any Docker test running beside it: alone, after the others. It stops and
# starts dockerd by hand, so never where systemd runs it (a workstation's engine and its containers).
if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet docker 2>/dev/null; then
  echo "test: not running the dockerd-restart fault test: systemd manages dockerd on this machine (CI runs it)"
else
  npx vitest run --project disruptive
fi
npx playwright test
