import { afterEach, describe, expect, it, vi } from "vitest";
import { callEdge, edgeEnv, expectProblem, upstreamSaw } from "./support/edge";

interface Echo {
  method: string;
  path: string;
  search: string;
  headers: Record<string, string>;
  bytes: number;
  sha256: string;
}

describe("routing to functions", () => {
  it("forwards a routed request to the function's upstream, path and query intact", async () => {
    const { response } = await callEdge("/api/health?verbose=1&x=%20y");
    expect(response.status).toBe(200);
    const echo = (await response.json()) as Echo;
    expect(echo).toMatchObject({ method: "GET", path: "/api/health", search: "?verbose=1&x=%20y" });
  });

  it("tells the function the public origin and the client", async () => {
    const { response } = await callEdge("/api/items/i-7", { headers: { "CF-Connecting-IP": "203.0.113.9" } });
    const echo = (await response.json()) as Echo;
    expect(echo.path).toBe("/api/items/i-7");
    expect(echo.headers).toMatchObject({
      "x-forwarded-host": "edge.example",
      "x-forwarded-proto": "https",
      "x-forwarded-for": "203.0.113.9",
    });
    expect(echo.headers["cf-connecting-ip"]).toBeUndefined();
  });

  it("drops credentials a client must not set for the edge", async () => {
    const { response } = await callEdge("/api/health", {
      headers: { "X-Serverless-Authorization": "Bearer forged", "X-Forwarded-Host": "evil.example" },
    });
    const echo = (await response.json()) as Echo;
    expect(echo.headers["x-serverless-authorization"]).toBeUndefined();
    expect(echo.headers["x-forwarded-host"]).toBe("edge.example");
  });

  it("serves HEAD through the GET route", async () => {
    const { response, requestId } = await callEdge("/api/health", { method: "HEAD" });
    expect(response.status).toBe(200);
    expect(response.body).toBeNull();
    expect((await upstreamSaw(requestId))?.method).toBe("HEAD");
  });

  it("answers an unknown path with 404 problem+json", async () => {
    const { response, requestId } = await callEdge("/api/nope");
    await expectProblem(response, 404, "not-found");
    expect(await upstreamSaw(requestId)).toBeNull();
  });

  it("never routes to internal functions", async () => {
    const { response, requestId } = await callEdge("/api/internal/ocr-step", { method: "POST", body: "{}" });
    await expectProblem(response, 404, "not-found");
    expect(await upstreamSaw(requestId)).toBeNull();
  });

  it("answers a wrong method with 405, Allow and problem+json", async () => {
    const { response, requestId } = await callEdge("/api/items/i-1", { method: "PUT", body: "{}" });
    expect(response.headers.get("Allow")).toBe("DELETE, GET, HEAD, OPTIONS");
    await expectProblem(response, 405, "method-not-allowed");
    expect(await upstreamSaw(requestId)).toBeNull();
  });

  it("answers OPTIONS without a preflight with Allow", async () => {
    const { response } = await callEdge("/api/items", { method: "OPTIONS" });
    expect(response.status).toBe(204);
    expect(response.headers.get("Allow")).toBe("OPTIONS, POST");
  });

  it("answers /healthz itself", async () => {
    const { response, requestId } = await callEdge("/healthz");
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: "ok" });
    expect(await upstreamSaw(requestId)).toBeNull();
  });
});

describe("request ids", () => {
  it("keeps, forwards and echoes a client's X-Request-Id", async () => {
    const { response } = await callEdge("/api/health", { headers: { "X-Request-Id": "client-req-123" } });
    expect(response.headers.get("X-Request-Id")).toBe("client-req-123");
    expect(((await response.json()) as Echo).headers["x-request-id"]).toBe("client-req-123");
  });

  it("generates one when absent", async () => {
    const { response } = await callEdge("/api/health");
    const id = response.headers.get("X-Request-Id") ?? "";
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(((await response.json()) as Echo).headers["x-request-id"]).toBe(id);
  });

  it("replaces one that is unsafe to log or forward", async () => {
    const { response } = await callEdge("/api/health", { headers: { "X-Request-Id": 'a b"}{' } });
    expect(response.headers.get("X-Request-Id")).toMatch(/^[0-9a-f-]{36}$/);
    await response.body?.cancel();
  });

  it("puts the id on edge-made errors as the problem's instance", async () => {
    const { response } = await callEdge("/nowhere", { headers: { "X-Request-Id": "err-1" } });
    expect((await expectProblem(response, 404, "not-found")).instance).toBe("err-1");
  });
});

describe("upstream failures", () => {
  it("passes an upstream error through unchanged", async () => {
    const { response } = await callEdge("/api/teapot?code=418");
    expect(response.status).toBe(418);
    expect(response.headers.get("Content-Type")).toBe("application/problem+json");
    expect(response.headers.get("X-Upstream")).toBe("yes");
    expect(await response.json()).toEqual({
      type: "https://mise.dev/problems/teapot",
      title: "the function's own",
      status: 418,
    });
  });

  it("passes an upstream 500 through unchanged", async () => {
    const { response } = await callEdge("/api/teapot?code=500");
    expect(response.status).toBe(500);
    expect(((await response.json()) as { title: string }).title).toBe("the function's own");
  });

  it("relays a compressed answer without its stale compressed length", async () => {
    const { response } = await callEdge("/api/compressed", { headers: { "Accept-Encoding": "gzip" } });
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Encoding")).toBe("gzip");
    expect(response.headers.get("Content-Length")).toBeNull();
    expect(await response.json()).toEqual({ menu: "x".repeat(2000) });
  });

  it("answers 502 problem+json when the function cannot be reached", async () => {
    await expectProblem((await callEdge("/api/gone")).response, 502, "upstream-unreachable");
  });

  it("answers 502 problem+json when no upstream is configured for the function", async () => {
    await expectProblem((await callEdge("/api/unconfigured")).response, 502, "upstream-not-configured");
  });

  it("answers 504 problem+json when the function sends no headers within its timeout", async () => {
    const { response } = await callEdge("/api/slow");
    const problem = await expectProblem(response, 504, "upstream-timeout");
    expect(problem.detail).toContain("300 ms");
  });

  it("answers 500 problem+json, not a stack trace, when its configuration is broken", async () => {
    const { response } = await callEdge("/api/health", {}, edgeEnv({ UPSTREAMS: "{not json" }));
    await expectProblem(response, 500, "edge-misconfigured");
  });
});

describe("request log", () => {
  afterEach(() => vi.restoreAllMocks());

  it("writes one JSON line per request with id, route, function, status, upstream_ms and bytes", async () => {
    const lines: string[] = [];
    vi.spyOn(console, "log").mockImplementation((line: string) => void lines.push(line));
    const call = await callEdge("/api/items/i-3", { headers: { "X-Request-Id": "log-1" } });
    const body = await call.response.arrayBuffer();
    await call.settled();
    const entries = lines
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .filter((e) => e["request_id"] === "log-1");
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      severity: "INFO",
      message: "request",
      method: "GET",
      path: "/api/items/i-3",
      route: "/api/items/{itemId}",
      function: "items",
      status: 200,
      bytes: body.byteLength,
    });
    expect(typeof entries[0]?.["upstream_ms"]).toBe("number");
  });

  it("logs edge refusals too, without an upstream time", async () => {
    const lines: string[] = [];
    vi.spyOn(console, "log").mockImplementation((line: string) => void lines.push(line));
    const call = await callEdge("/api/nope", { headers: { "X-Request-Id": "log-2" } });
    const body = await call.response.arrayBuffer();
    await call.settled();
    const entry = lines
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .find((e) => e["request_id"] === "log-2");
    expect(entry).toMatchObject({
      severity: "WARNING",
      status: 404,
      route: null,
      function: null,
      upstream_ms: null,
      bytes: body.byteLength,
    });
  });
});
