#!/bin/sh
# Readiness probe like the official image's: `health-check.sh -t <seconds>` succeeds once the gateway is RUNNING.
timeout=3
if [ "$1" = "-t" ] && [ -n "$2" ]; then timeout="$2"; fi
curl -fsS --max-time "$timeout" "http://localhost:${GATEWAY_HTTP_PORT:-8088}/StatusPing" | grep -q RUNNING
