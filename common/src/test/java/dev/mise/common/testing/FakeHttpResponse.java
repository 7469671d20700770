package dev.mise.common.testing;

import com.google.cloud.functions.HttpResponse;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.BufferedWriter;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * An {@link HttpResponse} that keeps what a function wrote, for assertions. A test that needs a
 * special body (one that counts flushes, or a client that goes away) extends it and overrides
 * {@link #getOutputStream()} and {@link #getWriter()}: status and headers are still kept here, and
 * {@link #bodyText()} is then empty.
 */
public class FakeHttpResponse implements HttpResponse {
  private int status = 200;
  private String contentType;
  private final Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
  private final ByteArrayOutputStream body = new ByteArrayOutputStream();
  private final ClosableBody stream = new ClosableBody(body);
  private BufferedWriter writer;

  @Override
  public void setStatusCode(int code) {
    status = code;
  }

  @Override
  public void setStatusCode(int code, String message) {
    status = code;
  }

  @Override
  public void setContentType(String type) {
    contentType = type;
    headers.put("Content-Type", new ArrayList<>(List.of(type)));
  }

  @Override
  public Optional<String> getContentType() {
    return Optional.ofNullable(contentType);
  }

  @Override
  public void appendHeader(String header, String value) {
    headers.computeIfAbsent(header, k -> new ArrayList<>()).add(value);
  }

  @Override
  public Map<String, List<String>> getHeaders() {
    return headers;
  }

  @Override
  public OutputStream getOutputStream() {
    return stream;
  }

  @Override
  public BufferedWriter getWriter() {
    if (writer == null) {
      writer = new BufferedWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8));
    }
    return writer;
  }

  public int status() {
    return status;
  }

  public Optional<String> header(String name) {
    List<String> values = headers.get(name);
    return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
  }

  public String bodyText() {
    try {
      if (writer != null && !stream.closed) {
        writer.flush();
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return body.toString(StandardCharsets.UTF_8);
  }

  /**
   * Like Jetty's response stream: once closed, a write or a flush throws, so a function that
   * touches its body after closing it fails here as it would under the invoker.
   */
  private static final class ClosableBody extends java.io.FilterOutputStream {
    private boolean closed;

    ClosableBody(OutputStream out) {
      super(out);
    }

    @Override
    public void write(int b) throws java.io.IOException {
      check();
      out.write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) throws java.io.IOException {
      check();
      out.write(b, off, len);
    }

    @Override
    public void flush() throws java.io.IOException {
      check();
    }

    @Override
    public void close() {
      closed = true;
    }

    private void check() throws java.io.IOException {
      if (closed) {
        throw new java.io.IOException("complete");
      }
    }
  }

  public JsonObject json() {
    return JsonParser.parseString(bodyText()).getAsJsonObject();
  }
}
