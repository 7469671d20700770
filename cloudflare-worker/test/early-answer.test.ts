import { exports } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from "vitest";
import { callEdge, expectProblem, upstreamSaw } from "./support/edge";

/**
 * A function may answer an upload before the client has finished sending it: scan-stream
 * refuses an oversized photo with its own 413, and the connection closes with the rest of the
 * body unread. The edge must pass that answer through unchanged (upstream errors are the
 * function's to make), never turn it into a 500. The 500 seen under wrangler dev came from
 * curl's `Expect: 100-continue` reaching Jetty, whose interim "100 Continue" fetch() returned
 * as the response; the stand-in grants 100-continue the same way.
 */
const NINE_MB = 9 * 1024 * 1024;
const CHUNK = 64 * 1024;

/** A 9 MB multipart photo upload, produced chunk by chunk as the reader pulls (a real stream). */
function multipartUpload(): { body: ReadableStream<Uint8Array>; contentType: string; length: number } {
  const boundary = "----mise-test-boundary";
  const encoder = new TextEncoder();
  const head = encoder.encode(
    `--${boundary}\r\nContent-Disposition: form-data; name="photo"; filename="menu.jpg"\r\n` +
      `Content-Type: image/jpeg\r\n\r\n`,
  );
  const tail = encoder.encode(`\r\n--${boundary}--\r\n`);
  let sent = 0;
  let stage: "head" | "photo" | "tail" | "done" = "head";
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (stage === "head") {
        controller.enqueue(head);
        stage = "photo";
      } else if (stage === "photo") {
        const size = Math.min(CHUNK, NINE_MB - sent);
        controller.enqueue(new Uint8Array(size).fill(0xd8));
        sent += size;
        if (sent === NINE_MB) stage = "tail";
      } else if (stage === "tail") {
        controller.enqueue(tail);
        stage = "done";
      } else {
        controller.close();
      }
    },
  });
  return {
    body,
    contentType: `multipart/form-data; boundary=${boundary}`,
    length: head.length + NINE_MB + tail.length,
  };
}

/** The edge's own error log lines (console.error, or a request line with severity ERROR). */
function edgeErrors(errorSpy: MockInstance, logSpy: MockInstance): unknown[] {
  const logged = logSpy.mock.calls
    .map((args) => String(args[0]))
    .filter((line) => line.includes('"severity":"ERROR"'));
  return [...errorSpy.mock.calls, ...logged];
}

describe("a function that answers before the upload is complete", () => {
  let errorSpy: MockInstance;
  let logSpy: MockInstance;
  beforeEach(() => {
    errorSpy = vi.spyOn(console, "error");
    logSpy = vi.spyOn(console, "log");
  });
  afterEach(() => vi.restoreAllMocks());

  it.each([
    ["a declared Content-Length", { declared: true, expect: false }],
    ["a chunked body", { declared: false, expect: false }],
    // curl asks for 100-continue on every upload over 1 MB, and Jetty grants it.
    ["Expect: 100-continue, as curl sends", { declared: true, expect: true }],
  ])("its 413 passes through unchanged, with %s", async (_, { declared, expect: continues }) => {
    const upload = multipartUpload();
    const requestId = crypto.randomUUID();
    const headers: Record<string, string> = {
      "X-Request-Id": requestId,
      "Content-Type": upload.contentType,
    };
    if (declared) headers["Content-Length"] = String(upload.length);
    if (continues) headers["Expect"] = "100-continue";
    const { response, settled } = await callEdge("/api/early", {
      method: "POST",
      headers,
      body: upload.body,
    });
    expect(response.status).toBe(413);
    expect(response.headers.get("Content-Type")).toBe("application/problem+json");
    expect(response.headers.get("X-Upstream")).toBe("early");
    // The function's own document, not one the edge made.
    expect(await response.json()).toMatchObject({
      title: "the function's own",
      status: 413,
      detail: expect.stringMatching(/^refused after \d+ bytes$/),
    });
    await settled();
    const seen = await upstreamSaw(requestId);
    expect(seen).toMatchObject({ complete: false, closed: true });
    expect(seen!.bytes).toBeLessThan(upload.length);
    expect(edgeErrors(errorSpy, logSpy)).toEqual([]);
  });

  it("an early 200 passes through too", async () => {
    const upload = multipartUpload();
    const { response, settled } = await callEdge("/api/early?code=200&read=0", {
      method: "POST",
      headers: {
        "Content-Type": upload.contentType,
        "Content-Length": String(upload.length),
        Expect: "100-continue",
      },
      body: upload.body,
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("X-Upstream")).toBe("early");
    const answer = (await response.json()) as { early: boolean; read: number };
    expect(answer.early).toBe(true);
    expect(answer.read).toBeLessThan(upload.length);
    await settled();
    expect(edgeErrors(errorSpy, logSpy)).toEqual([]);
  });

  it("through the deployed worker: scan-stream's 413 to a 9 MB multipart photo reaches the client", async () => {
    const upload = multipartUpload();
    const response = await exports.default.fetch(
      new Request("https://edge.example/api/v1/scan/stream", {
        method: "POST",
        headers: {
          Authorization: "Bearer user-token",
          "Content-Type": upload.contentType,
          "Content-Length": String(upload.length),
          Expect: "100-continue",
        },
        body: upload.body,
      }),
    );
    expect(response.status).toBe(413);
    expect(response.headers.get("Content-Type")).toBe("application/problem+json");
    expect(await response.json()).toMatchObject({ title: "the function's own", status: 413 });
    expect(edgeErrors(errorSpy, logSpy)).toEqual([]);
  });

  it("an interim answer the edge did not ask for is a 502 problem, not a 500", async () => {
    const { response } = await callEdge("/api/early?interim=1&read=0", {
      method: "POST",
      body: new Uint8Array(1024),
    });
    const problem = await expectProblem(response, 502, "upstream-bad-response");
    expect(problem.detail).toBe("early-answer answered with status 100");
    expect(errorSpy.mock.calls).toEqual([]);
  });
});
