import { describe, expect, it } from "vitest";
import { callEdge, expectProblem, upstreamSaw } from "./support/edge";

/**
 * The rate-limiting bindings run in miniflare with the small limits of vitest.config.ts
 * (10 per client, 3 per API key, per 60 s); each test uses its own client address and key.
 */
const CLIENT_LIMIT = 10;
const KEY_LIMIT = 3;

describe("rate limits", () => {
  it("answer 429 with Retry-After once a client passes its limit, before the function", async () => {
    const client = {
      "CF-Connecting-IP": `192.0.2.${Math.floor(Math.random() * 250)}-${crypto.randomUUID()}`,
    };
    for (let i = 0; i < CLIENT_LIMIT; i++) {
      const { response } = await callEdge("/api/health", { headers: client });
      expect(response.status).toBe(200);
      await response.body?.cancel();
    }
    const { response, requestId } = await callEdge("/api/health", { headers: client });
    expect(response.headers.get("Retry-After")).toBe("60");
    await expectProblem(response, 429, "rate-limited");
    expect(await upstreamSaw(requestId)).toBeNull();

    const other = await callEdge("/api/health");
    expect(other.response.status).toBe(200);
    await other.response.body?.cancel();
  });

  it("limit each API key on its own, across client addresses", async () => {
    const key = { "X-API-Key": `key-${crypto.randomUUID()}` };
    for (let i = 0; i < KEY_LIMIT; i++) {
      // A fresh client address each time: only the key's limit can bite.
      const { response } = await callEdge("/api/v1/scan/stream?n=1&gap=0", {
        method: "POST",
        headers: key,
        body: "x",
      });
      expect(response.status).toBe(200);
      await response.body?.cancel();
    }
    const { response, requestId } = await callEdge("/api/v1/scan/stream", {
      method: "POST",
      headers: key,
      body: "x",
    });
    expect(response.headers.get("Retry-After")).toBe("60");
    const problem = await expectProblem(response, 429, "rate-limited");
    expect(problem.detail).toContain("API key");
    expect(await upstreamSaw(requestId)).toBeNull();

    const otherKey = await callEdge("/api/v1/scan/stream?n=1&gap=0", {
      method: "POST",
      headers: { "X-API-Key": "another" },
      body: "x",
    });
    expect(otherKey.response.status).toBe(200);
    await otherKey.response.body?.cancel();
  });

  it("count asset requests against the client as well", async () => {
    const client = { "CF-Connecting-IP": `asset-client-${crypto.randomUUID()}` };
    for (let i = 0; i < CLIENT_LIMIT; i++) {
      const { response } = await callEdge("/assets/public/readme.txt", { headers: client });
      await response.body?.cancel();
    }
    await expectProblem(
      (await callEdge("/assets/public/readme.txt", { headers: client })).response,
      429,
      "rate-limited",
    );
  });
});
