// A client-supplied id is kept only when it is short and plain: it ends up in logs and
// upstream headers, so anything else is replaced rather than echoed.
const ACCEPTABLE = /^[A-Za-z0-9._:-]{1,128}$/;

export const REQUEST_ID_HEADER = "X-Request-Id";

/** The request's id: the client's X-Request-Id when acceptable, else a fresh UUID. */
export function requestIdOf(headers: Headers): string {
  const given = headers.get(REQUEST_ID_HEADER);
  return given !== null && ACCEPTABLE.test(given) ? given : crypto.randomUUID();
}
