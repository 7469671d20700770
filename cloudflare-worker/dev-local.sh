#!/usr/bin/env bash
# Starts the edge under `wrangler dev` as the front door of the local stack: one local port
# that serves the whole API (routed to the functions' invoker ports) and /assets/ (proxied from
# the local asset server). Fully offline: no login, no telemetry, no cf.json download, no
# update check, no remote bindings.
#
# Usage: cloudflare-worker/dev-local.sh [UPSTREAMS_JSON]
#   UPSTREAMS_JSON  {"<function>": "http://127.0.0.1:<port>", ...}; default: every routed
#                   function of functions/functions.json at http://127.0.0.1:<local.port>
# Environment (all optional):
#   EDGE_PORT=8787  ASSETS_ORIGIN=http://127.0.0.1:8090/assets  ALLOWED_ORIGINS=*
#   ASSETS_MODE=proxy  ASSET_PREFIXES=gen/,public/  EDGE_LOG_LEVEL=log  EDGE_PERSIST_DIR=
# Ready when GET http://127.0.0.1:$EDGE_PORT/healthz answers 200. The process is wrangler
# itself (exec), so stopping this pid stops the edge.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
manifest="$here/../functions/functions.json"
wrangler="$here/node_modules/.bin/wrangler"
if [[ ! -x "$wrangler" ]]; then
  echo "dev-local.sh: wrangler is not installed; run: (cd $here && npm ci)" >&2
  exit 1
fi

upstreams="${1:-}"
if [[ -z "$upstreams" ]]; then
  # The edge routes http functions that are not internal; each listens on its local.port.
  upstreams="$(node -e '
    const m = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    const up = {};
    for (const f of m.functions) {
      if (f.trigger !== "http" || f.access === "internal" || !(f.routes || []).length) continue;
      if (!f.local || !f.local.port) throw new Error(`${f.name} has no local.port in the manifest`);
      up[f.name] = `http://127.0.0.1:${f.local.port}`;
    }
    process.stdout.write(JSON.stringify(up));
  ' "$manifest")"
fi

export WRANGLER_SEND_METRICS=false      # no telemetry
export WRANGLER_HIDE_BANNER=true        # the banner is what checks npm for updates
export CLOUDFLARE_CF_FETCH_ENABLED=false # no download of request.cf data
# The edge keeps no state worth persisting (rate limiters are in memory); wrangler's default
# .wrangler/state (git-ignored) serves unless EDGE_PERSIST_DIR says otherwise.
persist=()
if [[ -n "${EDGE_PERSIST_DIR:-}" ]]; then persist=(--persist-to "$EDGE_PERSIST_DIR"); fi

cd "$here"
exec "$wrangler" dev --local \
  --ip 127.0.0.1 --port "${EDGE_PORT:-8787}" \
  --show-interactive-dev-session=false \
  --log-level "${EDGE_LOG_LEVEL:-log}" \
  "${persist[@]}" \
  --var "UPSTREAMS:$upstreams" \
  --var "UPSTREAM_AUTH:none" \
  --var "ASSETS_MODE:${ASSETS_MODE:-proxy}" \
  --var "ASSETS_ORIGIN:${ASSETS_ORIGIN:-http://127.0.0.1:8090/assets}" \
  --var "ASSET_PREFIXES:${ASSET_PREFIXES:-gen/,public/}" \
  --var "ALLOWED_ORIGINS:${ALLOWED_ORIGINS:-*}"
