/**
 * What the Worker reads from its environment. wrangler.jsonc declares the variables and the
 * rate-limiting bindings; GOOGLE_SA_KEY is a secret (`wrangler secret put`). docs/edge.md
 * explains each one.
 */
export interface EdgeEnv {
  /** JSON object: function name -> base URL (Cloud Run URL in production, invoker port locally). */
  UPSTREAMS?: string | Record<string, string>;
  /** "google-id-token" (default: fail closed) or "none" (local stack). */
  UPSTREAM_AUTH?: string;
  /** Service-account key JSON used to mint Google ID tokens for non-public functions. */
  GOOGLE_SA_KEY?: string;
  /** OAuth token endpoint; https://oauth2.googleapis.com/token unless set. */
  GOOGLE_TOKEN_URL?: string;
  /** Overrides every function's manifest timeout for the wait on response headers. */
  UPSTREAM_TIMEOUT_MS?: string;
  /** Comma-separated exact origins allowed by CORS, or "*". Empty: no CORS. */
  ALLOWED_ORIGINS?: string;
  /** "proxy" (stream the object) or "redirect" (302 to the bucket URL). */
  ASSETS_MODE?: string;
  /** Base URL of the objects: the public bucket, or the local stack's asset server. */
  ASSETS_ORIGIN?: string;
  /** Comma-separated key prefixes that may be served, e.g. "gen/,public/". */
  ASSET_PREFIXES?: string;
  /** Retry-After seconds on 429; match the period of the rate-limit bindings. */
  RATE_LIMIT_RETRY_AFTER?: string;
  CLIENT_RATE_LIMITER?: RateLimit;
  API_KEY_RATE_LIMITER?: RateLimit;
}
