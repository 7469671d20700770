import { assetKey, isImmutableKey } from "./asset-key";
import type { EdgeConfig } from "./config";
import { declaredLength } from "./limits";
import type { RequestLog } from "./log";
import { problem } from "./problem";
import { parseRange } from "./range";
import { relay, sliceBody } from "./streaming";

/**
 * GET /assets/<key>. Two modes (ASSETS_MODE): "redirect" answers 302 to the object's URL in the
 * public bucket; "proxy" streams the object from ASSETS_ORIGIN with ETag and Range support and
 * year-long immutable caching for content-addressed gen/ keys. Either way the target is the
 * configured origin plus a validated key, and redirects from the origin are never followed.
 */
export const ASSETS_PREFIX = "/assets/";
const ALLOW = "GET, HEAD, OPTIONS";
const IMMUTABLE = "public, max-age=31536000, immutable";
const MUTABLE = "public, max-age=300";
const FORWARDED_REQUEST_HEADERS = ["range", "if-none-match", "if-modified-since", "if-range"];
const RELAYED_RESPONSE_HEADERS = [
  "content-type",
  "content-length",
  "content-range",
  "content-encoding",
  "accept-ranges",
  "etag",
  "last-modified",
];

export async function serveAsset(
  request: Request,
  url: URL,
  config: EdgeConfig,
  requestId: string,
  log: RequestLog,
): Promise<Response> {
  log.route = "/assets/{key}";
  if (request.method !== "GET" && request.method !== "HEAD") {
    return problem(405, "method-not-allowed", "Method not allowed", "assets are read-only", requestId, {
      Allow: ALLOW,
    });
  }
  const result = assetKey(url.pathname.slice(ASSETS_PREFIX.length), config.assets.prefixes);
  if (!result.ok) {
    return problem(400, "bad-asset-key", "Bad asset key", `asset key rejected: ${result.reason}`, requestId);
  }
  const origin = config.assets.origin;
  if (origin === null) {
    return problem(502, "assets-not-configured", "Bad gateway", "no asset origin configured", requestId);
  }
  const location = `${origin}/${result.key}`;
  if (config.assets.mode === "redirect") {
    return new Response(null, { status: 302, headers: { Location: location, "Cache-Control": MUTABLE } });
  }
  return proxyAsset(request, location, isImmutableKey(result.key), requestId, log);
}

async function proxyAsset(
  request: Request,
  location: string,
  immutable: boolean,
  requestId: string,
  log: RequestLog,
): Promise<Response> {
  const headers = new Headers();
  for (const name of FORWARDED_REQUEST_HEADERS) {
    const value = request.headers.get(name);
    if (value !== null) headers.set(name, value);
  }
  const started = Date.now();
  let origin: Response;
  try {
    origin = await fetch(location, {
      method: request.method,
      headers,
      redirect: "manual",
      // In production the CDN keeps immutable objects; locally this is ignored.
      cf: immutable ? { cacheEverything: true, cacheTtl: 31536000 } : undefined,
    });
  } catch {
    return problem(
      502,
      "assets-unreachable",
      "Bad gateway",
      "the asset store could not be reached",
      requestId,
    );
  }
  log.upstreamMs = Date.now() - started;
  const status = origin.status;
  if (status === 416) {
    await origin.body?.cancel();
    const contentRange = origin.headers.get("content-range");
    return problem(
      416,
      "range-not-satisfiable",
      "Range not satisfiable",
      "the range lies outside the asset",
      requestId,
      contentRange === null ? {} : { "Content-Range": contentRange },
    );
  }
  if (![200, 206, 304].includes(status)) {
    await origin.body?.cancel();
    // A bucket without list permission says 403 for a missing object: both are "not found".
    if (status === 404 || status === 403 || status === 410) {
      return problem(404, "asset-not-found", "Not found", "no such asset", requestId);
    }
    return problem(502, "assets-failed", "Bad gateway", `the asset store answered ${status}`, requestId);
  }

  const out = new Headers();
  for (const name of RELAYED_RESPONSE_HEADERS) {
    const value = origin.headers.get(name);
    if (value !== null) out.set(name, value);
  }
  out.set("Cache-Control", immutable ? IMMUTABLE : MUTABLE);
  out.set("X-Content-Type-Options", "nosniff");
  // fetch() hands over a decoded body: a compressed length no longer applies to it.
  if (out.has("content-encoding")) out.delete("content-length");
  const length = declaredLength(out);
  if (!out.has("etag")) {
    const weak = weakEtag(length, origin.headers.get("last-modified"));
    if (weak !== null) out.set("ETag", weak);
  }

  if (status === 200) {
    // Origins that ignore conditional or ranged requests are answered for here.
    const etag = out.get("etag");
    if (etag !== null && etagMatches(request.headers.get("if-none-match"), etag)) {
      await origin.body?.cancel();
      out.delete("content-length");
      return new Response(null, { status: 304, headers: out });
    }
    if (length !== null && !request.headers.has("if-range")) {
      const range = parseRange(request.headers.get("range"), length);
      if (range === "unsatisfiable") {
        await origin.body?.cancel();
        return problem(
          416,
          "range-not-satisfiable",
          "Range not satisfiable",
          `the asset has ${length} bytes`,
          requestId,
          {
            "Content-Range": `bytes */${length}`,
          },
        );
      }
      out.set("Accept-Ranges", "bytes");
      if (range !== null && origin.body !== null) {
        const size = range.end - range.start + 1;
        out.set("Content-Range", `bytes ${range.start}-${range.end}/${length}`);
        out.set("Content-Length", String(size));
        const body = relay(sliceBody(origin.body, range.start, range.end), size);
        log.pendingBytes = body.bytes;
        return new Response(body.body, { status: 206, headers: out });
      }
    }
  }
  if (origin.body === null || status === 304) return new Response(null, { status, headers: out });
  const body = relay(origin.body, length);
  log.pendingBytes = body.bytes;
  return new Response(body.body, { status, headers: out });
}

/** If-None-Match compares weakly (RFC 9110 13.1.2). */
function etagMatches(ifNoneMatch: string | null, etag: string): boolean {
  if (ifNoneMatch === null) return false;
  const opaque = (tag: string) => tag.trim().replace(/^W\//, "");
  return ifNoneMatch.trim() === "*" || ifNoneMatch.split(",").some((tag) => opaque(tag) === opaque(etag));
}

/** For origins that send no ETag: size and modification time identify a version weakly. */
function weakEtag(length: number | null, lastModified: string | null): string | null {
  const modified = lastModified === null ? NaN : Date.parse(lastModified);
  if (length === null || Number.isNaN(modified)) return null;
  return `W/"${length.toString(16)}-${(modified / 1000).toString(16)}"`;
}
