#!/usr/bin/env bash
# A short tour of the CLI on a fresh embedded SQLite store (./switchyard-tour.db).
set -euo pipefail
cd "$(dirname "$0")/.."
export SWITCHYARD_DB="sqlite:./switchyard-tour.db"
rm -f switchyard-tour.db switchyard-tour.db-wal switchyard-tour.db-shm
switchyard() { node bin/switchyard.js "$@"; }
step() { printf '\n\033[1m$ switchyard %s\033[0m\n' "$*"; switchyard "$@"; }

step features apply examples/features.yaml --reason "initial rollout"
step features list
step decide coach-reply --context '{"attributes":{"userId":"user-7","tier":"paid"}}'
step decide persona-generation --context '{"attributes":{"userId":"u-1","email":"qa@example.com"}}'
step features kill persona-generation --reason "p95 latency above 8 s"
step decide persona-generation --context '{"attributes":{"userId":"u-1","email":"qa@example.com"}}'
step features enable persona-generation --reason "upstream recovered"
step features history persona-generation
printf '\n\033[1m$ node --import tsx examples/sdk-tour.ts\033[0m   (the SDK against a local fake upstream)\n'
node --import tsx examples/sdk-tour.ts
printf '\n$ switchyard features apply (a file whose split names an unknown variant)\n'
bad=$(mktemp --suffix=.yaml)
printf 'key: coach-reply\ndefaultVariant: v1\nvariants: { v1: { type: handler } }\nrules: [{ split: { v1: 1, v3: 1 } }]\n' > "$bad"
set +e
switchyard features apply "$bad"
echo "exit code: $?"
rm -f "$bad"
