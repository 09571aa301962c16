#!/usr/bin/env bash
# SUPPLY-2 / SEC-1 gate: secretlint (preset "recommend", .secretlintrc.json) over the repository and the
# synthesized templates in cdk.out/. Runs after a synth: without cdk.out/manifest.json the templates would
# silently go unscanned, so that is an error. Ignored paths (.secretlintignore): dependencies and scratch
# output only; test fixtures ARE scanned (their fake tokens are not in any secretlint format).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -f cdk.out/manifest.json ]; then
  echo "SUPPLY-2: cdk.out/manifest.json is missing: synthesize first (npx cdk synth --quiet)" >&2
  exit 1
fi
npx --no-install secretlint --format=stylish "**/*"
echo "SUPPLY-2: secretlint found no secret in the repository or cdk.out/"
