package dev.mise.emulators.assets;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Executors;

/**
 * Serves the local blob directory (the one {@code LocalDirectoryBlobStore} writes) under {@code
 * /assets/<key>}, as a public Cloud Storage bucket would: GET and HEAD, the {@code Content-Type}
 * the object was stored with (kept in {@code .content-types/<key>}, else guessed from the
 * extension), a strong {@code ETag}, {@code If-None-Match}, single byte {@code Range}s. Keys that
 * could escape the directory are refused with 400.
 */
public final class AssetServer implements AutoCloseable {

  private static final String PREFIX = "/assets/";

  /** Where {@code LocalDirectoryBlobStore} keeps each object's content type. */
  private static final String TYPES_DIRECTORY = ".content-types";

  private final HttpServer server;
  private final Path root;

  private AssetServer(HttpServer server, Path root) {
    this.server = server;
    this.root = root;
  }

  /** Starts serving {@code root} on 127.0.0.1:{@code port} (0 picks a free port). */
  public static AssetServer start(Path root, int port) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
    AssetServer assets = new AssetServer(server, root.toAbsolutePath().normalize());
    server.createContext("/", assets::handle);
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.start();
    return assets;
  }

  public int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String method = exchange.getRequestMethod();
      String path = exchange.getRequestURI().getRawPath();
      if (!method.equals("GET") && !method.equals("HEAD")) {
        exchange.getResponseHeaders().set("Allow", "GET, HEAD");
        send(exchange, 405, "method not allowed");
        return;
      }
      if (!path.startsWith(PREFIX)) {
        send(exchange, 404, "not found");
        return;
      }
      String key = path.substring(PREFIX.length());
      if (!AssetKeys.isSafe(key)) {
        send(exchange, 400, "invalid asset key");
        return;
      }
      Path file = root.resolve(key).normalize();
      if (!file.startsWith(root) || !Files.isRegularFile(file)) {
        send(exchange, 404, "not found");
        return;
      }
      serveFile(exchange, file, storedType(key), method.equals("HEAD"));
    }
  }

  /** The content type the blob store recorded for the key, or null when it recorded none. */
  private String storedType(String key) {
    try {
      String type = Files.readString(root.resolve(TYPES_DIRECTORY).resolve(key)).trim();
      return type.isEmpty() ? null : type;
    } catch (IOException none) {
      return null;
    }
  }

  private void serveFile(HttpExchange exchange, Path file, String storedType, boolean headOnly)
      throws IOException {
    long size = Files.size(file);
    String etag =
        "\"" + Long.toHexString(Files.getLastModifiedTime(file).toMillis()) + "-" + size + "\"";
    var headers = exchange.getResponseHeaders();
    headers.set("Content-Type", storedType != null ? storedType : contentType(file));
    headers.set("ETag", etag);
    headers.set("Accept-Ranges", "bytes");
    headers.set("Cache-Control", "public, max-age=3600");
    if (etag.equals(exchange.getRequestHeaders().getFirst("If-None-Match"))) {
      exchange.sendResponseHeaders(304, -1);
      return;
    }
    long start = 0;
    long end = size - 1;
    int status = 200;
    String range = exchange.getRequestHeaders().getFirst("Range");
    if (range != null && range.startsWith("bytes=") && !range.contains(",")) {
      long[] span = ByteRange.parse(range.substring(6), size);
      if (span == null) {
        headers.set("Content-Range", "bytes */" + size);
        exchange.sendResponseHeaders(416, -1);
        return;
      }
      start = span[0];
      end = span[1];
      status = 206;
      headers.set("Content-Range", "bytes " + start + "-" + end + "/" + size);
    }
    long length = end - start + 1;
    if (headOnly) {
      headers.set("Content-Length", Long.toString(length));
      exchange.sendResponseHeaders(status, -1);
      return;
    }
    exchange.sendResponseHeaders(status, length == 0 ? -1 : length);
    try (InputStream in = Files.newInputStream(file);
        OutputStream out = exchange.getResponseBody()) {
      in.skipNBytes(start);
      byte[] buffer = new byte[64 * 1024];
      long left = length;
      while (left > 0) {
        int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
        if (n < 0) {
          break;
        }
        out.write(buffer, 0, n);
        left -= n;
      }
    }
  }

  private static void send(HttpExchange exchange, int status, String text) throws IOException {
    byte[] body = text.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
    exchange.sendResponseHeaders(status, body.length);
    exchange.getResponseBody().write(body);
  }

  static String contentType(Path file) {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    int dot = name.lastIndexOf('.');
    String ext = dot < 0 ? "" : name.substring(dot + 1);
    return switch (ext) {
      case "jpg", "jpeg" -> "image/jpeg";
      case "png" -> "image/png";
      case "webp" -> "image/webp";
      case "gif" -> "image/gif";
      case "heic" -> "image/heic";
      case "pdf" -> "application/pdf";
      case "json" -> "application/json";
      case "txt" -> "text/plain; charset=utf-8";
      case "wav" -> "audio/wav";
      case "mp3" -> "audio/mpeg";
      case "mp4" -> "video/mp4";
      case "zip" -> "application/zip";
      default -> "application/octet-stream";
    };
  }
}
