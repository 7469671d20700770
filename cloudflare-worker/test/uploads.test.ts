import { describe, expect, it } from "vitest";
import { callEdge, eventually, expectProblem, upstreamSaw } from "./support/edge";

/** Uploads stream to the function; limits and auth pre-checks refuse before it is called. */
const USER = { Authorization: "Bearer user-token" };

async function sha256(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", bytes);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** A request body the test feeds by hand, chunk by chunk. */
function handFedBody(): { body: ReadableStream<Uint8Array>; push(bytes: Uint8Array): void; end(): void } {
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  const body = new ReadableStream<Uint8Array>({ start: (c) => void (controller = c) });
  return { body, push: (bytes) => controller.enqueue(bytes), end: () => controller.close() };
}

describe("uploads", () => {
  it("stream to the function while the client is still sending", async () => {
    const first = new Uint8Array(64 * 1024).fill(1);
    const rest = new Uint8Array(192 * 1024).fill(2);
    const feed = handFedBody();
    const requestId = crypto.randomUUID();
    const pending = callEdge("/api/ocr/upload", {
      method: "POST",
      headers: { ...USER, "X-Request-Id": requestId, "Content-Type": "application/octet-stream" },
      body: feed.body,
    });
    feed.push(first);
    // A buffering edge would hold the first chunk until the body ends, which it never does here.
    await eventually(
      "the function to receive the first chunk",
      () => upstreamSaw(requestId),
      (seen) => (seen?.bytes ?? 0) >= first.length,
    );
    expect((await upstreamSaw(requestId))?.complete).toBe(false);
    feed.push(rest);
    feed.end();
    const { response } = await pending;
    expect(response.status).toBe(200);
    const echo = (await response.json()) as { bytes: number; sha256: string };
    const whole = new Uint8Array([...first, ...rest]);
    expect(echo).toMatchObject({ bytes: whole.length, sha256: await sha256(whole) });
  });

  it("forward a multipart body byte for byte, with its boundary", async () => {
    const form = new FormData();
    form.append(
      "photo",
      new Blob([new Uint8Array(300_000).map((_, i) => i % 256)], { type: "image/jpeg" }),
      "recipe.jpg",
    );
    form.append("lang", "ja");
    const request = new Request("https://x/", { method: "POST", body: form });
    const contentType = request.headers.get("Content-Type")!;
    const bytes = new Uint8Array(await request.arrayBuffer());
    const { response } = await callEdge("/api/ocr/upload", {
      method: "POST",
      headers: { ...USER, "Content-Type": contentType, "Content-Length": String(bytes.length) },
      body: bytes,
    });
    const echo = (await response.json()) as {
      bytes: number;
      sha256: string;
      headers: Record<string, string>;
    };
    expect(echo.headers["content-type"]).toBe(contentType);
    expect(echo.headers["content-length"]).toBe(String(bytes.length));
    expect(echo).toMatchObject({ bytes: bytes.length, sha256: await sha256(bytes) });
  });

  it("answer 413 from a declared Content-Length before calling the function", async () => {
    const { response, requestId } = await callEdge("/api/small", {
      method: "POST",
      headers: { "Content-Length": "1025" },
      body: new Uint8Array(1025),
    });
    await expectProblem(response, 413, "payload-too-large");
    expect(await upstreamSaw(requestId)).toBeNull();
  });

  it("accept a body exactly at the limit", async () => {
    const { response } = await callEdge("/api/small", { method: "POST", body: new Uint8Array(1024) });
    expect(((await response.json()) as { bytes: number }).bytes).toBe(1024);
  });

  it("answer 413 to a chunked body once it passes the limit; the function sees an aborted request", async () => {
    const feed = handFedBody();
    const requestId = crypto.randomUUID();
    const pending = callEdge("/api/small", {
      method: "POST",
      headers: { "X-Request-Id": requestId },
      body: feed.body,
    });
    feed.push(new Uint8Array(1000));
    await eventually(
      "the function to receive 1000 bytes",
      () => upstreamSaw(requestId),
      (seen) => seen?.bytes === 1000,
    );
    feed.push(new Uint8Array(1000));
    const { response } = await pending;
    await expectProblem(response, 413, "payload-too-large");
    const seen = await eventually(
      "the upstream to see the abort",
      () => upstreamSaw(requestId),
      (s) => s?.closed === true,
    );
    expect(seen).toMatchObject({ bytes: 1000, complete: false, aborted: true });
  });

  it("answer 413 to a body on a route that takes none", async () => {
    const { response } = await callEdge("/api/v1/scan/s1/events", {
      method: "GET",
      headers: { "X-API-Key": "k", "Content-Length": "10" },
    });
    await expectProblem(response, 413, "payload-too-large");
  });
});

describe("auth pre-checks", () => {
  it.each([
    ["no Authorization", {}],
    ["a non-Bearer scheme", { Authorization: "Basic dTpw" }],
    ["an empty Bearer token", { Authorization: "Bearer " }],
  ])("refuse a user route with %s: 401 before the function", async (_, headers) => {
    const { response, requestId } = await callEdge("/api/ocr/status/job-1", { headers });
    expect(response.headers.get("WWW-Authenticate")).toMatch(/^Bearer /);
    await expectProblem(response, 401, "unauthenticated");
    expect(await upstreamSaw(requestId)).toBeNull();
  });

  it.each([
    ["no X-API-Key", {}],
    ["an empty X-API-Key", { "X-API-Key": " " }],
    ["only a Bearer token", USER],
  ])("refuse an api-key route with %s: 401 before the function", async (_, headers) => {
    const { response, requestId } = await callEdge("/api/v1/scan/stream", {
      method: "POST",
      headers,
      body: "x",
    });
    expect(response.headers.get("WWW-Authenticate")).toMatch(/^ApiKey /);
    await expectProblem(response, 401, "unauthenticated");
    expect(await upstreamSaw(requestId)).toBeNull();
  });

  it("leave verification to the function: any well-formed credential passes the edge", async () => {
    const { response } = await callEdge("/api/ocr/upload", { method: "POST", headers: USER, body: "x" });
    expect(((await response.json()) as { headers: Record<string, string> }).headers["authorization"]).toBe(
      "Bearer user-token",
    );
  });
});
