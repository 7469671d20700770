package dev.mise.common.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mise.common.testing.MultipartBody;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MultipartFormTest {
  private static final MultipartForm.Limits LIMITS =
      new MultipartForm.Limits(10 << 20, 25 << 20, 10, 5, 4096);

  private static MultipartForm parse(MultipartBody body, MultipartForm.Limits limits)
      throws Exception {
    byte[] bytes = body.build();
    return MultipartForm.parse(
        body.contentType(), bytes.length, new ByteArrayInputStream(bytes), limits);
  }

  private static ProblemException refused(
      String contentType, InputStream in, MultipartForm.Limits limits) {
    return assertThrows(
        ProblemException.class, () -> MultipartForm.parse(contentType, -1, in, limits));
  }

  @Test
  void keepsEveryFileSentUnderOneNameInOrder() throws Exception {
    MultipartForm form =
        parse(
            new MultipartBody()
                .file("image", "p1.jpg", "image/jpeg", "page one".getBytes())
                .field("note", "dinner")
                .file("image", "p2.jpg", "image/jpeg", "page two".getBytes())
                .file("image", "p3.jpg", "image/jpeg", "page three".getBytes()),
            LIMITS);

    List<MultipartForm.Part> pages = form.files("image");
    assertEquals(
        List.of("p1.jpg", "p2.jpg", "p3.jpg"),
        pages.stream().map(MultipartForm.Part::fileName).toList());
    assertEquals("page three", pages.get(2).text());
    assertEquals("dinner", form.field("note").orElseThrow());
    assertNull(form.parts().get(1).fileName());
  }

  @Test
  void binaryContentThatLooksLikeABoundaryReadsBackExactlyInTinyChunks() throws Exception {
    Random random = new Random(42);
    String boundary = "XyZ";
    for (int round = 0; round < 20; round++) {
      byte[] data = new byte[random.nextInt(3000)];
      random.nextBytes(data);
      // sprinkle near-delimiters: CR LF - - X y (not Z)
      for (int i = 0; i + 6 < data.length; i += 97) {
        System.arraycopy("\r\n--Xy".getBytes(), 0, data, i, 6);
        data[i + 6] = 'Q';
      }
      MultipartBody body =
          new MultipartBody(boundary).file("f", "a.bin", "application/octet-stream", data);
      byte[] bytes = body.build();
      int chunk = 1 + random.nextInt(7);
      MultipartForm form =
          MultipartForm.parse(body.contentType(), -1, new TrickleStream(bytes, chunk), LIMITS);
      assertArrayEquals(data, form.files("f").get(0).data(), "round " + round);
    }
  }

  @Test
  void aFileOverItsLimitIs413BeforeTheRestIsRead() {
    MultipartForm.Limits small = new MultipartForm.Limits(100_000, 25 << 20, 10, 5, 4096);
    byte[] head =
        ("--b\r\nContent-Disposition: form-data; name=\"image\"; filename=\"big.jpg\"\r\n"
                + "Content-Type: image/jpeg\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII);
    EndlessBytes endless = new EndlessBytes();
    ProblemException e =
        refused(
            "multipart/form-data; boundary=b",
            new SequenceInputStream(new ByteArrayInputStream(head), endless),
            small);
    assertEquals(413, e.problem().status());
    assertTrue(e.problem().detail().contains("Each file"), e.problem().detail());
    assertTrue(endless.served < 100_000 + 128 * 1024, "read " + endless.served);
  }

  @Test
  void aBodyOverTheTotalLimitIs413() throws Exception {
    MultipartForm.Limits limits = new MultipartForm.Limits(1000, 2500, 10, 5, 4096);
    MultipartBody body = new MultipartBody();
    for (int i = 0; i < 4; i++) {
      body.file("image", i + ".jpg", "image/jpeg", new byte[900]);
    }
    byte[] bytes = body.build();
    ProblemException streamed =
        refused(body.contentType(), new ByteArrayInputStream(bytes), limits);
    assertEquals(413, streamed.problem().status());
    ProblemException declared =
        assertThrows(
            ProblemException.class,
            () ->
                MultipartForm.parse(
                    body.contentType(), bytes.length, InputStream.nullInputStream(), limits));
    assertEquals(413, declared.problem().status());
  }

  @Test
  void tooManyFilesIs400PointingAtTheField() {
    MultipartBody body = new MultipartBody();
    for (int i = 0; i < 11; i++) {
      body.file("image", i + ".jpg", "image/jpeg", new byte[] {1});
    }
    ProblemException e =
        refused(body.contentType(), new ByteArrayInputStream(body.build()), LIMITS);
    assertEquals(400, e.problem().status());
    assertEquals("/image", e.problem().errors().get(0).pointer());
  }

  @Test
  void truncatedBodiesAre400() {
    MultipartBody body = new MultipartBody().file("image", "a.jpg", "image/jpeg", new byte[500]);
    assertEquals(
        400,
        refused(body.contentType(), new ByteArrayInputStream(body.buildTruncated()), LIMITS)
            .problem()
            .status());
    assertEquals(
        400,
        refused(body.contentType(), new ByteArrayInputStream(new byte[0]), LIMITS)
            .problem()
            .status());
    byte[] headersOnly = "--b\r\nContent-Disposition: form-data; name=\"a\"".getBytes();
    assertEquals(
        400,
        refused("multipart/form-data; boundary=b", new ByteArrayInputStream(headersOnly), LIMITS)
            .problem()
            .status());
  }

  @Test
  void wrongContentTypeIs415AndAMissingBoundary400() {
    assertEquals(
        415, refused("application/json", InputStream.nullInputStream(), LIMITS).problem().status());
    assertEquals(415, refused("", InputStream.nullInputStream(), LIMITS).problem().status());
    assertEquals(
        400,
        refused("multipart/form-data", InputStream.nullInputStream(), LIMITS).problem().status());
  }

  @Test
  void quotedBoundaryPreambleAndEncodedFileNames() throws Exception {
    byte[] bytes =
        ("preamble to ignore\r\n--q b\r\n"
                + "Content-Disposition: form-data; name=\"image\"; filename=\"x.jpg\"; filename*=UTF-8''cr%C3%AApe.jpg\r\n"
                + "\r\n"
                + "data\r\n--q b--")
            .getBytes(StandardCharsets.UTF_8);
    MultipartForm form =
        MultipartForm.parse(
            "multipart/form-data; boundary=\"q b\"",
            bytes.length,
            new ByteArrayInputStream(bytes),
            LIMITS);
    MultipartForm.Part part = form.files("image").get(0);
    assertEquals("crêpe.jpg", part.fileName());
    assertEquals("application/octet-stream", part.contentType());
    assertEquals("data", part.text());
  }

  @Test
  void partsWithoutANameAreRefused() {
    byte[] bytes = "--b\r\nContent-Type: text/plain\r\n\r\nx\r\n--b--".getBytes();
    assertEquals(
        400,
        refused("multipart/form-data; boundary=b", new ByteArrayInputStream(bytes), LIMITS)
            .problem()
            .status());
  }

  /** Hands out a body a few bytes at a time, as a slow network does. */
  static final class TrickleStream extends InputStream {
    private final byte[] data;
    private final int chunk;
    private int pos;

    TrickleStream(byte[] data, int chunk) {
      this.data = data;
      this.chunk = chunk;
    }

    @Override
    public int read() {
      return pos < data.length ? data[pos++] & 0xFF : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (pos >= data.length) {
        return -1;
      }
      int n = Math.min(Math.min(len, chunk), data.length - pos);
      System.arraycopy(data, pos, b, off, n);
      pos += n;
      return n;
    }
  }

  /** An endless body that counts how much of it was read. */
  static final class EndlessBytes extends InputStream {
    long served;

    @Override
    public int read() {
      served++;
      return 'x';
    }

    @Override
    public int read(byte[] b, int off, int len) {
      java.util.Arrays.fill(b, off, off + len, (byte) 'x');
      served += len;
      return len;
    }
  }
}
