package dev.mise.ocr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.mise.common.http.FileType;
import dev.mise.common.http.MultipartForm;
import dev.mise.common.http.ProblemException;
import dev.mise.common.testing.FakeHttpRequest;
import dev.mise.common.testing.MultipartBody;
import java.util.List;
import org.junit.jupiter.api.Test;

class UploadFormTest {
  static final MultipartForm.Limits LIMITS =
      new MultipartForm.Limits(10 << 20, 25 << 20, 10, 4, 1024);
  static final byte[] JPEG = {
    (byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0, 0, 16, 'J', 'F', 'I', 'F'
  };
  static final byte[] PDF = "%PDF-1.4\n%...".getBytes();

  private static FakeHttpRequest post(MultipartBody body) {
    return FakeHttpRequest.post("/api/ocr/upload").body(body.contentType(), body.build());
  }

  private static ProblemException refused(MultipartBody body) {
    return assertThrows(ProblemException.class, () -> UploadForm.read(post(body), LIMITS));
  }

  @Test
  void acceptsPagesInOrderByMagicBytes() throws Exception {
    List<UploadForm.Page> pages =
        UploadForm.read(
            post(
                new MultipartBody()
                    .file("image", "1.jpg", "image/jpeg", JPEG)
                    .file("image", "2.pdf", "application/octet-stream", PDF)),
            LIMITS);
    assertEquals(
        List.of(FileType.JPEG, FileType.PDF), pages.stream().map(UploadForm.Page::type).toList());
  }

  @Test
  void aRenamedTextFileIs415WithAPointer() {
    ProblemException e =
        refused(
            new MultipartBody()
                .file("image", "1.jpg", "image/jpeg", JPEG)
                .file("image", "recipe.jpg", "image/jpeg", "just text".getBytes()));
    assertEquals(415, e.problem().status());
    assertEquals("/image/1", e.problem().errors().get(0).pointer());
  }

  @Test
  void gifIsAnImageButNotOneWeRead() {
    assertEquals(
        415,
        refused(new MultipartBody().file("image", "a.gif", "image/gif", "GIF89a....".getBytes()))
            .problem()
            .status());
  }

  @Test
  void emptyFileMissingFieldAndUnknownFieldsAre400() {
    assertEquals(
        400,
        refused(new MultipartBody().file("image", "a.jpg", "image/jpeg", new byte[0]))
            .problem()
            .status());
    ProblemException none = refused(new MultipartBody());
    assertEquals("/image", none.problem().errors().get(0).pointer());
    ProblemException other =
        refused(new MultipartBody().file("photo", "a.jpg", "image/jpeg", JPEG));
    assertEquals(400, other.problem().status());
    assertEquals("/photo", other.problem().errors().get(0).pointer());
    assertEquals(400, refused(new MultipartBody().field("image", "not a file")).problem().status());
  }

  @Test
  void fingerprintsDependOnContentAndOrder() {
    var a = new UploadForm.Page(FileType.JPEG, JPEG);
    var b = new UploadForm.Page(FileType.PDF, PDF);
    assertEquals(UploadForm.fingerprint(List.of(a, b)), UploadForm.fingerprint(List.of(a, b)));
    assertNotEquals(UploadForm.fingerprint(List.of(a, b)), UploadForm.fingerprint(List.of(b, a)));
  }
}
