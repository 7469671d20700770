package dev.mise.common.http;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.util.List;

/**
 * An RFC 9457 problem document, the body of every error mise answers ({@code
 * application/problem+json}). {@code instance} carries the request id; {@code errors} lists
 * validation failures with JSON pointers into the request.
 */
public record Problem(
    String type,
    String title,
    int status,
    String detail,
    String instance,
    List<FieldError> errors) {

  public static final String MEDIA_TYPE = "application/problem+json";
  private static final String TYPE_BASE = "https://mise.dev/problems/";

  public Problem {
    errors = errors == null ? List.of() : List.copyOf(errors);
  }

  /** A problem of the given kind ({@code "validation"}, {@code "not-found"}, ...). */
  public static Problem of(int status, String kind, String title, String detail) {
    return new Problem(TYPE_BASE + kind, title, status, detail, null, List.of());
  }

  public Problem withInstance(String requestId) {
    return new Problem(type, title, status, detail, requestId, errors);
  }

  public Problem withErrors(List<FieldError> fieldErrors) {
    return new Problem(type, title, status, detail, instance, fieldErrors);
  }

  /** The short kind at the end of {@code type}. */
  public String kind() {
    return type.startsWith(TYPE_BASE) ? type.substring(TYPE_BASE.length()) : type;
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject();
    json.addProperty("type", type);
    json.addProperty("title", title);
    json.addProperty("status", status);
    if (detail != null) {
      json.addProperty("detail", detail);
    }
    if (instance != null) {
      json.addProperty("instance", instance);
    }
    if (!errors.isEmpty()) {
      JsonArray list = new JsonArray();
      for (FieldError error : errors) {
        JsonObject item = new JsonObject();
        item.addProperty("pointer", error.pointer());
        item.addProperty("detail", error.detail());
        list.add(item);
      }
      json.add("errors", list);
    }
    return json;
  }

  /** One validation failure: where (a JSON pointer, e.g. {@code /items/0/price}) and what. */
  public record FieldError(String pointer, String detail) {}
}
