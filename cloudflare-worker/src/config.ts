import type { EdgeEnv } from "./env";

/**
 * The Worker's configuration, read from its environment once per isolate (env is the same
 * object for every request an isolate serves). A malformed value is a deployment mistake: the
 * edge answers 500 problem+json and logs it, rather than guessing.
 */
export interface EdgeConfig {
  /** Function name -> base URL without a trailing slash, so `base + pathname` is safe. */
  upstreams: ReadonlyMap<string, string>;
  upstreamAuth: "google-id-token" | "none";
  serviceAccountKey: string | null;
  tokenUrl: string;
  upstreamTimeoutMs: number | null;
  allowedOrigins: "*" | ReadonlySet<string>;
  assets: AssetsConfig;
  retryAfterSeconds: number;
  clientLimiter: RateLimit | null;
  apiKeyLimiter: RateLimit | null;
}

export interface AssetsConfig {
  mode: "proxy" | "redirect";
  /** Base URL without a trailing slash. */
  origin: string | null;
  prefixes: readonly string[];
}

export const GOOGLE_TOKEN_URL = "https://oauth2.googleapis.com/token";

export class ConfigError extends Error {}

const cache = new WeakMap<EdgeEnv, EdgeConfig>();

export function configOf(env: EdgeEnv): EdgeConfig {
  let config = cache.get(env);
  if (config === undefined) {
    config = readConfig(env);
    cache.set(env, config);
  }
  return config;
}

export function readConfig(env: EdgeEnv): EdgeConfig {
  return {
    upstreams: upstreamsOf(env.UPSTREAMS),
    upstreamAuth: oneOf(env.UPSTREAM_AUTH ?? "google-id-token", "UPSTREAM_AUTH", [
      "google-id-token",
      "none",
    ] as const),
    serviceAccountKey: nonEmpty(env.GOOGLE_SA_KEY),
    tokenUrl: nonEmpty(env.GOOGLE_TOKEN_URL) ?? GOOGLE_TOKEN_URL,
    upstreamTimeoutMs: positiveInt(env.UPSTREAM_TIMEOUT_MS, "UPSTREAM_TIMEOUT_MS"),
    allowedOrigins: originsOf(env.ALLOWED_ORIGINS),
    assets: {
      mode: oneOf(env.ASSETS_MODE ?? "proxy", "ASSETS_MODE", ["proxy", "redirect"] as const),
      origin: env.ASSETS_ORIGIN ? baseUrl(env.ASSETS_ORIGIN, "ASSETS_ORIGIN") : null,
      // A prefix names a folder: "gen" means "gen/", never "generated/".
      prefixes: list(env.ASSET_PREFIXES ?? "gen/").map((p) => (p.endsWith("/") ? p : `${p}/`)),
    },
    retryAfterSeconds: positiveInt(env.RATE_LIMIT_RETRY_AFTER, "RATE_LIMIT_RETRY_AFTER") ?? 60,
    clientLimiter: env.CLIENT_RATE_LIMITER ?? null,
    apiKeyLimiter: env.API_KEY_RATE_LIMITER ?? null,
  };
}

function upstreamsOf(value: EdgeEnv["UPSTREAMS"]): Map<string, string> {
  let parsed: unknown = value ?? {};
  if (typeof parsed === "string") {
    try {
      parsed = JSON.parse(parsed === "" ? "{}" : parsed);
    } catch {
      throw new ConfigError("UPSTREAMS is not JSON");
    }
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new ConfigError("UPSTREAMS must be a JSON object of function name -> base URL");
  }
  const upstreams = new Map<string, string>();
  for (const [name, url] of Object.entries(parsed)) {
    if (typeof url !== "string") throw new ConfigError(`UPSTREAMS.${name} must be a URL string`);
    upstreams.set(name, baseUrl(url, `UPSTREAMS.${name}`));
  }
  return upstreams;
}

function baseUrl(text: string, name: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new ConfigError(`${name} is not a URL`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new ConfigError(`${name} must be http(s)`);
  }
  if (url.search !== "" || url.hash !== "") throw new ConfigError(`${name} must have no query`);
  // Base URLs are joined with request paths (which start with /): no trailing slash.
  return url.href.replace(/\/+$/, "");
}

function originsOf(value: string | undefined): "*" | Set<string> {
  const origins = list(value ?? "");
  if (origins.includes("*")) return "*";
  for (const origin of origins) {
    if (!URL.canParse(origin) || new URL(origin).origin !== origin) {
      throw new ConfigError(`ALLOWED_ORIGINS: ${origin} is not an origin (scheme://host[:port])`);
    }
  }
  return new Set(origins);
}

function list(value: string): string[] {
  return value
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
}

function oneOf<T extends string>(value: string, name: string, allowed: readonly T[]): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new ConfigError(`${name} must be one of ${allowed.join(", ")}`);
}

function positiveInt(value: string | undefined, name: string): number | null {
  if (value === undefined || value === "") return null;
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new ConfigError(`${name} must be a positive integer`);
  return n;
}

function nonEmpty(value: string | undefined): string | null {
  return value === undefined || value.trim() === "" ? null : value;
}
