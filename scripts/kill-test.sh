#!/usr/bin/env bash
# The long kill test: 200 SIGKILLs during saves of a scenario, a hardware profile and the app's
# autosave each (cargo test runs 70 of each). Prints the time taken and how many kills landed
# mid-write. KILL_ROUNDS overrides the count.
set -euo pipefail
cd "$(dirname "$0")/.."
KILL_ROUNDS=${KILL_ROUNDS:-200} cargo test --test saves_survive_kill -- --nocapture --test-threads=1
