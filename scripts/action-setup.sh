#!/usr/bin/env bash
# The GitHub Action's first step (action.yml): makes deputy ready to run and names its entry in the step output
# `entry`. It installs the production dependencies only and bundles the sources with esbuild (installed on its own,
# outside the package, at the version package-lock.json pins): no dev tree, no type check (measured against the
# former `npm ci` with the full build in docs/configuration.md, "Start-up").
# Steps already done (a self-hosted runner's second run, a release that ships dist/) are skipped.
#
# INPUT_VERSION: run that published deputy-lint (a version, or any npm package spec such as a tarball) instead of
# the one at the action's ref.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=${GITHUB_OUTPUT:-/dev/null}
tmp=${RUNNER_TEMP:-${TMPDIR:-/tmp}}
quiet=(--no-audit --no-fund --loglevel=error)
version=${INPUT_VERSION:-}
own=$(node -p "require(process.argv[1]).version" "$root/package.json")

if [ -n "$version" ] && [ "${version#v}" != "$own" ]; then
  case "$version" in
    */* | *.tgz) spec=$version ;;
    *) spec="deputy-lint@${version#v}" ;;
  esac
  prefix="$tmp/deputy-lint-$(printf '%s' "$version" | tr -c 'A-Za-z0-9._-' '_')"
  mkdir -p "$prefix"
  npm install --prefix "$prefix" --omit=dev "${quiet[@]}" "$spec" >&2
  entry="$prefix/node_modules/deputy-lint/dist/bundle/action.cjs"
  if [ ! -f "$entry" ]; then
    echo "::error title=deputy input::deputy-lint $version has no GitHub Action entry (dist/bundle/action.cjs); use a version from 0.1.0 on, or leave the version input empty."
    exit 2
  fi
else
  cd "$root"
  if [ ! -f node_modules/.package-lock.json ]; then
    npm ci --omit=dev --ignore-scripts "${quiet[@]}" >&2
  fi
  if [ ! -f dist/bundle/action.cjs ]; then
    esbuild=$(node -p "require('./package-lock.json').packages['node_modules/esbuild'].version")
    tools="$tmp/deputy-build-tools"
    if [ ! -d "$tools/node_modules/esbuild" ]; then
      mkdir -p "$tools"
      npm install --prefix "$tools" --no-save "${quiet[@]}" "esbuild@$esbuild" >&2
    fi
    DEPUTY_ESBUILD="$tools" node scripts/build-bin.mjs
  fi
  entry="$root/dist/bundle/action.cjs"
fi
echo "entry=$entry" >>"$out"
