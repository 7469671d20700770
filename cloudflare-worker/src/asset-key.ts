/**
 * Which object keys /assets/<key> may name. Keys are server-chosen (`gen/<session>/<item>.jpg`),
 * so the rule is a strict allow-list rather than a decoder: plain segments of letters, digits
 * and `._~-`, under an allowed prefix. Everything an attacker would try (`..`, percent-encoding
 * at any depth, backslashes, `//`, absolute URLs, control characters) fails it.
 */
const SEGMENT = /^[A-Za-z0-9._~-]+$/;
const MAX_KEY_LENGTH = 512;

export type AssetKeyResult = { ok: true; key: string } | { ok: false; reason: string };

/** Validates the raw (still percent-encoded) remainder of the path after /assets/. */
export function assetKey(raw: string, prefixes: readonly string[]): AssetKeyResult {
  if (raw.length === 0 || raw.length > MAX_KEY_LENGTH) return { ok: false, reason: "key length" };
  const segments = raw.split("/");
  for (const segment of segments) {
    if (segment === "") return { ok: false, reason: "empty segment" };
    if (segment === "." || segment === "..") return { ok: false, reason: "dot segment" };
    if (!SEGMENT.test(segment)) return { ok: false, reason: "character not allowed" };
  }
  if (!prefixes.some((prefix) => raw.startsWith(prefix) && raw.length > prefix.length)) {
    return { ok: false, reason: "prefix not allowed" };
  }
  return { ok: true, key: raw };
}

/** Content-addressed keys never change: they may be cached for a year. */
export function isImmutableKey(key: string): boolean {
  return key.startsWith("gen/");
}
