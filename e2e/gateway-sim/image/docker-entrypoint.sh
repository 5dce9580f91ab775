#!/bin/sh
# Gateway simulator entrypoint: same path as the official image's, hands every argument to the simulator.
exec /usr/bin/node /usr/local/bin/ignition/lib/simulator/main.mjs "$@"
