import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { expect, inject } from "vitest";
import type { EdgeEnv } from "../../src/env";
import { parseManifest } from "../../src/manifest";
import { PROBLEM_MEDIA_TYPE, PROBLEM_TYPE_BASE, type ProblemDocument } from "../../src/problem";
import { handleRequest } from "../../src/router";
import { RouteTable } from "../../src/routes";
import fixture from "../fixtures/functions.json";

/**
 * Calls the edge's pipeline in workerd with the fixture manifest and the stand-ins as
 * upstreams. Each call comes from its own client address unless the test names one, so the
 * rate limiter only bites where a test means it to.
 */
export const STAND_IN = inject("standIn");
export const FIXTURE_ROUTES = RouteTable.fromManifest(parseManifest(fixture));
export const ORIGIN = "https://edge.example";

const bindings = env as unknown as EdgeEnv;

export function edgeEnv(overrides: Partial<EdgeEnv> = {}): EdgeEnv {
  return {
    CLIENT_RATE_LIMITER: bindings.CLIENT_RATE_LIMITER,
    API_KEY_RATE_LIMITER: bindings.API_KEY_RATE_LIMITER,
    UPSTREAMS: JSON.stringify({
      health: `${STAND_IN}/echo`,
      "ocr-upload": `${STAND_IN}/echo`,
      "ocr-status": `${STAND_IN}/sse`,
      "scan-stream": `${STAND_IN}/sse`,
      "small-upload": `${STAND_IN}/echo`,
      items: `${STAND_IN}/echo`,
      "early-answer": inject("earlyBase"),
      slow: `${STAND_IN}/slow`,
      teapot: `${STAND_IN}/status`,
      compressed: `${STAND_IN}/gzip`,
      gone: inject("deadBase"),
      "ocr-step": `${STAND_IN}/echo`,
    }),
    UPSTREAM_AUTH: "none",
    ALLOWED_ORIGINS: "https://app.example",
    ASSETS_MODE: "proxy",
    ASSETS_ORIGIN: `${STAND_IN}/assets`,
    ASSET_PREFIXES: "gen/,public/",
    ...overrides,
  };
}

// Client addresses unique across test files (they share the rate limiters' state).
const clientPrefix = `2001:db8:${crypto.randomUUID().slice(0, 4)}:${crypto.randomUUID().slice(0, 4)}`;
let clients = 0;

export interface EdgeCall {
  response: Response;
  requestId: string;
  /** Resolves when the edge's background work (the request's log line) is done. */
  settled: () => Promise<void>;
}

export async function callEdge(
  path: string,
  init: RequestInit = {},
  environment: EdgeEnv = edgeEnv(),
): Promise<EdgeCall> {
  const headers = new Headers(init.headers);
  if (!headers.has("CF-Connecting-IP"))
    headers.set("CF-Connecting-IP", `${clientPrefix}::${(++clients).toString(16)}`);
  const request = new Request(ORIGIN + path, { ...init, headers });
  const ctx = createExecutionContext();
  const response = await handleRequest(request, environment, ctx, FIXTURE_ROUTES);
  return {
    response,
    requestId: response.headers.get("X-Request-Id") ?? "",
    settled: () => waitOnExecutionContext(ctx),
  };
}

/** What the stand-in saw of the request with this id (null: it never arrived). */
export async function upstreamSaw(requestId: string): Promise<{
  method: string;
  path: string;
  bytes: number;
  complete: boolean;
  aborted: boolean;
  closed: boolean;
} | null> {
  return (await fetch(`${STAND_IN}/_state/req/${requestId}`)).json();
}

/** Polls until `check` holds; fails with `what` after the deadline. */
export async function eventually<T>(
  what: string,
  probe: () => Promise<T>,
  check: (v: T) => boolean,
  deadlineMs = 5000,
): Promise<T> {
  const until = Date.now() + deadlineMs;
  for (;;) {
    const value = await probe();
    if (check(value)) return value;
    if (Date.now() > until)
      throw new Error(`timed out waiting for: ${what} (last: ${JSON.stringify(value)})`);
    await scheduler.wait(10);
  }
}

/** Asserts an edge-made problem+json response and returns its document. */
export async function expectProblem(
  response: Response,
  status: number,
  kind: string,
): Promise<ProblemDocument> {
  expect(response.status).toBe(status);
  expect(response.headers.get("Content-Type")).toBe(PROBLEM_MEDIA_TYPE);
  const body = (await response.json()) as ProblemDocument;
  expect(body).toMatchObject({ type: PROBLEM_TYPE_BASE + kind, status });
  expect(typeof body.title).toBe("string");
  expect(typeof body.detail).toBe("string");
  expect(body.instance).toBe(response.headers.get("X-Request-Id"));
  return body;
}
