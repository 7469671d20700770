package dev.mise.common.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The byte-level reader behind {@link MultipartForm} (RFC 7578 / RFC 2046). It keeps one buffer
 * window over the stream and searches it for {@code CRLF--boundary}; bytes that cannot start a
 * delimiter are handed to the current part at once, so a part's limit trips on the first byte over
 * it. The stream is primed with a CRLF so the first boundary (which has none) matches like the
 * others.
 */
final class MultipartParser {
  private static final int MAX_HEADER_BYTES = 16 * 1024;
  private static final byte[] HEADER_END = {'\r', '\n', '\r', '\n'};

  private final InputStream in;
  private final byte[] delimiter;
  private final MultipartForm.Limits limits;
  private final byte[] buf;
  private int pos;
  private int lim;
  private long total;
  private boolean eof;

  MultipartParser(InputStream in, String boundary, MultipartForm.Limits limits) {
    this.in = in;
    this.delimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
    this.limits = limits;
    this.buf = new byte[Math.max(64 * 1024, MAX_HEADER_BYTES + delimiter.length + 8)];
    buf[0] = '\r';
    buf[1] = '\n';
    lim = 2;
  }

  List<MultipartForm.Part> parse() throws IOException {
    if (!scanToDelimiter(null)) {
      throw truncated();
    }
    List<MultipartForm.Part> parts = new ArrayList<>();
    int files = 0;
    int fields = 0;
    while (true) {
      if (!ensure(2)) {
        throw truncated();
      }
      if (buf[pos] == '-' && buf[pos + 1] == '-') {
        return parts;
      }
      skipTransportPadding();
      if (!ensure(2)) {
        throw truncated();
      }
      if (buf[pos] != '\r' || buf[pos + 1] != '\n') {
        throw ProblemException.badRequest("Malformed multipart body: bad boundary line.");
      }
      pos += 2;
      Map<String, String> headers = readHeaders();
      String disposition = headers.getOrDefault("content-disposition", "");
      Map<String, String> params = HeaderParams.parse(disposition);
      String name = params.get("name");
      if (!disposition.toLowerCase(Locale.ROOT).startsWith("form-data") || name == null) {
        throw ProblemException.badRequest(
            "Malformed multipart body: every part needs Content-Disposition: form-data; name=...");
      }
      String fileName = params.get("filename");
      long partLimit;
      if (fileName != null) {
        checkFileCount(name, ++files, limits);
        partLimit = limits.maxFileBytes();
      } else {
        checkFieldCount(++fields, limits);
        partLimit = limits.maxFieldBytes();
      }
      PartSink sink = new PartSink(name, fileName != null, partLimit);
      if (!scanToDelimiter(sink)) {
        throw truncated();
      }
      String contentType = headers.getOrDefault("content-type", "application/octet-stream");
      parts.add(new MultipartForm.Part(name, fileName, contentType, sink.toByteArray()));
    }
  }

  static void checkFileCount(String name, int files, MultipartForm.Limits limits) {
    if (files > limits.maxFiles()) {
      throw ProblemException.validation(
          "At most " + limits.maxFiles() + " files may be sent at once.",
          List.of(
              new Problem.FieldError(
                  "/" + StrictJson.escape(name), "more than " + limits.maxFiles() + " files")));
    }
  }

  static void checkFieldCount(int fields, MultipartForm.Limits limits) {
    if (fields > limits.maxFields()) {
      throw ProblemException.badRequest(
          "At most " + limits.maxFields() + " form fields may be sent at once.");
    }
  }

  static ProblemException totalTooLarge(MultipartForm.Limits limits) {
    return ProblemException.tooLarge(
        "The request may hold at most "
            + MultipartForm.Sizes.describe(limits.maxTotalBytes())
            + ".");
  }

  static ProblemException partTooLarge(String name, boolean file, long limit) {
    return ProblemException.tooLarge(
        (file ? "Each file" : "The field " + name)
            + " may hold at most "
            + MultipartForm.Sizes.describe(limit)
            + ".");
  }

  private static ProblemException truncated() {
    return ProblemException.badRequest(
        "The multipart body ended before its closing boundary (truncated upload?).");
  }

  private void skipTransportPadding() throws IOException {
    while (ensure(1) && (buf[pos] == ' ' || buf[pos] == '\t')) {
      pos++;
    }
  }

  private Map<String, String> readHeaders() throws IOException {
    Map<String, String> headers = new LinkedHashMap<>();
    if (!ensure(2)) {
      throw truncated();
    }
    if (buf[pos] == '\r' && buf[pos + 1] == '\n') {
      pos += 2;
      return headers;
    }
    int end;
    while ((end = indexOf(HEADER_END, pos, lim)) < 0) {
      if (lim - pos > MAX_HEADER_BYTES) {
        throw ProblemException.badRequest("A multipart part's headers are too long.");
      }
      if (!fill()) {
        throw truncated();
      }
    }
    if (end - pos > MAX_HEADER_BYTES) {
      throw ProblemException.badRequest("A multipart part's headers are too long.");
    }
    String block = new String(buf, pos, end - pos, StandardCharsets.UTF_8);
    pos = end + HEADER_END.length;
    for (String line : block.split("\r\n")) {
      int colon = line.indexOf(':');
      if (colon <= 0) {
        throw ProblemException.badRequest("Malformed multipart body: bad part header.");
      }
      headers.put(
          line.substring(0, colon).trim().toLowerCase(Locale.ROOT),
          line.substring(colon + 1).trim());
    }
    return headers;
  }

  /** Moves past the next delimiter, handing the bytes before it to the sink (null discards). */
  private boolean scanToDelimiter(PartSink sink) throws IOException {
    while (true) {
      int found = indexOf(delimiter, pos, lim);
      if (found >= 0) {
        emit(sink, found);
        pos = found + delimiter.length;
        return true;
      }
      // The last delimiter.length - 1 bytes may be the start of a delimiter: keep them.
      emit(sink, Math.max(pos, lim - (delimiter.length - 1)));
      if (!fill()) {
        return false;
      }
    }
  }

  private void emit(PartSink sink, int end) {
    if (sink != null && end > pos) {
      sink.append(buf, pos, end - pos);
    }
    pos = end;
  }

  private boolean ensure(int n) throws IOException {
    while (lim - pos < n) {
      if (!fill()) {
        return false;
      }
    }
    return true;
  }

  /** Reads more of the stream into the window; false at its end. */
  private boolean fill() throws IOException {
    if (eof) {
      return false;
    }
    if (pos > 0) {
      System.arraycopy(buf, pos, buf, 0, lim - pos);
      lim -= pos;
      pos = 0;
    }
    int n = in.read(buf, lim, buf.length - lim);
    if (n < 0) {
      eof = true;
      return false;
    }
    total += n;
    if (total > limits.maxTotalBytes()) {
      throw totalTooLarge(limits);
    }
    lim += n;
    return true;
  }

  private int indexOf(byte[] pattern, int from, int to) {
    outer:
    for (int i = from; i <= to - pattern.length; i++) {
      if (buf[i] != pattern[0]) {
        continue;
      }
      for (int j = 1; j < pattern.length; j++) {
        if (buf[i + j] != pattern[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  /** Collects one part's bytes and trips its limit on the first byte over it. */
  private static final class PartSink extends ByteArrayOutputStream {
    private final String name;
    private final boolean file;
    private final long limit;

    PartSink(String name, boolean file, long limit) {
      this.name = name;
      this.file = file;
      this.limit = limit;
    }

    void append(byte[] bytes, int offset, int length) {
      if ((long) count + length > limit) {
        throw partTooLarge(name, file, limit);
      }
      write(bytes, offset, length);
    }
  }
}
