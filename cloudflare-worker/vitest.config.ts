import { cloudflareTest } from "@cloudflare/vitest-pool-workers";
import { defineConfig } from "vitest/config";

// Keep miniflare off the network: no cf.json download, no telemetry.
process.env["CLOUDFLARE_CF_FETCH_ENABLED"] ??= "false";
process.env["WRANGLER_SEND_METRICS"] ??= "false";

export default defineConfig({
  plugins: [
    cloudflareTest(({ inject }) => ({
      main: "./src/index.ts",
      wrangler: { configPath: "./wrangler.jsonc" },
      miniflare: {
        // The deployed worker (src/index.ts, real manifest) talks to the stand-ins too.
        bindings: {
          UPSTREAMS: JSON.stringify({
            health: `${inject("standIn")}/echo`,
            // Answers uploads early, the way scan-stream refuses an oversized photo.
            "scan-stream": inject("earlyBase"),
          }),
          UPSTREAM_AUTH: "none",
          ASSETS_ORIGIN: `${inject("standIn")}/assets`,
          ALLOWED_ORIGINS: "https://app.example",
        },
        // Small limits so a test can reach them; wrangler.jsonc holds the production ones.
        ratelimits: {
          CLIENT_RATE_LIMITER: { simple: { limit: 10, period: 60 } },
          API_KEY_RATE_LIMITER: { simple: { limit: 3, period: 60 } },
        },
      },
    })),
  ],
  test: {
    globalSetup: ["./test/node/global-setup.ts"],
    include: ["test/**/*.test.ts"],
    // The edge logs a JSON line per request: show them for failing tests only.
    silent: "passed-only",
  },
});
