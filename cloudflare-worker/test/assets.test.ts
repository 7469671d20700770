import { describe, expect, it } from "vitest";
import { assetKey } from "../src/asset-key";
import { STAND_IN, callEdge, edgeEnv, expectProblem } from "./support/edge";

const PREFIXES = ["gen/", "public/"];
const DISH = Uint8Array.from({ length: 1000 }, (_, i) => i % 251);
const DISH_PATH = "/assets/gen/s1/dish-1.jpg";

// The list, and what an attacker tries next to it.
const HOSTILE_KEYS = [
  "..",
  "../etc/passwd",
  "gen/..",
  "gen/../../secret",
  "gen/./s1/dish-1.jpg",
  "%2e%2e/etc/passwd",
  "gen/%2e%2e/%2e%2e/etc/passwd",
  "gen/%2E%2E/x",
  "gen/.%2e/x",
  "gen/%252e%252e/x",
  "gen/%25252e%25252e/x",
  "gen/%2f%2fevil.example",
  "gen\\..\\secret",
  "gen/..\\..\\secret",
  "gen/%5c..%5csecret",
  "gen//s1/dish-1.jpg",
  "gen/s1//dish-1.jpg",
  "/gen/s1/dish-1.jpg",
  "//evil.example/x",
  "https://evil.example/x",
  "http:evil.example",
  "gen/https://evil.example",
  "gen/x@evil.example",
  "gen/s1/dish-1.jpg\u0000.png",
  "gen/s1/%00",
  "gen/s1/\r\nSet-Cookie: a=b",
  "gen/s1/%0d%0aSet-Cookie:a=b",
  "gen/s1/\tx",
  "gen/s1/\u007f",
  "gen/s1/x\u202egpj.exe",
  "gen/ s1",
  "gen/s1/dish 1.jpg",
  "gen/s1/x;y",
  "gen/s1/x:y",
  "private/keys.json",
  "GEN/s1/dish-1.jpg",
  "generated/x",
  "gen",
  "gen/",
  "",
  "gen/" + "a".repeat(600),
];

describe("asset keys", () => {
  it.each(HOSTILE_KEYS)("rejects %j", (raw) => {
    expect(assetKey(raw, PREFIXES).ok).toBe(false);
  });

  it.each(["gen/s1/dish-1.jpg", "public/readme.txt", "gen/a_b/c~d.e-f.png"])("accepts %s", (raw) => {
    expect(assetKey(raw, PREFIXES)).toEqual({ ok: true, key: raw });
  });

  /**
   * Through the edge the key arrives as a URL path, which URL parsing has already resolved:
   * dot segments (also %2e) are gone and backslashes are slashes. Either that resolution left
   * /assets/ (another path: 404), or produced a plain, valid key (an ordinary request for that
   * key), or the key is still hostile and must be refused with 400 before the store is asked.
   */
  function resolved(raw: string): "left-assets" | "valid" | "hostile" {
    const path = new URL("https://edge.example/assets/" + raw).pathname;
    if (!path.startsWith("/assets/")) return "left-assets";
    return assetKey(path.slice("/assets/".length), PREFIXES).ok ? "valid" : "hostile";
  }

  it("answers 400 problem+json for every hostile key that reaches /assets/, without touching the store", async () => {
    const environment = edgeEnv({ ASSETS_ORIGIN: `${STAND_IN}/fuzz-origin` });
    let hostile = 0;
    let valid = 0;
    for (const raw of HOSTILE_KEYS) {
      const url = new URL("https://edge.example/assets/" + raw);
      const { response } = await callEdge(url.pathname, {}, environment);
      const kind = resolved(raw);
      if (kind === "hostile") {
        hostile++;
        await expectProblem(response, 400, "bad-asset-key");
      } else {
        if (kind === "valid") valid++;
        expect(response.status, raw).toBe(404);
        await response.body?.cancel();
      }
    }
    expect(hostile).toBeGreaterThan(30);
    const hits = (await (await fetch(`${STAND_IN}/_state/area-hits`)).json()) as Record<string, number>;
    // Only the keys URL parsing had turned into plain valid ones were asked for.
    expect(hits["fuzz-origin"] ?? 0).toBe(valid);
  });

  it("never redirects anywhere but the configured bucket, whatever the key", async () => {
    const bucket = "https://storage.googleapis.com/mise-assets";
    const environment = edgeEnv({ ASSETS_MODE: "redirect", ASSETS_ORIGIN: bucket });
    for (const raw of HOSTILE_KEYS) {
      const url = new URL("https://edge.example/assets/" + raw);
      const { response } = await callEdge(url.pathname, {}, environment);
      if (resolved(raw) === "valid") {
        expect(response.status).toBe(302);
        expect(response.headers.get("Location")).toBe(`${bucket}${url.pathname.slice("/assets".length)}`);
      } else {
        expect(response.status, raw).toBeGreaterThanOrEqual(400);
        expect(response.headers.get("Location")).toBeNull();
      }
      await response.body?.cancel();
    }
  });
});

describe("assets, redirect mode", () => {
  it("answers 302 to the object in the public bucket", async () => {
    const environment = edgeEnv({
      ASSETS_MODE: "redirect",
      ASSETS_ORIGIN: "https://storage.googleapis.com/mise-assets/",
    });
    const { response } = await callEdge(DISH_PATH, {}, environment);
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe(
      "https://storage.googleapis.com/mise-assets/gen/s1/dish-1.jpg",
    );
  });
});

describe("assets, proxy mode", () => {
  it("streams the object with year-long immutable caching for gen/ keys and the store's ETag", async () => {
    const { response } = await callEdge(DISH_PATH);
    expect(response.status).toBe(200);
    expect(response.headers.get("Cache-Control")).toBe("public, max-age=31536000, immutable");
    expect(response.headers.get("Content-Type")).toBe("image/jpeg");
    expect(response.headers.get("Content-Length")).toBe("1000");
    expect(response.headers.get("ETag")).toMatch(/^"[0-9a-f]{32}"$/);
    expect(response.headers.get("X-Content-Type-Options")).toBe("nosniff");
    expect(new Uint8Array(await response.arrayBuffer())).toEqual(DISH);
  });

  it("caches keys outside gen/ briefly only", async () => {
    const { response } = await callEdge("/assets/public/readme.txt");
    expect(response.headers.get("Cache-Control")).toBe("public, max-age=300");
    expect(await response.text()).toBe("menu assets\n");
  });

  it("answers 304 to a matching If-None-Match", async () => {
    const first = await callEdge(DISH_PATH);
    const etag = first.response.headers.get("ETag")!;
    await first.response.body?.cancel();
    const { response } = await callEdge(DISH_PATH, { headers: { "If-None-Match": etag } });
    expect(response.status).toBe(304);
    expect(response.headers.get("ETag")).toBe(etag);
    expect(response.body).toBeNull();
  });

  it("serves a byte range", async () => {
    const { response } = await callEdge(DISH_PATH, { headers: { Range: "bytes=10-19" } });
    expect(response.status).toBe(206);
    expect(response.headers.get("Content-Range")).toBe("bytes 10-19/1000");
    expect(new Uint8Array(await response.arrayBuffer())).toEqual(DISH.slice(10, 20));
  });

  it("answers HEAD with the headers only", async () => {
    const { response } = await callEdge(DISH_PATH, { method: "HEAD" });
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Length")).toBe("1000");
    expect(response.body).toBeNull();
  });

  it("answers 404 problem+json for a missing object", async () => {
    await expectProblem((await callEdge("/assets/gen/s1/none.jpg")).response, 404, "asset-not-found");
  });

  it("answers 416 problem+json for a range past the end", async () => {
    const { response } = await callEdge(DISH_PATH, { headers: { Range: "bytes=5000-" } });
    expect(response.headers.get("Content-Range")).toBe("bytes */1000");
    await expectProblem(response, 416, "range-not-satisfiable");
  });

  it("does not follow a redirect from the store", async () => {
    const { response } = await callEdge(
      DISH_PATH,
      {},
      edgeEnv({ ASSETS_ORIGIN: `${STAND_IN}/redirect-assets` }),
    );
    expect(response.headers.get("Location")).toBeNull();
    await expectProblem(response, 502, "assets-failed");
  });

  it("refuses writes", async () => {
    const { response } = await callEdge(DISH_PATH, { method: "PUT", body: "x" });
    expect(response.headers.get("Allow")).toBe("GET, HEAD, OPTIONS");
    await expectProblem(response, 405, "method-not-allowed");
  });

  it("answers 502 problem+json when no asset origin is configured", async () => {
    await expectProblem(
      (await callEdge(DISH_PATH, {}, edgeEnv({ ASSETS_ORIGIN: "" }))).response,
      502,
      "assets-not-configured",
    );
  });
});

describe("assets from a store without ETag or Range support", () => {
  const plain = () => edgeEnv({ ASSETS_ORIGIN: `${STAND_IN}/plain-assets` });

  it("gets a weak ETag from size and modification time, and 304s on it", async () => {
    const first = await callEdge(DISH_PATH, {}, plain());
    const etag = first.response.headers.get("ETag")!;
    expect(etag).toMatch(/^W\/"3e8-[0-9a-f]+"$/);
    await first.response.body?.cancel();
    const { response } = await callEdge(DISH_PATH, { headers: { "If-None-Match": etag } }, plain());
    expect(response.status).toBe(304);
  });

  it.each([
    ["bytes=10-19", 10, 19],
    ["bytes=990-", 990, 999],
    ["bytes=-5", 995, 999],
    ["bytes=998-5000", 998, 999],
  ])("cuts the range %s at the edge", async (range, start, end) => {
    const { response } = await callEdge(DISH_PATH, { headers: { Range: range } }, plain());
    expect(response.status).toBe(206);
    expect(response.headers.get("Content-Range")).toBe(`bytes ${start}-${end}/1000`);
    expect(response.headers.get("Content-Length")).toBe(String(end - start + 1));
    expect(new Uint8Array(await response.arrayBuffer())).toEqual(DISH.slice(start, end + 1));
  });

  it("sends the whole object for multiple ranges", async () => {
    const { response } = await callEdge(DISH_PATH, { headers: { Range: "bytes=0-1,5-6" } }, plain());
    expect(response.status).toBe(200);
    expect((await response.arrayBuffer()).byteLength).toBe(1000);
  });

  it("answers 416 for a range past the end", async () => {
    const { response } = await callEdge(DISH_PATH, { headers: { Range: "bytes=1000-" } }, plain());
    expect(response.headers.get("Content-Range")).toBe("bytes */1000");
    await expectProblem(response, 416, "range-not-satisfiable");
  });
});
