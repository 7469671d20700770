import { describe, expect, it } from "vitest";
import manifestJson from "../../functions/functions.json";
import { ManifestError, durationMs, parseManifest } from "../src/manifest";
import { RouteTable } from "../src/routes";
import { FIXTURE_ROUTES } from "./support/edge";

function table(functions: unknown[]): RouteTable {
  return RouteTable.fromManifest(parseManifest({ functions }));
}

const fn = (routes: unknown[], extra: Record<string, unknown> = {}) => ({
  name: "f",
  trigger: "http",
  access: "public",
  routes,
  ...extra,
});

describe("route table from the manifest", () => {
  it("reads the real functions/functions.json", () => {
    const routes = RouteTable.fromManifest(parseManifest(manifestJson));
    expect(routes.match("GET", "/api/health")).toMatchObject({
      kind: "route",
      route: { functionName: "health", access: "public", maxBodyBytes: 0, timeoutMs: 10_000 },
    });
  });

  it("leaves internal and non-http functions unrouted", () => {
    expect(FIXTURE_ROUTES.match("POST", "/api/internal/ocr-step")).toEqual({ kind: "no-route" });
    expect(
      FIXTURE_ROUTES.routes.some((r) => r.functionName === "ocr-step" || r.functionName === "ocr-worker"),
    ).toBe(false);
  });

  it("binds {param} segments", () => {
    expect(FIXTURE_ROUTES.match("GET", "/api/ocr/status/job-42")).toMatchObject({
      kind: "route",
      route: { functionName: "ocr-status", access: "user" },
      params: { jobId: "job-42" },
    });
    expect(FIXTURE_ROUTES.match("GET", "/api/v1/scan/s1/events")).toMatchObject({
      params: { sessionId: "s1" },
    });
  });

  it("prefers literal segments over parameters", () => {
    expect(FIXTURE_ROUTES.match("GET", "/api/items/featured")).toMatchObject({
      route: { pattern: "/api/items/featured" },
    });
    expect(FIXTURE_ROUTES.match("GET", "/api/items/i-1")).toMatchObject({
      route: { pattern: "/api/items/{itemId}" },
    });
  });

  it("matches the method among same-path routes and lists the others in Allow", () => {
    expect(FIXTURE_ROUTES.match("DELETE", "/api/items/featured")).toMatchObject({
      route: { pattern: "/api/items/{itemId}" },
    });
    expect(FIXTURE_ROUTES.match("PUT", "/api/items/i-1")).toEqual({
      kind: "wrong-method",
      allow: ["DELETE", "GET", "HEAD", "OPTIONS"],
    });
    expect(FIXTURE_ROUTES.match("GET", "/api/v1/scan/stream")).toEqual({
      kind: "wrong-method",
      allow: ["OPTIONS", "POST"],
    });
  });

  it("serves HEAD from a GET route", () => {
    expect(FIXTURE_ROUTES.match("HEAD", "/api/health")).toMatchObject({
      kind: "route",
      route: { method: "GET" },
    });
  });

  it.each([
    "/api/health/",
    "/api/healthz",
    "/api/ocr/status/",
    "/api/ocr/status/a/b",
    "/api/ocr/status/%2e%2e",
    "/api/ocr/status/a%2Fb",
    "/api/ocr/status/a:b",
    "/API/health",
  ])("has no route for %s", (path) => {
    expect(FIXTURE_ROUTES.match("GET", path)).toEqual({ kind: "no-route" });
  });

  it.each([
    [
      "duplicate routes",
      [fn([{ method: "GET", path: "/a/{x}" }]), fn([{ method: "GET", path: "/a/{y}" }], { name: "g" })],
    ],
    ["a reserved path", [fn([{ method: "GET", path: "/assets/x" }])]],
    ["/healthz", [fn([{ method: "GET", path: "/healthz" }])]],
    ["an unroutable method", [fn([{ method: "CONNECT", path: "/a" }])]],
    ["a trailing slash", [fn([{ method: "GET", path: "/a/" }])]],
    ["a dot segment", [fn([{ method: "GET", path: "/a/../b" }])]],
    ["a bad duration", [fn([{ method: "GET", path: "/a" }], { timeout: "soon" })]],
  ])("rejects a manifest with %s", (_, functions) => {
    expect(() => table(functions)).toThrow(ManifestError);
  });

  it.each([
    [{ functions: {} }],
    [{ functions: [{ name: "f", trigger: "http", access: "everyone", routes: [] }] }],
    [{ functions: [fn([{ method: "POST", path: "/a", maxBodyBytes: -1 }])] }],
    [{ functions: [fn([{ method: "POST", path: "/a", maxBodyBytes: "1MB" }])] }],
    [[]],
  ])("rejects a malformed manifest %#", (json) => {
    expect(() => parseManifest(json)).toThrow(ManifestError);
  });

  it("gives an undeclared body limit a default instead of none", () => {
    expect(table([fn([{ method: "POST", path: "/a" }])]).routes[0]?.maxBodyBytes).toBe(1024 * 1024);
  });

  it("reads manifest durations", () => {
    expect([durationMs("10s"), durationMs("0.3s"), durationMs("250ms"), durationMs("2m")]).toEqual([
      10_000, 300, 250, 120_000,
    ]);
  });
});
