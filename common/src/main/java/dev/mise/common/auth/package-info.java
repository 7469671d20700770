/**
 * Who is calling: users with Firebase (or any OIDC provider's) ID tokens ({@link
 * dev.mise.common.auth.UserAuth}) and internal callers such as Cloud Tasks with Google-signed OIDC
 * tokens for one service account ({@link dev.mise.common.auth.InternalAuth}). Both answer a refused
 * request with a 401 problem carrying {@code WWW-Authenticate}; emulator tokens pass only when the
 * emulator's variable is set.
 *
 * <pre>{@code
 * private final UserAuth users = UserAuth.fromEnv(Env.system());
 *
 * private void handle(HttpRequest request, HttpResponse response, RequestContext context) {
 *   User user = users.authenticate(request); // 401 problem when missing, expired or forged
 *   ...
 * }
 * }</pre>
 *
 * Locally: {@code scripts/local-token alice} (or {@link dev.mise.common.auth.LocalToken}) prints a
 * token the local stack accepts.
 */
package dev.mise.common.auth;
