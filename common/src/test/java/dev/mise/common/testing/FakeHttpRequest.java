package dev.mise.common.testing;

import com.google.cloud.functions.HttpRequest;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * An {@link HttpRequest} for unit tests of HTTP functions: method, path, headers and a body, with a
 * custom body stream when a test needs to see how much of it was read.
 */
public final class FakeHttpRequest implements HttpRequest {
  private final String method;
  private final String uri;
  private final Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
  private InputStream body = new ByteArrayInputStream(new byte[0]);
  private long contentLength = -1;

  private FakeHttpRequest(String method, String uri) {
    this.method = method;
    this.uri = uri;
  }

  public static FakeHttpRequest get(String uri) {
    return new FakeHttpRequest("GET", uri);
  }

  public static FakeHttpRequest post(String uri) {
    return new FakeHttpRequest("POST", uri);
  }

  public static FakeHttpRequest of(String method, String uri) {
    return new FakeHttpRequest(method, uri);
  }

  public FakeHttpRequest header(String name, String value) {
    headers.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
    return this;
  }

  /** A body with a matching Content-Length. */
  public FakeHttpRequest body(String contentType, byte[] bytes) {
    header("Content-Type", contentType);
    this.body = new ByteArrayInputStream(bytes);
    this.contentLength = bytes.length;
    return this;
  }

  public FakeHttpRequest json(String json) {
    return body("application/json", json.getBytes(StandardCharsets.UTF_8));
  }

  /** A body read from a stream, with no Content-Length (as with chunked transfer). */
  public FakeHttpRequest bodyStream(String contentType, InputStream stream) {
    header("Content-Type", contentType);
    this.body = stream;
    this.contentLength = -1;
    return this;
  }

  @Override
  public String getMethod() {
    return method;
  }

  @Override
  public String getUri() {
    return uri;
  }

  @Override
  public String getPath() {
    int q = uri.indexOf('?');
    return q < 0 ? uri : uri.substring(0, q);
  }

  @Override
  public Optional<String> getQuery() {
    int q = uri.indexOf('?');
    return q < 0 ? Optional.empty() : Optional.of(uri.substring(q + 1));
  }

  @Override
  public Map<String, List<String>> getQueryParameters() {
    Map<String, List<String>> params = new LinkedHashMap<>();
    getQuery()
        .ifPresent(
            query -> {
              for (String pair : query.split("&")) {
                String[] kv = pair.split("=", 2);
                params
                    .computeIfAbsent(
                        java.net.URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
                        k -> new ArrayList<>())
                    .add(
                        kv.length > 1
                            ? java.net.URLDecoder.decode(kv[1], StandardCharsets.UTF_8)
                            : "");
              }
            });
    return params;
  }

  @Override
  public Map<String, HttpPart> getParts() {
    throw new UnsupportedOperationException("mise parses multipart itself: see MultipartForm");
  }

  @Override
  public Optional<String> getContentType() {
    return getFirstHeader("Content-Type");
  }

  @Override
  public long getContentLength() {
    return contentLength;
  }

  @Override
  public Optional<String> getCharacterEncoding() {
    return Optional.empty();
  }

  @Override
  public InputStream getInputStream() {
    return body;
  }

  @Override
  public BufferedReader getReader() {
    return new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
  }

  @Override
  public Map<String, List<String>> getHeaders() {
    return headers;
  }
}
