package dev.mise.common.http;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;

/**
 * File types told apart by their first bytes, never by a name or a client's {@code Content-Type}: a
 * renamed text file is not a JPEG. HEIC and HEIF are ISO-BMFF files whose {@code ftyp} box names an
 * HEIF brand (major or compatible), which is how iPhone photos arrive.
 *
 * <pre>{@code
 * FileType type = FileType.sniff(part.data())
 *     .filter(IMAGES::contains)
 *     .orElseThrow(() -> ProblemException.unsupportedType("Send a JPEG, PNG, WebP, HEIC or PDF."));
 * }</pre>
 */
public enum FileType {
  JPEG("image/jpeg", "jpg"),
  PNG("image/png", "png"),
  GIF("image/gif", "gif"),
  WEBP("image/webp", "webp"),
  HEIC("image/heic", "heic"),
  HEIF("image/heif", "heif"),
  PDF("application/pdf", "pdf");

  // Brands from ISO/IEC 23008-12 (HEIF) and Apple's files: the HEVC-coded ones are HEIC.
  private static final Set<String> HEIC_BRANDS =
      Set.of("heic", "heix", "heim", "heis", "hevc", "hevx", "hevm", "hevs");
  private static final Set<String> HEIF_BRANDS = Set.of("mif1", "msf1", "mif2");

  private final String mimeType;
  private final String extension;

  FileType(String mimeType, String extension) {
    this.mimeType = mimeType;
    this.extension = extension;
  }

  public String mimeType() {
    return mimeType;
  }

  /** A file name extension for server-chosen object names, without the dot. */
  public String extension() {
    return extension;
  }

  /** The type the bytes start with, if it is one of these. */
  public static Optional<FileType> sniff(byte[] head) {
    if (startsWith(head, 0, 0xFF, 0xD8, 0xFF)) {
      return Optional.of(JPEG);
    }
    if (startsWith(head, 0, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)) {
      return Optional.of(PNG);
    }
    if (startsWithText(head, 0, "GIF87a") || startsWithText(head, 0, "GIF89a")) {
      return Optional.of(GIF);
    }
    if (startsWithText(head, 0, "RIFF") && startsWithText(head, 8, "WEBP")) {
      return Optional.of(WEBP);
    }
    if (startsWithText(head, 0, "%PDF-")) {
      return Optional.of(PDF);
    }
    return heifBrand(head);
  }

  private static Optional<FileType> heifBrand(byte[] head) {
    if (head.length < 16 || !startsWithText(head, 4, "ftyp")) {
      return Optional.empty();
    }
    long boxSize =
        ((head[0] & 0xFFL) << 24)
            | ((head[1] & 0xFF) << 16)
            | ((head[2] & 0xFF) << 8)
            | (head[3] & 0xFF);
    if (boxSize < 16 || boxSize % 4 != 0) {
      return Optional.empty();
    }
    String major = new String(head, 8, 4, StandardCharsets.ISO_8859_1);
    if (major.startsWith("avi")) {
      // AVIF is HEIF-based (it lists mif1) but AV1-coded: not what HEIC/HEIF promise.
      return Optional.empty();
    }
    int end = (int) Math.min(boxSize, head.length);
    // major brand at 8, minor version at 12, compatible brands from 16 to the box's end
    boolean heif = false;
    for (int offset = 8; offset + 4 <= end; offset += offset == 8 ? 8 : 4) {
      String brand = new String(head, offset, 4, StandardCharsets.ISO_8859_1);
      if (HEIC_BRANDS.contains(brand)) {
        return Optional.of(HEIC);
      }
      heif |= HEIF_BRANDS.contains(brand);
    }
    return heif ? Optional.of(HEIF) : Optional.empty();
  }

  private static boolean startsWith(byte[] data, int offset, int... bytes) {
    if (data.length < offset + bytes.length) {
      return false;
    }
    for (int i = 0; i < bytes.length; i++) {
      if ((data[offset + i] & 0xFF) != bytes[i]) {
        return false;
      }
    }
    return true;
  }

  private static boolean startsWithText(byte[] data, int offset, String ascii) {
    return startsWith(data, offset, ascii.chars().toArray());
  }
}
