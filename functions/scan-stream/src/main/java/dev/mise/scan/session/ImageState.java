package dev.mise.scan.session;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where a recommended dish's picture stands: pending, ready (with its URL and how long it took), or
 * failed (with an error code and message for the client).
 */
public record ImageState(
    String itemId, String status, String url, long genMillis, String errorCode, String message) {

  public static final String PENDING = "pending";
  public static final String READY = "ready";
  public static final String FAILED = "failed";

  public static ImageState pending(String itemId) {
    return new ImageState(itemId, PENDING, null, 0, null, null);
  }

  public static ImageState ready(String itemId, String url, long genMillis) {
    return new ImageState(itemId, READY, url, genMillis, null, null);
  }

  public static ImageState failed(String itemId, String code, String message) {
    return new ImageState(itemId, FAILED, null, 0, code, message);
  }

  public boolean isReady() {
    return READY.equals(status);
  }

  Map<String, Object> toDocument() {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("itemId", itemId);
    doc.put("status", status);
    doc.put("url", url);
    doc.put("genMillis", genMillis);
    doc.put("errorCode", errorCode);
    doc.put("message", message);
    return doc;
  }

  static ImageState fromDocument(Map<?, ?> doc) {
    Object millis = doc.get("genMillis");
    return new ImageState(
        (String) doc.get("itemId"),
        (String) doc.get("status"),
        (String) doc.get("url"),
        millis instanceof Number n ? n.longValue() : 0,
        (String) doc.get("errorCode"),
        (String) doc.get("message"));
  }
}
