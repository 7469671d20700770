package dev.mise.common.http;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Thrown anywhere below a function's top-level handler to answer with a problem document. The
 * handler adds the request id and writes it, with any extra headers the problem needs ({@code
 * WWW-Authenticate} on a 401, {@code Allow} on a 405, {@code Retry-After} on a 503); nothing else
 * is written to the response.
 */
public class ProblemException extends RuntimeException {
  private final transient Problem problem;
  private final transient Map<String, String> headers;

  public ProblemException(Problem problem) {
    this(problem, Map.of());
  }

  public ProblemException(Problem problem, Map<String, String> headers) {
    super(problem.title() + (problem.detail() == null ? "" : ": " + problem.detail()));
    this.problem = problem;
    this.headers = Map.copyOf(headers);
  }

  public Problem problem() {
    return problem;
  }

  /** Response headers that belong with the problem. */
  public Map<String, String> headers() {
    return headers;
  }

  /** The same problem with one more response header. */
  public ProblemException withHeader(String name, String value) {
    Map<String, String> next = new LinkedHashMap<>(headers);
    next.put(name, value);
    return new ProblemException(problem, next);
  }

  public static ProblemException badRequest(String detail) {
    return new ProblemException(Problem.of(400, "bad-request", "Bad request", detail));
  }

  /** A 400 listing each invalid field with a JSON pointer. */
  public static ProblemException validation(String detail, List<Problem.FieldError> errors) {
    return new ProblemException(
        Problem.of(400, "validation", "Invalid request", detail).withErrors(errors));
  }

  public static ProblemException notFound(String detail) {
    return new ProblemException(Problem.of(404, "not-found", "Not found", detail));
  }

  /** A 405 with the {@code Allow} header listing the methods the endpoint takes. */
  public static ProblemException methodNotAllowed(String... allowed) {
    return new ProblemException(
        Problem.of(
            405,
            "method-not-allowed",
            "Method not allowed",
            "Use " + String.join(" or ", allowed) + "."),
        Map.of("Allow", String.join(", ", allowed)));
  }

  /** A 413: a body, a file or a field was larger than the endpoint accepts. */
  public static ProblemException tooLarge(String detail) {
    return new ProblemException(Problem.of(413, "too-large", "Content too large", detail));
  }

  /** A 415: the body or an uploaded file is of a type the endpoint does not take. */
  public static ProblemException unsupportedType(String detail) {
    return new ProblemException(
        Problem.of(415, "unsupported-media-type", "Unsupported media type", detail));
  }

  /** A 422: well-formed, but the server will not act on it (e.g. a reused idempotency key). */
  public static ProblemException unprocessable(String kind, String title, String detail) {
    return new ProblemException(Problem.of(422, kind, title, detail));
  }

  /** A 503 asking the caller (often a queue) to come back after the given number of seconds. */
  public static ProblemException unavailable(String detail, long retryAfterSeconds) {
    return new ProblemException(
        Problem.of(503, "unavailable", "Temporarily unavailable", detail),
        Map.of("Retry-After", Long.toString(Math.max(1, retryAfterSeconds))));
  }
}
