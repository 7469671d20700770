/**
 * One `Range: bytes=...` request (RFC 9110 14.2), for origins that answer a ranged request
 * with the whole object. Multiple ranges are not served as multipart: null means "send it all",
 * which the RFC allows.
 */
export type ByteRange = { start: number; end: number } | "unsatisfiable" | null;

export function parseRange(header: string | null, length: number): ByteRange {
  if (header === null) return null;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (m === null || (m[1] === "" && m[2] === "")) return null;
  if (m[1] === "") {
    const suffix = Number(m[2]);
    if (suffix === 0) return "unsatisfiable";
    return { start: Math.max(length - suffix, 0), end: length - 1 };
  }
  const start = Number(m[1]);
  const end = m[2] === "" ? length - 1 : Math.min(Number(m[2]), length - 1);
  if (start >= length) return "unsatisfiable";
  if (end < start) return null;
  return { start, end };
}
