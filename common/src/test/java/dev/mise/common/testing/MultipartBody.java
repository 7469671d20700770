package dev.mise.common.testing;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Builds {@code multipart/form-data} bodies for tests, as a browser's FormData would. */
public final class MultipartBody {
  private final String boundary;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  public MultipartBody() {
    this("----miseFormBoundary7MA4YWxkTrZu0gW");
  }

  public MultipartBody(String boundary) {
    this.boundary = boundary;
  }

  public MultipartBody file(String name, String fileName, String contentType, byte[] data) {
    write("--" + boundary + "\r\n");
    write(
        "Content-Disposition: form-data; name=\"" + name + "\"; filename=\"" + fileName + "\"\r\n");
    write("Content-Type: " + contentType + "\r\n\r\n");
    out.writeBytes(data);
    write("\r\n");
    return this;
  }

  public MultipartBody field(String name, String value) {
    write("--" + boundary + "\r\n");
    write("Content-Disposition: form-data; name=\"" + name + "\"\r\n\r\n");
    write(value + "\r\n");
    return this;
  }

  public String contentType() {
    return "multipart/form-data; boundary=" + boundary;
  }

  /** The body with its closing boundary. */
  public byte[] build() {
    ByteArrayOutputStream copy = new ByteArrayOutputStream();
    copy.writeBytes(out.toByteArray());
    copy.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
    return copy.toByteArray();
  }

  /** The body cut off before its closing boundary, as when an upload is interrupted. */
  public byte[] buildTruncated() {
    byte[] whole = out.toByteArray();
    return java.util.Arrays.copyOf(whole, Math.max(0, whole.length - 7));
  }

  private void write(String text) {
    out.writeBytes(text.getBytes(StandardCharsets.UTF_8));
  }
}
