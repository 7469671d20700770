import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { expectProblem } from "./support/edge";

/**
 * The deployed Worker itself (src/index.ts): its routes come from the real
 * functions/functions.json, its configuration from wrangler.jsonc plus the test bindings of
 * vitest.config.ts (upstreams and assets on the stand-ins).
 */
const edge = (path: string, init?: RequestInit) =>
  exports.default.fetch(new Request(`https://edge.example${path}`, init));

describe("the deployed worker", () => {
  it("routes GET /api/health from the manifest to the health function", async () => {
    const response = await edge("/api/health", { headers: { "X-Request-Id": "w-1" } });
    expect(response.status).toBe(200);
    expect(response.headers.get("X-Request-Id")).toBe("w-1");
    expect(await response.json()).toMatchObject({ method: "GET", path: "/api/health" });
  });

  it("answers what the manifest does not route with 404 and 405", async () => {
    await expectProblem(await edge("/api/ocr/upload", { method: "POST", body: "x" }), 404, "not-found");
    const wrong = await edge("/api/health", { method: "POST", body: "x" });
    expect(wrong.headers.get("Allow")).toBe("GET, HEAD, OPTIONS");
    await expectProblem(wrong, 405, "method-not-allowed");
  });

  it("serves /healthz and assets", async () => {
    expect(await (await edge("/healthz")).json()).toEqual({ status: "ok" });
    const asset = await edge("/assets/gen/s1/dish-1.jpg");
    expect(asset.status).toBe(200);
    expect(asset.headers.get("Cache-Control")).toContain("immutable");
    expect((await asset.arrayBuffer()).byteLength).toBe(1000);
  });

  it("answers preflights for the configured app origin", async () => {
    const response = await edge("/api/health", {
      method: "OPTIONS",
      headers: { Origin: "https://app.example", "Access-Control-Request-Method": "GET" },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get("Access-Control-Allow-Origin")).toBe("https://app.example");
  });
});
