#!/usr/bin/env bash
# The shipped Prometheus files, checked by Prometheus' own promtool (Debian package prometheus):
# docs/prometheus.yml is a valid configuration with its rule file, and every alert in
# docs/prometheus-rules.yml fires and stays quiet as test/alerts/rules-test.yml says.
# Prints promtool's output; exits non-zero on a failure.
set -euo pipefail
here=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd -- "$here/../.." && pwd)
command -v promtool >/dev/null || { echo "alert tests: no promtool (apt-get install -y prometheus)" >&2; exit 1; }
promtool check config "$repo/docs/prometheus.yml"
promtool test rules "$here/rules-test.yml"
