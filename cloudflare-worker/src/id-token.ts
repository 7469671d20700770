/**
 * Google-signed ID tokens for calling private Cloud Run / Cloud Functions upstreams, minted
 * from a service-account key the way google-auth-library does it: a JWT signed with the key
 * (RS256, WebCrypto) whose `target_audience` is the upstream, exchanged at the token endpoint
 * for an `id_token`. Tokens are cached per audience until shortly before they expire; one
 * instance lives per isolate so the cache spans requests.
 */
export interface ServiceAccountKey {
  client_email: string;
  private_key: string;
  private_key_id?: string;
}

type Fetcher = (input: string, init: RequestInit) => Promise<Response>;

export class IdTokenError extends Error {}

const JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer";
const ASSERTION_LIFETIME_S = 3600;
/** Refresh this long before `exp`, so a token never expires between mint and upstream check. */
const DEFAULT_REFRESH_MARGIN_MS = 5 * 60_000;

export class GoogleIdTokens {
  private signingKey: Promise<CryptoKey> | null = null;
  private readonly cached = new Map<string, { token: string; refreshAt: number }>();
  private readonly inFlight = new Map<string, Promise<string>>();

  constructor(
    private readonly key: ServiceAccountKey,
    private readonly tokenUrl: string,
    private readonly fetcher: Fetcher = (input, init) => fetch(input, init),
    private readonly now: () => number = () => Date.now(),
    private readonly refreshMarginMs = DEFAULT_REFRESH_MARGIN_MS,
  ) {}

  static fromKeyJson(json: string, tokenUrl: string): GoogleIdTokens {
    return new GoogleIdTokens(parseServiceAccountKey(json), tokenUrl);
  }

  /** An ID token whose `aud` is `audience` (for Cloud Run: the service URL). */
  async token(audience: string): Promise<string> {
    const hit = this.cached.get(audience);
    if (hit !== undefined && this.now() < hit.refreshAt) return hit.token;
    // Concurrent requests for one audience share a single exchange.
    let pending = this.inFlight.get(audience);
    if (pending === undefined) {
      pending = this.mint(audience).finally(() => this.inFlight.delete(audience));
      this.inFlight.set(audience, pending);
    }
    return pending;
  }

  private async mint(audience: string): Promise<string> {
    const assertion = await this.signedAssertion(audience);
    const response = await this.fetcher(this.tokenUrl, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ grant_type: JWT_BEARER, assertion }).toString(),
    });
    if (!response.ok) {
      // The endpoint's body may echo the assertion; keep it out of errors and logs.
      await response.body?.cancel();
      throw new IdTokenError(`token endpoint answered ${response.status}`);
    }
    const body = (await response.json()) as { id_token?: unknown };
    if (typeof body.id_token !== "string") throw new IdTokenError("token endpoint gave no id_token");
    const expiresAt = expiryOf(body.id_token) ?? this.now() + ASSERTION_LIFETIME_S * 1000;
    this.cached.set(audience, { token: body.id_token, refreshAt: expiresAt - this.refreshMarginMs });
    return body.id_token;
  }

  private async signedAssertion(audience: string): Promise<string> {
    const iat = Math.floor(this.now() / 1000);
    const header = {
      alg: "RS256",
      typ: "JWT",
      ...(this.key.private_key_id ? { kid: this.key.private_key_id } : {}),
    };
    const claims = {
      iss: this.key.client_email,
      sub: this.key.client_email,
      aud: this.tokenUrl,
      target_audience: audience,
      iat,
      exp: iat + ASSERTION_LIFETIME_S,
    };
    const input = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(claims))}`;
    this.signingKey ??= importPkcs8(this.key.private_key);
    const signature = await crypto.subtle.sign(
      "RSASSA-PKCS1-v1_5",
      await this.signingKey,
      new TextEncoder().encode(input),
    );
    return `${input}.${base64url(new Uint8Array(signature))}`;
  }
}

export function parseServiceAccountKey(json: string): ServiceAccountKey {
  let key: Record<string, unknown>;
  try {
    key = JSON.parse(json) as Record<string, unknown>;
  } catch {
    throw new IdTokenError("service-account key is not JSON");
  }
  if (typeof key["client_email"] !== "string" || typeof key["private_key"] !== "string") {
    throw new IdTokenError("service-account key lacks client_email or private_key");
  }
  return {
    client_email: key["client_email"],
    private_key: key["private_key"],
    private_key_id: typeof key["private_key_id"] === "string" ? key["private_key_id"] : undefined,
  };
}

async function importPkcs8(pem: string): Promise<CryptoKey> {
  const body = pem.replace(/-----(BEGIN|END) PRIVATE KEY-----/g, "").replace(/\s+/g, "");
  const der = Uint8Array.from(atob(body), (c) => c.charCodeAt(0));
  return crypto.subtle.importKey("pkcs8", der, { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" }, false, [
    "sign",
  ]);
}

/** The `exp` claim of a JWT in milliseconds; the signature is the upstream's business. */
function expiryOf(jwt: string): number | null {
  const payload = jwt.split(".")[1];
  if (payload === undefined) return null;
  try {
    const claims = JSON.parse(atob(payload.replace(/-/g, "+").replace(/_/g, "/"))) as { exp?: unknown };
    return typeof claims.exp === "number" ? claims.exp * 1000 : null;
  } catch {
    return null;
  }
}

function base64url(data: string | Uint8Array): string {
  const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}
