import type { EdgeConfig } from "./config";
import { problem } from "./problem";

/**
 * Limits applied before a request may cost anything: the declared body size per route, and
 * Cloudflare's rate-limiting bindings per client address and per API key. Chunked bodies
 * without a declared size are counted while streaming (streaming.ts, limitRequestBody).
 */

/** The declared Content-Length, or null when the body is chunked or absent. */
export function declaredLength(headers: Headers): number | null {
  const value = headers.get("Content-Length");
  if (value === null || !/^\d+$/.test(value)) return null;
  return Number(value);
}

export function bodyTooLarge(max: number, requestId: string): Response {
  return problem(
    413,
    "payload-too-large",
    "Request body too large",
    `at most ${max} bytes are accepted here`,
    requestId,
  );
}

/** 429 when the client (or, on API-key routes, the key) is over its limit; else null. */
export async function rateLimit(
  request: Request,
  config: EdgeConfig,
  apiKey: string | null,
  requestId: string,
): Promise<Response | null> {
  const client = request.headers.get("CF-Connecting-IP") ?? "unknown";
  if (
    config.clientLimiter !== null &&
    !(await config.clientLimiter.limit({ key: `client:${client}` })).success
  ) {
    return tooManyRequests("this client", config, requestId);
  }
  if (apiKey !== null && config.apiKeyLimiter !== null) {
    // The limiter's key is stored by Cloudflare: use a digest, never the key itself.
    const key = `api-key:${await sha256Hex(apiKey)}`;
    if (!(await config.apiKeyLimiter.limit({ key })).success) {
      return tooManyRequests("this API key", config, requestId);
    }
  }
  return null;
}

function tooManyRequests(who: string, config: EdgeConfig, requestId: string): Response {
  return problem(429, "rate-limited", "Too many requests", `rate limit reached for ${who}`, requestId, {
    "Retry-After": String(config.retryAfterSeconds),
  });
}

async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}
