#!/bin/sh
# The commands the container image is built with, in one place: the Dockerfile's build stage
# runs them, and test/package/container.test.ts runs them too (no Docker daemon runs on the
# build machines), in a copy of the build context.
#
#   sh scripts/container-build.sh install      # the dependencies, from package-lock.json
#   sh scripts/container-build.sh app /app     # build, pack, keep run-time dependencies: /app
#
# /app is the npm package as published (`npm pack`: prepack builds dist/ afresh) with the
# lockfile's run-time dependencies beside it, so the image runs exactly what `npm install bosun`
# installs, and never the compiler.
set -eu

case "${1:-}" in
install)
  npm ci --no-audit --no-fund
  ;;
app)
  out="${2:?usage: container-build.sh app OUT_DIR}"
  packed="$(mktemp -d)"
  npm pack --pack-destination "$packed" >/dev/null
  npm prune --omit=dev --no-audit --no-fund
  mkdir -p "$out"
  tar -xzf "$packed"/bosun-*.tgz -C "$out" --strip-components=1
  cp package-lock.json "$out/"
  cp -R node_modules "$out/node_modules"
  rm -rf "$packed"
  ;;
*)
  echo "usage: container-build.sh install | app OUT_DIR" >&2
  exit 2
  ;;
esac
