package dev.mise.scan.request;

import dev.mise.common.http.FileType;
import dev.mise.scan.menu.Dietary;
import java.util.Set;

/** A validated scan request: the photo (its type known from its bytes), language, filters. */
public record ScanRequest(
    byte[] image, FileType type, String targetLanguage, Set<Dietary> dietary) {

  public ScanRequest {
    dietary = Set.copyOf(dietary);
  }

  /** Whether {@code javax.imageio} can decode it, so that it can have a perceptual fingerprint. */
  public boolean decodable() {
    return type == FileType.JPEG || type == FileType.PNG;
  }
}
