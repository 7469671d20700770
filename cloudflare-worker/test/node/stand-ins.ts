import { createHash, generateKeyPairSync, verify, type KeyObject } from "node:crypto";
import { gzipSync } from "node:zlib";
import http, { type IncomingMessage, type ServerResponse } from "node:http";
import net, { type AddressInfo } from "node:net";

/**
 * What sits behind the edge in the tests, as one Node HTTP server on a free loopback port:
 * functions (echo, SSE, slow, error), Google's token endpoint, and asset origins (one like
 * Cloud Storage, one that knows neither ETag nor Range, one that redirects). Tests ask
 * /_state/... what the upstream saw, so "the function was never called" is an observation.
 */
export interface StandIns {
  base: string;
  /** A loopback base URL where nothing listens. */
  deadBase: string;
  /** A function that answers uploads before reading them (see earlyAnswerServer). */
  earlyBase: string;
  serviceAccountKeyJson: string;
  close(): Promise<void>;
}

interface SeenRequest {
  method: string;
  path: string;
  bytes: number;
  complete: boolean;
  aborted: boolean;
  closed: boolean;
}

const CLIENT_EMAIL = "edge@mise-test.iam.gserviceaccount.com";
const KEY_ID = "test-key-1";

export const OBJECTS: Record<string, { body: Buffer; type: string }> = {
  "gen/s1/dish-1.jpg": {
    body: Buffer.from(Array.from({ length: 1000 }, (_, i) => i % 251)),
    type: "image/jpeg",
  },
  "public/readme.txt": { body: Buffer.from("menu assets\n"), type: "text/plain; charset=utf-8" },
};
const LAST_MODIFIED = "Wed, 01 Apr 2026 10:00:00 GMT";

export async function startStandIns(): Promise<StandIns> {
  const { publicKey, privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const seen = new Map<string, SeenRequest>();
  const mints = new Map<string, number>();
  const assetHits = new Map<string, number>();
  const areaHits = new Map<string, number>();
  let base = "";

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://stand-in");
    const [, area = "", ...rest] = url.pathname.split("/");
    const path = "/" + rest.join("/");
    const rid = String(req.headers["x-request-id"] ?? "");
    areaHits.set(area, (areaHits.get(area) ?? 0) + 1);
    if (area !== "_state" && rid !== "") {
      const record: SeenRequest = {
        method: req.method ?? "",
        path,
        bytes: 0,
        complete: false,
        aborted: false,
        closed: false,
      };
      seen.set(rid, record);
      req.on("data", (chunk: Buffer) => (record.bytes += chunk.length));
      req.on("end", () => (record.complete = true));
      req.on("aborted", () => (record.aborted = true));
      res.on("close", () => (record.closed = true));
    }
    switch (area) {
      case "echo":
        return echo(req, res, path, url);
      case "sse":
        return sse(req, res, url);
      case "slow":
        return drain(req, () => setTimeout(() => json(res, 200, { late: true }), 3000).unref());
      case "status":
        return drain(req, () => {
          res.writeHead(Number(url.searchParams.get("code") ?? 418), {
            "Content-Type": "application/problem+json",
            "X-Upstream": "yes",
          });
          res.end(
            JSON.stringify({
              type: "https://mise.dev/problems/teapot",
              title: "the function's own",
              status: 418,
            }),
          );
        });
      case "gzip":
        return drain(req, () => {
          const body = gzipSync(JSON.stringify({ menu: "x".repeat(2000) }));
          res.writeHead(200, {
            "Content-Type": "application/json",
            "Content-Encoding": "gzip",
            "Content-Length": String(body.length),
          });
          res.end(body);
        });
      case "token":
        return token(req, res, url, publicKey, `${base}/token`, mints);
      case "token-fail":
        return drain(req, () => json(res, 500, { error: "internal" }));
      case "assets":
      case "plain-assets":
        assetHits.set(path, (assetHits.get(path) ?? 0) + 1);
        return asset(req, res, path.slice(1), area === "assets");
      case "redirect-assets":
        assetHits.set(path, (assetHits.get(path) ?? 0) + 1);
        res.writeHead(302, { Location: "http://evil.example/stolen" });
        return res.end();
      case "_state":
        if (rest[0] === "req") return json(res, 200, seen.get(rest[1] ?? "") ?? null);
        if (rest[0] === "mints") return json(res, 200, Object.fromEntries(mints));
        if (rest[0] === "asset-hits") return json(res, 200, Object.fromEntries(assetHits));
        if (rest[0] === "area-hits") return json(res, 200, Object.fromEntries(areaHits));
        return json(res, 404, {});
      default:
        return json(res, 404, { error: `stand-in has no ${area}` });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const early = await earlyAnswerServer(seen);
  const privatePem = privateKey.export({ type: "pkcs8", format: "pem" }).toString();
  return {
    base,
    deadBase: await deadBase(),
    earlyBase: early.base,
    serviceAccountKeyJson: JSON.stringify({
      type: "service_account",
      client_email: CLIENT_EMAIL,
      private_key_id: KEY_ID,
      private_key: privatePem,
      token_uri: `${base}/token`,
    }),
    close: async () => {
      await early.close();
      await new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
    },
  };
}

function echo(req: IncomingMessage, res: ServerResponse, path: string, url: URL): void {
  const hash = createHash("sha256");
  let bytes = 0;
  req.on("data", (chunk: Buffer) => {
    bytes += chunk.length;
    hash.update(chunk);
  });
  req.on("end", () =>
    json(res, 200, {
      method: req.method,
      path,
      search: url.search,
      headers: req.headers,
      bytes,
      sha256: hash.digest("hex"),
    }),
  );
}

/** Events spaced `gap` ms apart, each stamped with the time it was written. */
function sse(req: IncomingMessage, res: ServerResponse, url: URL): void {
  const count = Number(url.searchParams.get("n") ?? 4);
  const gap = Number(url.searchParams.get("gap") ?? 200);
  const forever = url.searchParams.has("forever");
  drain(req, () => {
    res.writeHead(200, { "Content-Type": "text/event-stream", "Cache-Control": "no-cache" });
    res.write(": stream open\nretry: 1000\n\n");
    let i = 0;
    const tick = () => {
      res.write(`id: ${i}\nevent: tick\ndata: ${JSON.stringify({ i, written: Date.now() })}\n\n`);
      i++;
      if (!forever && i >= count) res.end();
      else timer = setTimeout(tick, gap);
    };
    let timer = setTimeout(tick, 0);
    res.on("close", () => clearTimeout(timer));
  });
}

/**
 * A function that answers an upload before it has read it all, like scan-stream refusing an
 * oversized photo as soon as it has seen its size. Raw TCP, because the point is what happens
 * on the wire. Like Jetty it answers `Expect: 100-continue` with an interim "100 Continue"
 * (`interim=1` sends one unasked, as a broken server might). It reads `read` body bytes
 * (default 64 KiB), answers `code` (default 413 problem+json; `code=200` answers JSON) with
 * `Connection: close`, shuts its side down and discards whatever still arrives, unread.
 */
async function earlyAnswerServer(
  seen: Map<string, SeenRequest>,
): Promise<{ base: string; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => {});
    let head = Buffer.alloc(0);
    let record: SeenRequest | null = null;
    let enough = 0;
    let answered = false;
    let url = new URL("http://stand-in/");
    const answer = () => {
      answered = true;
      const code = Number(url.searchParams.get("code") ?? 413);
      const body =
        code === 200
          ? JSON.stringify({ early: true, read: record?.bytes ?? 0 })
          : JSON.stringify({
              type: "https://mise.dev/problems/payload-too-large",
              title: "the function's own",
              status: code,
              detail: `refused after ${record?.bytes ?? 0} bytes`,
            });
      const contentType = code === 200 ? "application/json" : "application/problem+json";
      socket.write(
        `HTTP/1.1 ${code} ${http.STATUS_CODES[code] ?? "Status"}\r\nContent-Type: ${contentType}\r\n` +
          `Content-Length: ${Buffer.byteLength(body)}\r\nX-Upstream: early\r\nConnection: close\r\n\r\n` +
          body,
      );
      socket.end();
      if (record !== null) record.closed = true;
    };
    const onBody = (bytes: number) => {
      if (record !== null && !answered) record.bytes += bytes;
      if (!answered && (record?.bytes ?? 0) >= enough) answer();
    };
    socket.on("data", (chunk: Buffer) => {
      if (record !== null) return onBody(chunk.length);
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf("\r\n\r\n");
      if (end < 0) return;
      const lines = head.subarray(0, end).toString("latin1").split("\r\n");
      const [method = "", target = "/"] = (lines[0] ?? "").split(" ");
      url = new URL(target, "http://stand-in");
      const header = (name: string) =>
        lines
          .find((line) => line.toLowerCase().startsWith(name + ":"))
          ?.slice(name.length + 1)
          .trim() ?? "";
      record = { method, path: url.pathname, bytes: 0, complete: false, aborted: false, closed: false };
      if (header("x-request-id") !== "") seen.set(header("x-request-id"), record);
      if (header("expect").toLowerCase() === "100-continue" || url.searchParams.has("interim")) {
        socket.write("HTTP/1.1 100 Continue\r\n\r\n");
      }
      enough = Number(url.searchParams.get("read") ?? 64 * 1024);
      onBody(head.length - end - 4);
    });
    socket.on("end", () => {
      if (record !== null && !answered) record.complete = true;
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Google's token endpoint: checks the signed assertion the way Google would, then mints. */
function token(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  publicKey: KeyObject,
  expectedAudience: string,
  mints: Map<string, number>,
): void {
  let body = "";
  req.on("data", (chunk: Buffer) => (body += chunk.toString()));
  req.on("end", () => {
    const form = new URLSearchParams(body);
    const reject = (detail: string) => json(res, 400, { error: "invalid_grant", error_description: detail });
    if (form.get("grant_type") !== "urn:ietf:params:oauth:grant-type:jwt-bearer") return reject("grant_type");
    const [header = "", claims = "", signature = ""] = (form.get("assertion") ?? "").split(".");
    const signedOk = verify(
      "RSA-SHA256",
      Buffer.from(`${header}.${claims}`),
      publicKey,
      Buffer.from(signature, "base64url"),
    );
    if (!signedOk) return reject("signature");
    const h = JSON.parse(Buffer.from(header, "base64url").toString()) as Record<string, unknown>;
    const c = JSON.parse(Buffer.from(claims, "base64url").toString()) as Record<string, unknown>;
    if (h["alg"] !== "RS256" || h["kid"] !== KEY_ID) return reject("header");
    if (c["iss"] !== CLIENT_EMAIL || c["sub"] !== CLIENT_EMAIL) return reject("iss/sub");
    if (c["aud"] !== expectedAudience + url.search) return reject(`aud ${String(c["aud"])}`);
    if (typeof c["target_audience"] !== "string") return reject("target_audience");
    if (typeof c["iat"] !== "number" || c["exp"] !== c["iat"] + 3600) return reject("iat/exp");
    // Mints are counted per token URL tag (?t=...), so each test reads its own count.
    const tag = url.searchParams.get("t") ?? "";
    const n = (mints.get(tag) ?? 0) + 1;
    mints.set(tag, n);
    const payload = {
      aud: c["target_audience"],
      iss: "https://accounts.google.com",
      iat: c["iat"],
      exp: c["iat"] + 3600,
      n,
    };
    const idToken = [{ alg: "RS256", typ: "JWT" }, payload, "sig"]
      .map((part) =>
        Buffer.from(typeof part === "string" ? part : JSON.stringify(part)).toString("base64url"),
      )
      .join(".");
    json(res, 200, { id_token: idToken });
  });
}

/** `gcs`: ETag, conditional and ranged requests like Cloud Storage; else only whole objects. */
function asset(req: IncomingMessage, res: ServerResponse, key: string, gcs: boolean): void {
  const object = OBJECTS[key];
  if (object === undefined) {
    res.writeHead(404, { "Content-Type": "application/xml" });
    res.end("<Error><Code>NoSuchKey</Code></Error>");
    return;
  }
  const etag = `"${createHash("md5").update(object.body).digest("hex")}"`;
  const headers: Record<string, string> = {
    "Content-Type": object.type,
    "Last-Modified": LAST_MODIFIED,
    "Cache-Control": "private, max-age=0",
  };
  if (gcs) {
    headers["ETag"] = etag;
    headers["Accept-Ranges"] = "bytes";
    if (req.headers["if-none-match"] === etag) {
      res.writeHead(304, headers);
      res.end();
      return;
    }
    const range = /^bytes=(\d+)-(\d*)$/.exec(String(req.headers["range"] ?? ""));
    if (range !== null) {
      const start = Number(range[1]);
      const end = Math.min(
        range[2] === "" ? object.body.length - 1 : Number(range[2]),
        object.body.length - 1,
      );
      if (start >= object.body.length) {
        res.writeHead(416, { "Content-Range": `bytes */${object.body.length}` });
        res.end();
        return;
      }
      res.writeHead(206, {
        ...headers,
        "Content-Range": `bytes ${start}-${end}/${object.body.length}`,
        "Content-Length": String(end - start + 1),
      });
      res.end(req.method === "HEAD" ? undefined : object.body.subarray(start, end + 1));
      return;
    }
  }
  res.writeHead(200, { ...headers, "Content-Length": String(object.body.length) });
  res.end(req.method === "HEAD" ? undefined : object.body);
}

function drain(req: IncomingMessage, then: () => void): void {
  req.resume();
  req.on("end", then);
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "Content-Type": "application/json" });
  res.end(JSON.stringify(body));
}

async function deadBase(): Promise<string> {
  const probe = http.createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const port = (probe.address() as AddressInfo).port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}
