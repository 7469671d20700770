import { describe, expect, it } from "vitest";
import { callEdge, edgeEnv, expectProblem, upstreamSaw } from "./support/edge";

const APP = "https://app.example";

function preflight(path: string, origin: string, method: string, headers = "") {
  return callEdge(path, {
    method: "OPTIONS",
    headers: {
      Origin: origin,
      "Access-Control-Request-Method": method,
      ...(headers ? { "Access-Control-Request-Headers": headers } : {}),
    },
  });
}

describe("CORS preflight, answered at the edge", () => {
  it("grants an allowed origin the route's methods and the headers it may send", async () => {
    const { response, requestId } = await preflight(
      "/api/ocr/upload",
      APP,
      "POST",
      "authorization, content-type, x-secret",
    );
    expect(response.status).toBe(204);
    expect(response.headers.get("Access-Control-Allow-Origin")).toBe(APP);
    expect(response.headers.get("Access-Control-Allow-Methods")).toBe("OPTIONS, POST");
    expect(response.headers.get("Access-Control-Allow-Headers")).toBe("authorization, content-type");
    expect(response.headers.get("Access-Control-Max-Age")).toBe("600");
    expect(response.headers.get("Vary")).toBe("Origin");
    expect(await upstreamSaw(requestId)).toBeNull();
  });

  it("covers parameterised routes and assets", async () => {
    expect(
      (await preflight("/api/ocr/status/job-1", APP, "GET", "authorization, last-event-id")).response.status,
    ).toBe(204);
    expect((await preflight("/assets/gen/s1/dish-1.jpg", APP, "GET", "range")).response.status).toBe(204);
  });

  it("refuses an origin that is not configured", async () => {
    const { response } = await preflight("/api/ocr/upload", "https://evil.example", "POST");
    expect(response.headers.get("Access-Control-Allow-Origin")).toBeNull();
    await expectProblem(response, 403, "cors-origin");
  });

  it("refuses a method the path does not take", async () => {
    const { response } = await preflight("/api/ocr/upload", APP, "DELETE");
    expect(response.headers.get("Allow")).toBe("OPTIONS, POST");
    await expectProblem(response, 405, "method-not-allowed");
  });

  it("answers 404 for a path without routes", async () => {
    await expectProblem((await preflight("/api/nope", APP, "GET")).response, 404, "not-found");
  });

  it("allows any origin when configured with *", async () => {
    const { response } = await callEdge(
      "/api/health",
      {
        method: "OPTIONS",
        headers: { Origin: "https://any.example", "Access-Control-Request-Method": "GET" },
      },
      edgeEnv({ ALLOWED_ORIGINS: "*" }),
    );
    expect(response.status).toBe(204);
    expect(response.headers.get("Access-Control-Allow-Origin")).toBe("*");
  });
});

describe("CORS on responses", () => {
  it("labels a function's answer for an allowed origin and exposes the edge's headers", async () => {
    const { response } = await callEdge("/api/health", { headers: { Origin: APP } });
    expect(response.headers.get("Access-Control-Allow-Origin")).toBe(APP);
    expect(response.headers.get("Access-Control-Expose-Headers")).toContain("X-Request-Id");
    expect(response.headers.get("Vary")).toContain("Origin");
    await response.body?.cancel();
  });

  it("labels edge-made errors too, so the browser can read the problem", async () => {
    const { response } = await callEdge("/api/nope", { headers: { Origin: APP } });
    expect(response.headers.get("Access-Control-Allow-Origin")).toBe(APP);
    await expectProblem(response, 404, "not-found");
  });

  it("leaves other origins unlabelled (the browser blocks them)", async () => {
    const { response } = await callEdge("/api/health", { headers: { Origin: "https://evil.example" } });
    expect(response.status).toBe(200);
    expect(response.headers.get("Access-Control-Allow-Origin")).toBeNull();
    await response.body?.cancel();
  });
});
