// Opt-in benchmark (npm run bench): what the edge costs under `wrangler dev` on loopback.
// Starts a stand-in function on a free port and the Worker in front of it (dev-local.sh on
// another free port), then measures, same run, direct vs through the edge:
//   1. time to first byte of a small JSON response, median of 50 (interleaved, keep-alive);
//   2. SSE: how long after the upstream wrote each event the client saw it (target: 10 ms).
// It prints numbers; it asserts nothing about time. Exit code 1 only if a request fails.
import { spawn } from "node:child_process";
import http from "node:http";
import { createServer } from "node:net";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const RUNS = 50;
const WARMUP = 10;
const EVENTS = 20;
const EVENT_GAP_MS = 50;
const here = dirname(fileURLToPath(import.meta.url));
const now = () => performance.timeOrigin + performance.now();

/** The stand-in function: small JSON on GET /api/health, SSE when ?sse=N. */
function startUpstream() {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, "http://upstream");
    const events = Number(url.searchParams.get("sse") ?? 0);
    if (events === 0) {
      res.writeHead(200, { "Content-Type": "application/json" });
      res.end('{"status":"ok"}');
      return;
    }
    res.writeHead(200, { "Content-Type": "text/event-stream", "Cache-Control": "no-cache" });
    let i = 0;
    const tick = () => {
      res.write(`id: ${i}\ndata: {"written":${now()}}\n\n`);
      if (++i < events) timer = setTimeout(tick, EVENT_GAP_MS);
      else res.end();
    };
    let timer = setTimeout(tick, EVENT_GAP_MS);
    res.on("close", () => clearTimeout(timer));
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

function freePort() {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, "127.0.0.1", () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

/** Milliseconds from sending the request to its first response byte (the headers). */
function firstByte(port, path) {
  return new Promise((resolve, reject) => {
    const started = now();
    const req = http.get({ host: "127.0.0.1", port, path, agent }, (res) => {
      const ttfb = now() - started;
      if (res.statusCode !== 200) reject(new Error(`${path} on ${port}: ${res.statusCode}`));
      res.resume();
      res.on("end", () => resolve(ttfb));
    });
    req.on("error", reject);
  });
}

/** For each SSE event: ms between the upstream writing it and this client parsing it. */
function sseDelays(port) {
  return new Promise((resolve, reject) => {
    const delays = [];
    http
      .get({ host: "127.0.0.1", port, path: `/api/health?sse=${EVENTS}`, agent: false }, (res) => {
        if (res.statusCode !== 200) reject(new Error(`SSE on ${port}: ${res.statusCode}`));
        res.setEncoding("utf8");
        let pending = "";
        res.on("data", (chunk) => {
          const arrived = now();
          pending += chunk;
          let end;
          while ((end = pending.indexOf("\n\n")) >= 0) {
            const written = Number(/"written":([\d.]+)/.exec(pending.slice(0, end))?.[1]);
            delays.push(arrived - written);
            pending = pending.slice(end + 2);
          }
        });
        res.on("end", () => resolve(delays));
      })
      .on("error", reject);
  });
}

async function waitReady(port, edge) {
  const until = Date.now() + 60_000;
  for (;;) {
    if (edge.exitCode !== null) throw new Error("wrangler dev exited; see its output above");
    try {
      await new Promise((resolve, reject) =>
        http
          .get(
            { host: "127.0.0.1", port, path: "/healthz" },
            (res) => (res.resume(), res.statusCode === 200 ? resolve() : reject()),
          )
          .on("error", reject),
      );
      return;
    } catch {
      if (Date.now() > until) throw new Error("wrangler dev did not become ready in 60 s");
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

const quantile = (values, q) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
};
const ms = (v) => `${v.toFixed(2)} ms`;

const upstream = await startUpstream();
const upstreamPort = upstream.address().port;
const edgePort = await freePort();
const edge = spawn(
  join(here, "..", "dev-local.sh"),
  [JSON.stringify({ health: `http://127.0.0.1:${upstreamPort}` })],
  {
    env: { ...process.env, EDGE_PORT: String(edgePort), EDGE_LOG_LEVEL: "warn" },
    stdio: ["ignore", "inherit", "inherit"],
    detached: true, // its own process group: stopping it stops workerd too
  },
);
try {
  await waitReady(edgePort, edge);
  for (let i = 0; i < WARMUP; i++) {
    await firstByte(upstreamPort, "/api/health");
    await firstByte(edgePort, "/api/health");
  }
  const direct = [];
  const viaEdge = [];
  const edgeOnly = [];
  for (let i = 0; i < RUNS; i++) {
    direct.push(await firstByte(upstreamPort, "/api/health"));
    viaEdge.push(await firstByte(edgePort, "/api/health"));
    edgeOnly.push(await firstByte(edgePort, "/healthz"));
  }
  const extra = viaEdge.map((v, i) => v - direct[i]);
  const sseDirect = await sseDelays(upstreamPort);
  const sseEdge = await sseDelays(edgePort);
  const within = sseEdge.filter((d) => d <= 10).length;

  console.log(
    `\nedge benchmark: wrangler dev on 127.0.0.1:${edgePort} in front of a stand-in function on 127.0.0.1:${upstreamPort}`,
  );
  console.log(`first byte, small JSON, median of ${RUNS}:`);
  console.log(
    `  direct ${ms(quantile(direct, 0.5))}   via edge ${ms(quantile(viaEdge, 0.5))}   extra ${ms(quantile(extra, 0.5))} (p90 extra ${ms(quantile(extra, 0.9))})`,
  );
  console.log(
    `  (the edge answering /healthz itself, no upstream: ${ms(quantile(edgeOnly, 0.5))}; wrangler dev's own proxy layers are in every edge number)`,
  );
  console.log(`SSE, ${EVENTS} events ${EVENT_GAP_MS} ms apart, delay from upstream write to client:`);
  console.log(`  direct   median ${ms(quantile(sseDirect, 0.5))}  max ${ms(Math.max(...sseDirect))}`);
  console.log(
    `  via edge median ${ms(quantile(sseEdge, 0.5))}  max ${ms(Math.max(...sseEdge))}  within 10 ms: ${within}/${sseEdge.length}`,
  );
} catch (error) {
  console.error(String(error));
  process.exitCode = 1;
} finally {
  agent.destroy();
  upstream.close();
  try {
    process.kill(-edge.pid, "SIGTERM");
  } catch {}
}
