package dev.mise.common.blobs;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * The few Cloud Storage JSON API calls the storage client makes for {@link CloudStorageBlobStore}
 * (multipart upload with {@code ifGenerationMatch}, object metadata, media download, delete),
 * answered from memory, with every request line recorded. google-cloud-nio's fake ignores upload
 * preconditions, which is exactly what the tests must see honoured.
 */
final class FakeCloudStorage implements AutoCloseable {

  private record StoredObject(byte[] data, String contentType, long generation) {}

  private final HttpServer server;
  private final Map<String, StoredObject> objects = new HashMap<>();
  private final List<String> requests = new ArrayList<>();
  private long generations;

  FakeCloudStorage() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  synchronized List<String> requests() {
    return List.copyOf(requests);
  }

  @Override
  public void close() {
    server.stop(0);
  }

  private synchronized void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String method = exchange.getRequestMethod();
      String path = exchange.getRequestURI().getRawPath();
      Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
      requests.add(method + " " + exchange.getRequestURI());
      byte[] body = exchange.getRequestBody().readAllBytes();
      if ("gzip".equals(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
        body = new GZIPInputStream(new ByteArrayInputStream(body)).readAllBytes();
      }
      if (method.equals("POST") && path.matches("/upload/storage/v1/b/[^/]+/o")) {
        upload(exchange, bucketOf(path), query, body);
      } else if (path.matches("/(download/)?storage/v1/b/[^/]+/o/[^/]+")) {
        String key = bucketOf(path) + "/" + decode(path.substring(path.lastIndexOf('/') + 1));
        StoredObject object = objects.get(key);
        if (object == null) {
          error(exchange, 404, "No such object: " + key);
        } else if (method.equals("DELETE")) {
          objects.remove(key);
          exchange.sendResponseHeaders(204, -1);
        } else if ("media".equals(query.get("alt"))) {
          exchange.getResponseHeaders().set("Content-Type", object.contentType());
          exchange.sendResponseHeaders(200, object.data().length);
          exchange.getResponseBody().write(object.data());
        } else {
          json(exchange, 200, metadata(key, object));
        }
      } else {
        error(exchange, 501, "not faked: " + method + " " + path);
      }
    }
  }

  private void upload(HttpExchange exchange, String bucket, Map<String, String> query, byte[] body)
      throws IOException {
    String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
    String boundary = contentType.substring(contentType.indexOf("boundary=") + 9);
    List<byte[]> parts = multipartBodies(body, boundary);
    JsonObject metadata =
        JsonParser.parseString(new String(parts.get(0), StandardCharsets.UTF_8)).getAsJsonObject();
    String key = bucket + "/" + metadata.get("name").getAsString();
    StoredObject existing = objects.get(key);
    String ifGenerationMatch = query.get("ifGenerationMatch");
    if (ifGenerationMatch != null) {
      long current = existing == null ? 0 : existing.generation();
      if (current != Long.parseLong(ifGenerationMatch)) {
        error(exchange, 412, "At least one of the pre-conditions you specified did not hold.");
        return;
      }
    }
    String type =
        metadata.has("contentType")
            ? metadata.get("contentType").getAsString()
            : "application/octet-stream";
    StoredObject object = new StoredObject(parts.get(1), type, ++generations);
    objects.put(key, object);
    json(exchange, 200, metadata(key, object));
  }

  private static JsonObject metadata(String key, StoredObject object) {
    JsonObject json = new JsonObject();
    json.addProperty("kind", "storage#object");
    json.addProperty("bucket", key.substring(0, key.indexOf('/')));
    json.addProperty("name", key.substring(key.indexOf('/') + 1));
    json.addProperty("generation", Long.toString(object.generation()));
    json.addProperty("contentType", object.contentType());
    json.addProperty("size", Integer.toString(object.data().length));
    return json;
  }

  /** The bodies of a multipart/related payload, headers stripped. */
  private static List<byte[]> multipartBodies(byte[] body, String boundary) {
    String text = new String(body, StandardCharsets.ISO_8859_1);
    List<byte[]> parts = new ArrayList<>();
    for (String part : text.split("--" + java.util.regex.Pattern.quote(boundary))) {
      int headersEnd = part.indexOf("\r\n\r\n");
      if (headersEnd < 0) {
        continue;
      }
      String content = part.substring(headersEnd + 4);
      if (content.endsWith("\r\n")) {
        content = content.substring(0, content.length() - 2);
      }
      parts.add(content.getBytes(StandardCharsets.ISO_8859_1));
    }
    return parts;
  }

  private static String bucketOf(String path) {
    String afterB = path.substring(path.indexOf("/b/") + 3);
    return afterB.substring(0, afterB.indexOf('/'));
  }

  private static Map<String, String> query(String rawQuery) {
    Map<String, String> query = new HashMap<>();
    if (rawQuery != null) {
      Arrays.stream(rawQuery.split("&"))
          .map(pair -> pair.split("=", 2))
          .forEach(kv -> query.put(decode(kv[0]), kv.length > 1 ? decode(kv[1]) : ""));
    }
    return query;
  }

  private static String decode(String value) {
    return URLDecoder.decode(value, StandardCharsets.UTF_8);
  }

  private static void error(HttpExchange exchange, int status, String message) throws IOException {
    JsonObject error = new JsonObject();
    error.addProperty("code", status);
    error.addProperty("message", message);
    JsonObject json = new JsonObject();
    json.add("error", error);
    json(exchange, status, json);
  }

  private static void json(HttpExchange exchange, int status, JsonObject json) throws IOException {
    byte[] bytes = json.toString().getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
  }
}
