import type { Route } from "./routes";
import { problem } from "./problem";

/**
 * Cheap pre-checks: a request that cannot possibly authenticate is turned away before it costs
 * a function call. Only presence and shape are checked here; the function verifies the token
 * or the key itself.
 */
const BEARER = /^Bearer [A-Za-z0-9\-._~+/]+=*$/;
const MAX_CREDENTIAL_LENGTH = 8192;

export function authPrecheck(route: Route, headers: Headers, requestId: string): Response | null {
  if (route.access === "user") {
    const authorization = headers.get("Authorization");
    if (
      authorization === null ||
      authorization.length > MAX_CREDENTIAL_LENGTH ||
      !BEARER.test(authorization)
    ) {
      return problem(
        401,
        "unauthenticated",
        "Authentication required",
        "send Authorization: Bearer <ID token>",
        requestId,
        {
          "WWW-Authenticate": 'Bearer realm="mise"',
        },
      );
    }
  }
  if (route.access === "api-key") {
    const key = headers.get("X-API-Key");
    if (key === null || key.trim() === "" || key.length > MAX_CREDENTIAL_LENGTH) {
      return problem(401, "unauthenticated", "API key required", "send X-API-Key: <key>", requestId, {
        "WWW-Authenticate": 'ApiKey realm="mise", header="X-API-Key"',
      });
    }
  }
  return null;
}
