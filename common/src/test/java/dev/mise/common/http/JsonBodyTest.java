package dev.mise.common.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.mise.common.testing.FakeHttpRequest;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

class JsonBodyTest {
  record Body(String name) {}

  @Test
  void readsAJsonBody() throws Exception {
    assertEquals(
        "x",
        JsonBody.read(
                FakeHttpRequest.post("/")
                    .body("application/json; charset=utf-8", "{\"name\":\"x\"}".getBytes()),
                Body.class,
                100)
            .name());
  }

  @Test
  void wrongContentTypeIs415() {
    ProblemException e =
        assertThrows(
            ProblemException.class,
            () ->
                JsonBody.read(
                    FakeHttpRequest.post("/").body("text/plain", "{}".getBytes()),
                    Body.class,
                    100));
    assertEquals(415, e.problem().status());
  }

  @Test
  void invalidFieldsAre400WithPointers() {
    ProblemException e =
        assertThrows(
            ProblemException.class,
            () -> JsonBody.read(FakeHttpRequest.post("/").json("{\"name\":1}"), Body.class, 100));
    assertEquals(400, e.problem().status());
    assertEquals("/name", e.problem().errors().get(0).pointer());
  }

  @Test
  void anOversizedStreamIs413WithoutReadingItAll() {
    CountingEndlessStream endless = new CountingEndlessStream();
    ProblemException e =
        assertThrows(
            ProblemException.class,
            () ->
                JsonBody.read(
                    FakeHttpRequest.post("/").bodyStream("application/json", endless),
                    Body.class,
                    1000));
    assertEquals(413, e.problem().status());
    assertEquals(true, endless.served < 64 * 1024, "read " + endless.served);
  }

  /** {"name":"aaaa... forever. */
  static final class CountingEndlessStream extends InputStream {
    long served;
    private final byte[] head = "{\"name\":\"".getBytes();

    @Override
    public int read() {
      return served < head.length ? head[(int) served++] : (served++ >= 0 ? 'a' : -1);
    }
  }
}
