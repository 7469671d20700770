import { describe, expect, it, inject } from "vitest";
import { GoogleIdTokens, IdTokenError, parseServiceAccountKey } from "../src/id-token";
import { STAND_IN, callEdge, edgeEnv, expectProblem } from "./support/edge";

/**
 * ID tokens against the stand-in token endpoint, which checks the assertion as Google does
 * (RS256 signature with the key's public half, kid, iss/sub, aud, target_audience, 1 h expiry)
 * and counts the tokens it mints per ?t= tag.
 */
const KEY_JSON = inject("serviceAccountKeyJson");

function tokenUrl(): { url: string; mints: () => Promise<number> } {
  const tag = crypto.randomUUID();
  return {
    url: `${STAND_IN}/token?t=${tag}`,
    mints: async () =>
      ((await (await fetch(`${STAND_IN}/_state/mints`)).json()) as Record<string, number>)[tag] ?? 0,
  };
}

function claimsOf(jwt: string): Record<string, unknown> {
  return JSON.parse(atob(jwt.split(".")[1]!.replace(/-/g, "+").replace(/_/g, "/"))) as Record<
    string,
    unknown
  >;
}

describe("Google ID tokens", () => {
  it("mints a token for the audience from a signed assertion the endpoint accepts", async () => {
    const endpoint = tokenUrl();
    const tokens = new GoogleIdTokens(parseServiceAccountKey(KEY_JSON), endpoint.url);
    const token = await tokens.token("https://ocr-upload-abc-ew.a.run.app");
    expect(claimsOf(token)).toMatchObject({ aud: "https://ocr-upload-abc-ew.a.run.app", n: 1 });
    expect(await endpoint.mints()).toBe(1);
  });

  it("reuses a cached token until shortly before it expires, then mints anew", async () => {
    const endpoint = tokenUrl();
    let now = Date.now();
    const tokens = new GoogleIdTokens(parseServiceAccountKey(KEY_JSON), endpoint.url, undefined, () => now);
    const first = await tokens.token("https://a.example");
    now += 50 * 60_000;
    expect(await tokens.token("https://a.example")).toBe(first);
    expect(await endpoint.mints()).toBe(1);
    now += 6 * 60_000; // 56 min: inside the 5 min refresh margin of the 60 min token
    const second = await tokens.token("https://a.example");
    expect(second).not.toBe(first);
    expect(await endpoint.mints()).toBe(2);
  });

  it("keeps one token per audience and shares one exchange among concurrent callers", async () => {
    const endpoint = tokenUrl();
    const tokens = new GoogleIdTokens(parseServiceAccountKey(KEY_JSON), endpoint.url);
    const [a1, a2, b] = await Promise.all([
      tokens.token("https://a.example"),
      tokens.token("https://a.example"),
      tokens.token("https://b.example"),
    ]);
    expect(a1).toBe(a2);
    expect(claimsOf(b).aud).toBe("https://b.example");
    expect(await endpoint.mints()).toBe(2);
  });

  it("fails clearly when the endpoint refuses", async () => {
    const tokens = new GoogleIdTokens(parseServiceAccountKey(KEY_JSON), `${STAND_IN}/token-fail`);
    await expect(tokens.token("https://a.example")).rejects.toThrow(IdTokenError);
  });

  it("fails clearly when the assertion is signed with another key", async () => {
    const other = (await crypto.subtle.generateKey(
      {
        name: "RSASSA-PKCS1-v1_5",
        modulusLength: 2048,
        publicExponent: new Uint8Array([1, 0, 1]),
        hash: "SHA-256",
      },
      true,
      ["sign", "verify"],
    )) as CryptoKeyPair;
    const der = new Uint8Array((await crypto.subtle.exportKey("pkcs8", other.privateKey)) as ArrayBuffer);
    const pem = `-----BEGIN PRIVATE KEY-----\n${btoa(String.fromCharCode(...der))}\n-----END PRIVATE KEY-----\n`;
    const key = { ...parseServiceAccountKey(KEY_JSON), private_key: pem };
    await expect(new GoogleIdTokens(key, tokenUrl().url).token("https://a.example")).rejects.toThrow(/400/);
  });

  it("rejects a key that is not a service-account key", () => {
    expect(() => parseServiceAccountKey("{}")).toThrow(IdTokenError);
    expect(() => parseServiceAccountKey("nope")).toThrow(IdTokenError);
  });
});

describe("ID tokens on the way to private functions", () => {
  const withTokens = (url: string, overrides = {}) =>
    edgeEnv({
      UPSTREAM_AUTH: "google-id-token",
      GOOGLE_SA_KEY: KEY_JSON,
      GOOGLE_TOKEN_URL: url,
      ...overrides,
    });

  it("sends a user route's function a token for its URL in X-Serverless-Authorization, keeping the user's own", async () => {
    const endpoint = tokenUrl();
    const environment = withTokens(endpoint.url);
    for (let i = 0; i < 2; i++) {
      const { response } = await callEdge(
        "/api/ocr/upload",
        { method: "POST", headers: { Authorization: "Bearer firebase-user" }, body: "x" },
        environment,
      );
      const echo = (await response.json()) as { headers: Record<string, string> };
      expect(echo.headers["authorization"]).toBe("Bearer firebase-user");
      const idToken = echo.headers["x-serverless-authorization"]?.replace(/^Bearer /, "") ?? "";
      expect(claimsOf(idToken)).toMatchObject({ aud: `${STAND_IN}/echo`, n: 1 });
    }
    expect(await endpoint.mints()).toBe(1);
  });

  it("sends none to public functions", async () => {
    const { response } = await callEdge("/api/health", {}, withTokens(tokenUrl().url));
    expect(
      ((await response.json()) as { headers: Record<string, string> }).headers["x-serverless-authorization"],
    ).toBeUndefined();
  });

  it("answers 502 problem+json when no token can be had", async () => {
    const failing = withTokens(`${STAND_IN}/token-fail`);
    const { response, requestId } = await callEdge(
      "/api/ocr/upload",
      { method: "POST", headers: { Authorization: "Bearer u" }, body: "x" },
      failing,
    );
    await expectProblem(response, 502, "upstream-auth");
    expect(requestId).not.toBe("");
  });

  it("fails closed when the key secret is missing", async () => {
    const { response } = await callEdge(
      "/api/ocr/upload",
      { method: "POST", headers: { Authorization: "Bearer u" }, body: "x" },
      edgeEnv({ UPSTREAM_AUTH: "google-id-token" }),
    );
    await expectProblem(response, 502, "upstream-auth");
  });
});
