/**
 * HTTP plumbing shared by every function: one top-level handler that answers problem+json and
 * tracks request ids ({@link dev.mise.common.http.HttpEndpoint}), strict JSON bodies ({@link
 * dev.mise.common.http.JsonBody}, {@link dev.mise.common.http.StrictJson}), streaming multipart
 * with size limits ({@link dev.mise.common.http.MultipartForm}) and magic-byte file types ({@link
 * dev.mise.common.http.FileType}).
 *
 * <pre>{@code
 * public final class Rename implements HttpFunction {
 *   record Body(String name, @OptionalField String note) {}
 *
 *   private final HttpEndpoint endpoint = new HttpEndpoint("rename", Env.system(), this::handle);
 *
 *   public void service(HttpRequest request, HttpResponse response) {
 *     endpoint.serve(request, response);
 *   }
 *
 *   private void handle(HttpRequest request, HttpResponse response, RequestContext context)
 *       throws IOException {
 *     if (!request.getMethod().equals("POST")) {
 *       throw ProblemException.methodNotAllowed("POST");
 *     }
 *     Body body = JsonBody.read(request, Body.class, 16 * 1024); // 415, 413 or 400 with pointers
 *     context.log().info("renaming", "name", body.name());
 *     response.setStatusCode(204);
 *   }
 * }
 * }</pre>
 */
package dev.mise.common.http;
