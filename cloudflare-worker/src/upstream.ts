import type { EdgeConfig } from "./config";
import { GoogleIdTokens } from "./id-token";
import { declaredLength, bodyTooLarge } from "./limits";
import type { RequestLog } from "./log";
import { problem } from "./problem";
import { REQUEST_ID_HEADER } from "./request-id";
import type { Route } from "./routes";
import { limitRequestBody, relay } from "./streaming";

/**
 * Forwards a routed request to its function and relays the answer. Upstream responses,
 * errors included, pass through unchanged, also when the function answers before it has read
 * the whole upload (a 413 after the first bytes of a too-large photo). What the edge adds are its
 * own failures: 502 when the function cannot be reached or answers with a status no response can
 * have, 504 when it sends no response headers within the function's timeout, 413 when a chunked
 * body outgrows the route's limit.
 */

// Hop-by-hop headers (RFC 9110 7.6.1) belong to one connection, not to the message.
const HOP_BY_HOP = [
  "connection",
  "keep-alive",
  "proxy-authenticate",
  "proxy-authorization",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
];
// Request headers only the edge (or the runtime) may set; a client's are dropped.
const EDGE_SET = [
  "host",
  "content-length",
  // 100-continue is a handshake between two hops. The runtime settles it with the client; passed
  // on, the function answers "100 Continue" first and fetch() hands that interim answer back as
  // if it were the response (curl asks for it on every upload over 1 MB).
  "expect",
  "x-serverless-authorization",
  "x-forwarded-for",
  "x-forwarded-host",
  "x-forwarded-proto",
];

export async function proxyToFunction(
  request: Request,
  url: URL,
  route: Route,
  config: EdgeConfig,
  requestId: string,
  log: RequestLog,
): Promise<Response> {
  const base = config.upstreams.get(route.functionName);
  if (base === undefined) {
    return problem(
      502,
      "upstream-not-configured",
      "Bad gateway",
      `no upstream configured for ${route.functionName}`,
      requestId,
    );
  }
  const target = base + url.pathname + url.search;
  const headers = forwardedHeaders(request, url, requestId);
  if (route.access !== "public" && config.upstreamAuth === "google-id-token") {
    try {
      // Cloud Run reads X-Serverless-Authorization first and leaves Authorization (the
      // user's Firebase token) for the function.
      headers.set("X-Serverless-Authorization", `Bearer ${await idTokens(config).token(base)}`);
    } catch (error) {
      console.error(
        JSON.stringify({
          severity: "ERROR",
          message: "id token",
          request_id: requestId,
          error: String(error),
        }),
      );
      return problem(
        502,
        "upstream-auth",
        "Bad gateway",
        "could not authenticate to the upstream function",
        requestId,
      );
    }
  }

  const abort = new AbortController();
  let tooLarge = false;
  let timedOut = false;
  let body: ReadableStream<Uint8Array> | null = null;
  if (request.body !== null && request.method !== "GET" && request.method !== "HEAD") {
    // A declared length was checked before; the runtime enforces it on the wire.
    body =
      declaredLength(request.headers) !== null
        ? request.body
        : limitRequestBody(request.body, route.maxBodyBytes, () => {
            tooLarge = true;
            abort.abort();
          });
  }
  const timeoutMs = config.upstreamTimeoutMs ?? route.timeoutMs;
  const timer = setTimeout(() => {
    timedOut = true;
    abort.abort();
  }, timeoutMs);
  const started = Date.now();
  let upstream: Response;
  try {
    upstream = await fetch(target, {
      method: request.method,
      headers,
      body,
      redirect: "manual",
      signal: abort.signal,
    });
  } catch {
    if (tooLarge) return bodyTooLarge(route.maxBodyBytes, requestId);
    if (timedOut) {
      return problem(
        504,
        "upstream-timeout",
        "Gateway timeout",
        `${route.functionName} did not answer within ${timeoutMs} ms`,
        requestId,
      );
    }
    return problem(
      502,
      "upstream-unreachable",
      "Bad gateway",
      `${route.functionName} could not be reached`,
      requestId,
    );
  } finally {
    // Only the wait for response headers is bounded: streams may run as long as the function.
    clearTimeout(timer);
  }
  log.upstreamMs = Date.now() - started;
  if (upstream.status < 200 || upstream.status > 599) {
    // An interim (1xx) or nonsense status is no answer a Response can carry: a broken upstream.
    upstream.body?.cancel().catch(() => {});
    return problem(
      502,
      "upstream-bad-response",
      "Bad gateway",
      `${route.functionName} answered with status ${upstream.status}`,
      requestId,
    );
  }
  return relayed(upstream, log);
}

function forwardedHeaders(request: Request, url: URL, requestId: string): Headers {
  const headers = new Headers();
  for (const [name, value] of request.headers) {
    if (!HOP_BY_HOP.includes(name) && !EDGE_SET.includes(name) && !name.startsWith("cf-"))
      headers.append(name, value);
  }
  headers.set(REQUEST_ID_HEADER, requestId);
  // Functions build status URLs on the public origin from these.
  headers.set("X-Forwarded-Host", url.host);
  headers.set("X-Forwarded-Proto", url.protocol.slice(0, -1));
  const client = request.headers.get("CF-Connecting-IP");
  if (client !== null) headers.set("X-Forwarded-For", client);
  return headers;
}

function relayed(upstream: Response, log: RequestLog): Response {
  const headers = new Headers(upstream.headers);
  for (const name of HOP_BY_HOP) headers.delete(name);
  const eventStream = (headers.get("Content-Type") ?? "").toLowerCase().startsWith("text/event-stream");
  if (eventStream) {
    // no-transform keeps Cloudflare from compressing or rewriting the stream; events must
    // leave the edge the moment they arrive.
    const cacheControl = headers.get("Cache-Control");
    if (cacheControl === null) headers.set("Cache-Control", "no-cache, no-transform");
    else if (!/no-transform/i.test(cacheControl))
      headers.set("Cache-Control", `${cacheControl}, no-transform`);
    headers.set("X-Accel-Buffering", "no");
    headers.delete("Content-Length");
  }
  if (upstream.body === null) {
    return new Response(null, { status: upstream.status, statusText: upstream.statusText, headers });
  }
  // fetch() hands over a decoded body: a compressed length no longer applies to it.
  if (headers.has("Content-Encoding")) headers.delete("Content-Length");
  const length = eventStream ? null : declaredLength(headers);
  const body = relay(upstream.body, length);
  log.pendingBytes = body.bytes;
  return new Response(body.body, { status: upstream.status, statusText: upstream.statusText, headers });
}

// One minter per isolate (module scope outlives a request), so cached tokens are reused.
let minter: { key: string; tokens: GoogleIdTokens } | null = null;

function idTokens(config: EdgeConfig): GoogleIdTokens {
  if (config.serviceAccountKey === null) throw new Error("GOOGLE_SA_KEY is not set");
  const key = `${config.tokenUrl}\n${config.serviceAccountKey}`;
  if (minter === null || minter.key !== key) {
    minter = { key, tokens: GoogleIdTokens.fromKeyJson(config.serviceAccountKey, config.tokenUrl) };
  }
  return minter.tokens;
}
