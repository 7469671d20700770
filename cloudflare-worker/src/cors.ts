import type { EdgeConfig } from "./config";
import { problem } from "./problem";

/**
 * CORS for the configured origins. Preflights are answered here and never reach a function;
 * actual responses (errors included, so browsers can read problem documents) get the
 * Access-Control-* headers when the request's Origin is allowed.
 */
const ALLOWED_REQUEST_HEADERS = [
  "authorization",
  "content-type",
  "idempotency-key",
  "if-none-match",
  "last-event-id",
  "range",
  "traceparent",
  "x-api-key",
  "x-request-id",
];
const EXPOSED_HEADERS = "X-Request-Id, Retry-After, Location, ETag, Content-Range, Accept-Ranges";
const PREFLIGHT_MAX_AGE_S = "600";

export function isPreflight(request: Request): boolean {
  return (
    request.method === "OPTIONS" &&
    request.headers.has("Origin") &&
    request.headers.has("Access-Control-Request-Method")
  );
}

/** Answers a preflight for a path that accepts `methods` (the origin is labelled by withCors). */
export function preflight(
  request: Request,
  methods: string[],
  config: EdgeConfig,
  requestId: string,
): Response {
  const origin = request.headers.get("Origin")!;
  if (!originAllowed(origin, config)) {
    return problem(
      403,
      "cors-origin",
      "Origin not allowed",
      `origin ${origin} may not call this API`,
      requestId,
    );
  }
  const method = request.headers.get("Access-Control-Request-Method")!.toUpperCase();
  if (!methods.includes(method)) {
    return problem(
      405,
      "method-not-allowed",
      "Method not allowed",
      `${method} is not accepted here`,
      requestId,
      {
        Allow: methods.join(", "),
      },
    );
  }
  const requested = (request.headers.get("Access-Control-Request-Headers") ?? "")
    .split(",")
    .map((h) => h.trim().toLowerCase())
    .filter((h) => h !== "");
  const response = new Response(null, { status: 204 });
  response.headers.set("Access-Control-Allow-Methods", methods.join(", "));
  const granted = requested.filter((h) => ALLOWED_REQUEST_HEADERS.includes(h));
  if (granted.length > 0) response.headers.set("Access-Control-Allow-Headers", granted.join(", "));
  response.headers.set("Access-Control-Max-Age", PREFLIGHT_MAX_AGE_S);
  // Allow-Origin is added with every other response's, in withCors.
  return response;
}

/** Adds the CORS response headers when the request comes from an allowed origin. */
export function withCors(response: Response, request: Request, config: EdgeConfig): Response {
  if (config.allowedOrigins === "*") {
    response.headers.set("Access-Control-Allow-Origin", "*");
    response.headers.set("Access-Control-Expose-Headers", EXPOSED_HEADERS);
    return response;
  }
  if (config.allowedOrigins.size === 0) return response;
  // The answer depends on Origin: caches must keep one copy per origin.
  response.headers.append("Vary", "Origin");
  const origin = request.headers.get("Origin");
  if (origin !== null && originAllowed(origin, config)) {
    response.headers.set("Access-Control-Allow-Origin", origin);
    response.headers.set("Access-Control-Expose-Headers", EXPOSED_HEADERS);
  }
  return response;
}

function originAllowed(origin: string, config: EdgeConfig): boolean {
  return config.allowedOrigins === "*" || config.allowedOrigins.has(origin);
}
