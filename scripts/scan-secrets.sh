#!/usr/bin/env bash
# SUPPLY-2 / SEC-1 gate: secretlint (preset "recommend", .secretlintrc.json) over the repository and the
# synthesized templates in cdk.out/. Runs after a synth: without cdk.out/manifest.json the templates would
# silently go unscanned, so that is an error. Ignored paths (.secretlintignore): dependencies and scratch
# output only; test fixtures ARE scanned (their fake tokens are not in any secretlint format).
# The outcome is recorded for the auditor report (reports/gates/secretlint.json).
set -euo pipefail
cd "$(dirname "$0")/.."

record() { node -r esbuild-register scripts/record-gate.ts secretlint "$@"; }

if [ ! -f cdk.out/manifest.json ]; then
  echo "SUPPLY-2: cdk.out/manifest.json is missing: synthesize first (npx cdk synth --quiet)" >&2
  record not-run "cdk.out/manifest.json is missing: the templates were not synthesized, so they could not be scanned"
  exit 1
fi
if ! npx --no-install secretlint --format=stylish "**/*"; then
  record failed "secretlint found a secret in the repository or cdk.out/ (see the CI log)"
  exit 1
fi
record passed "secretlint found no secret in the repository or cdk.out/"
echo "SUPPLY-2: secretlint found no secret in the repository or cdk.out/"
