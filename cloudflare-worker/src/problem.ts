/**
 * Every error the Worker itself produces is an RFC 9457 problem document, shaped like the
 * functions' own (dev.mise.common.http.Problem): same type base, `instance` is the request id.
 */
export const PROBLEM_MEDIA_TYPE = "application/problem+json";
export const PROBLEM_TYPE_BASE = "https://mise.dev/problems/";

export interface ProblemDocument {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
}

export function problem(
  status: number,
  kind: string,
  title: string,
  detail: string,
  requestId: string,
  headers: HeadersInit = {},
): Response {
  const body: ProblemDocument = {
    type: PROBLEM_TYPE_BASE + kind,
    title,
    status,
    detail,
    instance: requestId,
  };
  const response = jsonResponse(status, body, headers);
  response.headers.set("Content-Type", PROBLEM_MEDIA_TYPE);
  return response;
}

/** A small JSON answer made by the edge; Content-Length set so the request log can count it. */
export function jsonResponse(status: number, body: unknown, headers: HeadersInit = {}): Response {
  const bytes = new TextEncoder().encode(JSON.stringify(body));
  const response = new Response(bytes, { status, headers });
  response.headers.set("Content-Type", "application/json");
  response.headers.set("Content-Length", String(bytes.byteLength));
  response.headers.set("Cache-Control", "no-store");
  return response;
}
