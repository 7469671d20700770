import { ASSETS_PREFIX, serveAsset } from "./assets";
import { authPrecheck } from "./auth";
import { ConfigError, type EdgeConfig, configOf } from "./config";
import { isPreflight, preflight, withCors } from "./cors";
import type { EdgeEnv } from "./env";
import { bodyTooLarge, declaredLength, rateLimit } from "./limits";
import { RequestLog } from "./log";
import { jsonResponse, problem } from "./problem";
import { REQUEST_ID_HEADER, requestIdOf } from "./request-id";
import type { RouteTable } from "./routes";
import { proxyToFunction } from "./upstream";

/**
 * The edge's request pipeline: request id, edge-local paths (/healthz, /assets/, CORS
 * preflights), then route lookup, cheap refusals (401, 413, 429) and the proxy to the function.
 * Every response leaves with X-Request-Id and CORS headers and is logged once.
 */
export async function handleRequest(
  request: Request,
  env: EdgeEnv,
  ctx: ExecutionContext,
  routes: RouteTable,
): Promise<Response> {
  const requestId = requestIdOf(request.headers);
  const url = new URL(request.url);
  const log = new RequestLog(requestId, request.method, url.pathname);
  let config: EdgeConfig | null = null;
  let response: Response;
  try {
    config = configOf(env);
    response = await dispatch(request, url, config, routes, requestId, log);
  } catch (error) {
    // Expected failures are answered where they happen; this is a bug or a misconfiguration.
    const kind = error instanceof ConfigError ? "edge-misconfigured" : "edge-error";
    console.error(
      JSON.stringify({ severity: "ERROR", message: kind, request_id: requestId, error: String(error) }),
    );
    response = problem(500, kind, "Internal error", "the edge could not handle this request", requestId);
  }
  response.headers.set(REQUEST_ID_HEADER, requestId);
  if (config !== null) response = withCors(response, request, config);
  const status = response.status;
  const pending = log.pendingBytes;
  if (pending !== null) {
    ctx.waitUntil(pending.then((bytes) => log.write(status, bytes)));
  } else {
    log.write(status, Number(response.headers.get("Content-Length") ?? 0));
  }
  return response;
}

async function dispatch(
  request: Request,
  url: URL,
  config: EdgeConfig,
  routes: RouteTable,
  requestId: string,
  log: RequestLog,
): Promise<Response> {
  const path = url.pathname;
  const isAsset = path.startsWith(ASSETS_PREFIX);
  if (path === "/healthz") {
    log.route = "/healthz";
    return jsonResponse(200, { status: "ok" });
  }
  if (request.method === "OPTIONS") {
    const methods = isAsset ? ["GET", "HEAD", "OPTIONS"] : routes.methodsFor(path);
    if (methods === null) return notFound(requestId);
    if (isPreflight(request)) return preflight(request, methods, config, requestId);
    return new Response(null, { status: 204, headers: { Allow: methods.join(", ") } });
  }
  if (isAsset) {
    return (
      (await rateLimit(request, config, null, requestId)) ?? serveAsset(request, url, config, requestId, log)
    );
  }

  const match = routes.match(request.method, path);
  if (match.kind === "no-route") return notFound(requestId);
  if (match.kind === "wrong-method") {
    return problem(
      405,
      "method-not-allowed",
      "Method not allowed",
      `${request.method} is not accepted here`,
      requestId,
      {
        Allow: match.allow.join(", "),
      },
    );
  }
  const route = match.route;
  log.route = route.pattern;
  log.functionName = route.functionName;
  const refusal =
    authPrecheck(route, request.headers, requestId) ??
    (exceedsDeclared(request, route.maxBodyBytes) ? bodyTooLarge(route.maxBodyBytes, requestId) : null) ??
    (await rateLimit(
      request,
      config,
      route.access === "api-key" ? request.headers.get("X-API-Key") : null,
      requestId,
    ));
  return refusal ?? proxyToFunction(request, url, route, config, requestId, log);
}

function exceedsDeclared(request: Request, max: number): boolean {
  const length = declaredLength(request.headers);
  return length !== null && length > max;
}

function notFound(requestId: string): Response {
  return problem(404, "not-found", "Not found", "no route for this path", requestId);
}
