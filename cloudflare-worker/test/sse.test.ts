import { describe, expect, it } from "vitest";
import { callEdge, eventually, upstreamSaw } from "./support/edge";

/**
 * Server-Sent Events through the edge. The stand-in writes events `gap` ms apart and stamps
 * each with the time it wrote it; the test stamps each with the time it arrived. An edge that
 * streams delivers event i before event i+1 is even written; one that buffers delivers them
 * all after the last, and fails (the negative control below shows the check catches that).
 */
interface Arrival {
  id: string;
  written: number;
  arrived: number;
}

const USER = { Authorization: "Bearer user-token" };
const GAP_MS = 250;

async function arrivals(response: Response): Promise<{ events: Arrival[]; text: string }> {
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  const events: Arrival[] = [];
  let text = "";
  let pending = "";
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return { events, text };
    const arrived = Date.now();
    text += value;
    pending += value;
    let end: number;
    while ((end = pending.indexOf("\n\n")) >= 0) {
      const block = pending.slice(0, end);
      pending = pending.slice(end + 2);
      const id = /^id: (.*)$/m.exec(block)?.[1];
      const data = /^data: (.*)$/m.exec(block)?.[1];
      if (id !== undefined && data !== undefined) {
        events.push({ id, written: (JSON.parse(data) as { written: number }).written, arrived });
      }
    }
  }
}

function expectIncremental(events: Arrival[], count: number): void {
  expect(events.map((e) => e.id)).toEqual(Array.from({ length: count }, (_, i) => String(i)));
  for (let i = 0; i + 1 < events.length; i++) {
    const next = events[i + 1]!;
    expect(events[i]!.arrived, `event ${i} arrived after event ${i + 1} was written`).toBeLessThan(
      next.written,
    );
  }
}

describe("server-sent events", () => {
  it("arrive one by one, each before the upstream writes the next", async () => {
    const { response } = await callEdge(`/api/ocr/status/job-1?n=4&gap=${GAP_MS}`, { headers: USER });
    expect(response.status).toBe(200);
    const { events } = await arrivals(response);
    expectIncremental(events, 4);
  });

  it("(negative control) the same check fails for a buffering edge", async () => {
    const { response } = await callEdge(`/api/ocr/status/job-2?n=4&gap=${GAP_MS}`, { headers: USER });
    const buffered = new Response(await response.arrayBuffer(), response);
    const { events } = await arrivals(buffered);
    expect(() => expectIncremental(events, 4)).toThrow(/arrived after/);
  });

  it("pass through untransformed and uncompressed, with caches told to keep out", async () => {
    const { response } = await callEdge("/api/ocr/status/job-3?n=2&gap=0", {
      headers: { ...USER, "Accept-Encoding": "gzip, br" },
    });
    expect(response.headers.get("Content-Type")).toBe("text/event-stream");
    expect(response.headers.get("Cache-Control")).toBe("no-cache, no-transform");
    expect(response.headers.get("Content-Encoding")).toBeNull();
    expect(response.headers.get("Content-Length")).toBeNull();
    const { text } = await arrivals(response);
    expect(text).toMatch(
      /^: stream open\nretry: 1000\n\nid: 0\nevent: tick\ndata: \{"i":0,"written":\d+\}\n\nid: 1\nevent: tick\ndata: \{"i":1,"written":\d+\}\n\n$/,
    );
  });

  it("stream from a POST that uploads first (scan stream, API key)", async () => {
    const form = new FormData();
    form.append("photo", new Blob([new Uint8Array(4096).fill(7)], { type: "image/jpeg" }), "menu.jpg");
    const { response, requestId } = await callEdge(`/api/v1/scan/stream?n=3&gap=${GAP_MS}`, {
      method: "POST",
      headers: { "X-API-Key": "key-sse" },
      body: form,
    });
    expect(response.status).toBe(200);
    expectIncremental((await arrivals(response)).events, 3);
    expect((await upstreamSaw(requestId))?.bytes).toBeGreaterThan(4096);
  });

  it("cancel the upstream request when the client goes away", async () => {
    const { response, requestId } = await callEdge("/api/v1/scan/s-9/events?forever&gap=50", {
      headers: { "X-API-Key": "key-sse" },
    });
    const reader = response.body!.getReader();
    await reader.read();
    expect((await upstreamSaw(requestId))?.closed).toBe(false);
    await reader.cancel();
    await eventually(
      "the upstream connection to close",
      () => upstreamSaw(requestId),
      (seen) => seen?.closed === true,
    );
  });

  it("forward Last-Event-ID so a client can resume", async () => {
    const { response } = await callEdge("/api/health", { headers: { "Last-Event-ID": "41" } });
    expect(((await response.json()) as { headers: Record<string, string> }).headers["last-event-id"]).toBe(
      "41",
    );
  });
});
