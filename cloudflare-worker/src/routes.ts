import { type Access, type Manifest, ManifestError, durationMs } from "./manifest";

/**
 * The route table: method + path pattern -> function, built once from the manifest. Patterns
 * use `{param}` for one path segment. Internal functions get no routes: the edge cannot reach
 * them at all.
 */
export interface Route {
  method: string;
  pattern: string;
  functionName: string;
  access: Exclude<Access, "internal">;
  maxBodyBytes: number;
  timeoutMs: number;
  segments: Segment[];
}

type Segment = { literal: string } | { param: string };

export type RouteMatch =
  | { kind: "route"; route: Route; params: Record<string, string> }
  | { kind: "wrong-method"; allow: string[] }
  | { kind: "no-route" };

const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"];
/** Paths the edge answers itself; a manifest route may not shadow them. */
const RESERVED = [/^\/healthz$/, /^\/assets(\/|$)/];
const LITERAL = /^[A-Za-z0-9._~:@!$&'()*+,;=-]+$/;
const PARAM = /^\{([A-Za-z][A-Za-z0-9_]*)\}$/;
// Ids in our paths are server-made; anything fancier than this is not a route of ours.
const PARAM_VALUE = /^[A-Za-z0-9._~-]{1,200}$/;
/** A route without a declared limit may still not stream an unbounded body. */
const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
const DEFAULT_TIMEOUT = "60s";

export class RouteTable {
  private constructor(readonly routes: readonly Route[]) {}

  static fromManifest(manifest: Manifest): RouteTable {
    const routes: Route[] = [];
    const seen = new Set<string>();
    for (const fn of manifest.functions) {
      if (fn.access === "internal" || fn.trigger !== "http") continue;
      const timeoutMs = durationMs(fn.timeout ?? manifest.defaults?.timeout ?? DEFAULT_TIMEOUT);
      for (const r of fn.routes) {
        const method = r.method.toUpperCase();
        if (!METHODS.includes(method)) {
          throw new ManifestError(`${fn.name}: method ${r.method} is not routable`);
        }
        const segments = compile(r.path, fn.name);
        // Two patterns that differ only in parameter names would be ambiguous.
        const shape = method + " " + segments.map((s) => ("literal" in s ? s.literal : "{}")).join("/");
        if (seen.has(shape)) throw new ManifestError(`${fn.name}: duplicate route ${method} ${r.path}`);
        seen.add(shape);
        routes.push({
          method,
          pattern: r.path,
          functionName: fn.name,
          access: fn.access,
          maxBodyBytes: r.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
          timeoutMs,
          segments,
        });
      }
    }
    return new RouteTable(routes);
  }

  /**
   * The most specific route for the method (literal segments beat parameters, left to right);
   * HEAD is served by a GET route. When only other methods match the path: wrong-method.
   */
  match(method: string, pathname: string): RouteMatch {
    const candidates = this.candidates(pathname);
    if (candidates.length === 0) return { kind: "no-route" };
    const wanted = method === "HEAD" ? "GET" : method;
    let best: { route: Route; params: Record<string, string>; rank: string } | null = null;
    for (const candidate of candidates) {
      if (candidate.route.method !== wanted) continue;
      const rank = candidate.route.segments.map((s) => ("literal" in s ? "0" : "1")).join("");
      if (best === null || rank < best.rank) best = { ...candidate, rank };
    }
    if (best !== null) return { kind: "route", route: best.route, params: best.params };
    return { kind: "wrong-method", allow: allowed(candidates.map((c) => c.route.method)) };
  }

  /** The methods a path accepts (the Allow header; CORS preflight), or null for no route. */
  methodsFor(pathname: string): string[] | null {
    const candidates = this.candidates(pathname);
    return candidates.length === 0 ? null : allowed(candidates.map((c) => c.route.method));
  }

  private candidates(pathname: string): { route: Route; params: Record<string, string> }[] {
    const parts = pathname.split("/").slice(1);
    const found = [];
    for (const route of this.routes) {
      const params = bind(route.segments, parts);
      if (params !== null) found.push({ route, params });
    }
    return found;
  }
}

function allowed(methods: string[]): string[] {
  const allow = new Set(methods);
  if (allow.has("GET")) allow.add("HEAD");
  allow.add("OPTIONS");
  return [...allow].sort();
}

function compile(path: string, fn: string): Segment[] {
  if (!path.startsWith("/") || path.endsWith("/")) {
    throw new ManifestError(`${fn}: path ${path} must start and not end with /`);
  }
  if (RESERVED.some((r) => r.test(path))) throw new ManifestError(`${fn}: path ${path} is reserved`);
  return path
    .slice(1)
    .split("/")
    .map((part) => {
      const param = PARAM.exec(part);
      if (param !== null) return { param: param[1]! };
      if (!LITERAL.test(part) || part === "." || part === "..") {
        throw new ManifestError(`${fn}: bad segment "${part}" in ${path}`);
      }
      return { literal: part };
    });
}

function bind(segments: Segment[], parts: string[]): Record<string, string> | null {
  if (segments.length !== parts.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i]!;
    const part = parts[i]!;
    if ("literal" in segment) {
      if (segment.literal !== part) return null;
    } else {
      if (!PARAM_VALUE.test(part) || part === "." || part === "..") return null;
      params[segment.param] = part;
    }
  }
  return params;
}
