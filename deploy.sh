#!/usr/bin/env bash
# Deploys mise to Google Cloud as functions/functions.json describes (see docs/manifest.md):
# APIs, service accounts, Firestore, topics, subscriptions, queues, buckets, every function (or
# the ones named), the bindings that let Cloud Tasks, Eventarc and the edge call them, and the edge.
# Every step is safe to repeat: after a failure, fix the cause and run the same command again.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

usage() {
  cat <<'EOF'
Usage: ./deploy.sh --project=ID --public-base-url=URL [--region=REGION] [--dry-run] [FUNCTION ...]

  --project=ID      Google Cloud project (default: $GOOGLE_CLOUD_PROJECT, then $CLOUDSDK_CORE_PROJECT)
  --region=REGION   region of functions and queues (default: $FUNCTION_REGION, then the manifest's)
  --public-base-url=URL
                    the edge's public origin, e.g. https://api.example.com: every function gets
                    it as PUBLIC_BASE_URL, on which asset URLs are built (default:
                    $PUBLIC_BASE_URL; a dry run without one leaves it out, a deploy refuses)
  --dry-run         print every command, run none (the output is itself a bash script)
  FUNCTION ...      deploy only these functions, with the topics, queues and accounts they use;
                    without names, everything in functions/functions.json and the edge

Needs gcloud logged in to the project (gcloud auth login) and, for the edge, wrangler's
CLOUDFLARE_API_TOKEN. A dry run needs neither.
EOF
}

project="${GOOGLE_CLOUD_PROJECT:-${CLOUDSDK_CORE_PROJECT:-}}"
region="${FUNCTION_REGION:-}"
public_base_url="${PUBLIC_BASE_URL:-}"
dry_run=false
functions=()
while [ $# -gt 0 ]; do
  case "$1" in
    --project=*) project="${1#*=}" ;;
    --project) [ $# -ge 2 ] || { echo "deploy.sh: --project needs a value" >&2; exit 2; }; project="$2"; shift ;;
    --region=*) region="${1#*=}" ;;
    --region) [ $# -ge 2 ] || { echo "deploy.sh: --region needs a value" >&2; exit 2; }; region="$2"; shift ;;
    --public-base-url=*) public_base_url="${1#*=}" ;;
    --public-base-url) [ $# -ge 2 ] || { echo "deploy.sh: --public-base-url needs a value" >&2; exit 2; }; public_base_url="$2"; shift ;;
    --dry-run) dry_run=true ;;
    -h | --help) usage; exit 0 ;;
    --) shift; functions+=("$@"); break ;;
    -*) echo "deploy.sh: unknown option $1" >&2; usage >&2; exit 2 ;;
    *) functions+=("$1") ;;
  esac
  shift
done

if [ -z "$project" ]; then
  echo "deploy.sh: no Google Cloud project: pass --project=ID or set GOOGLE_CLOUD_PROJECT." >&2
  echo "  (deploy.sh never falls back to gcloud's configured project, so it cannot deploy to the wrong one.)" >&2
  exit 2
fi

if [ -z "$public_base_url" ] && ! $dry_run; then
  echo "deploy.sh: no public origin: pass --public-base-url=https://... (the edge's origin) or set PUBLIC_BASE_URL." >&2
  echo "  (functions build asset URLs on it and refuse to start without it.)" >&2
  exit 2
fi

source scripts/jdk.sh

# Build once. A dry run only needs the plan's own classes; a deploy needs every function's jar
# (functions/<module>/target/deploy/<module>.jar, what --source points at). Build output goes to
# stderr, so that a dry run's stdout is the plan alone.
if $dry_run; then
  echo "==> Building the deploy plan (./mvnw package -pl emulators)" >&2
  ./mvnw -B -q -pl emulators -am package -DskipTests >&2
else
  command -v gcloud >/dev/null 2>&1 || {
    echo "deploy.sh: gcloud is not installed: see https://cloud.google.com/sdk/docs/install" >&2
    exit 2
  }
  echo "==> Building every function (./mvnw package)" >&2
  ./mvnw -B -q package -DskipTests >&2
fi

plan_args=(--root=. "--project=$project")
[ -n "$region" ] && plan_args+=("--region=$region")
[ -n "$public_base_url" ] && plan_args+=("--public-base-url=$public_base_url")
plan=$(java -cp "emulators/target/classes:emulators/target/lib/*" \
  dev.mise.emulators.manifest.DeployPlan "${plan_args[@]}" -- "${functions[@]}")

if $dry_run; then
  printf '%s\n' "$plan"
  exit 0
fi

export CLOUDSDK_CORE_DISABLE_PROMPTS=1
while IFS= read -r line; do
  case "$line" in
    '') ;;
    '# '*) printf '==> %s\n' "${line#\# }" ;;
    *)
      printf '+ %s\n' "$line"
      # Each line is self-contained; stdin is closed so no command can swallow the plan.
      if ! bash -euo pipefail -c "$line" </dev/null; then
        echo "deploy.sh: the step above failed. Fix the cause and run deploy.sh again: every step is safe to repeat." >&2
        exit 1
      fi
      ;;
  esac
done <<<"$plan"
echo "==> Deployed to project $project"
