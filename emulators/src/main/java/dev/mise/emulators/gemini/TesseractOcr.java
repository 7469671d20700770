package dev.mise.emulators.gemini;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Text from an image by the {@code tesseract} command, so that locally a photographed page really
 * reads as its text. Without tesseract (or for formats it cannot read, such as PDF or HEIC) the
 * answer is a fixed placeholder menu, which still gives structured answers some lines to work with.
 * Results are cached by the image's hash: end-to-end runs send the same photo many times.
 */
final class TesseractOcr {

  /** What the stand-in "reads" when it cannot run tesseract. */
  static final String PLACEHOLDER =
      "STAND-IN OCR PLACEHOLDER (no tesseract, or an image it cannot read)\n"
          + "Tomato soup 6.50\n"
          + "Grilled fish with lemon 14.00\n"
          + "Green salad 8.00";

  private static final int CACHE_SIZE = 64;

  private final String command;
  private String languages;
  private final Map<String, String> cache =
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
          return size() > CACHE_SIZE;
        }
      };
  private Boolean installed;

  /**
   * @param command the tesseract executable
   * @param languages tesseract's {@code -l} value, or null to use English, plus Japanese when its
   *     data is installed
   */
  TesseractOcr(String command, String languages) {
    this.command = command;
    this.languages = languages;
  }

  /** The page's text, or {@link #PLACEHOLDER}. */
  String read(String mimeType, byte[] image) {
    if (!readable(mimeType) || !installed()) {
      return PLACEHOLDER;
    }
    String key = sha256(image);
    synchronized (cache) {
      String cached = cache.get(key);
      if (cached != null) {
        return cached;
      }
    }
    String text = run(image);
    synchronized (cache) {
      cache.put(key, text);
    }
    return text;
  }

  /** True when the tesseract command answers. */
  synchronized boolean installed() {
    if (installed == null) {
      installed = !text(List.of(command, "--version"), null).isEmpty();
      if (installed && languages == null) {
        String available = text(List.of(command, "--list-langs"), null);
        languages =
            available.lines().anyMatch(line -> line.strip().equals("jpn")) ? "eng+jpn" : "eng";
      }
    }
    return installed;
  }

  private String run(byte[] image) {
    String text =
        text(List.of(command, "stdin", "stdout", "--psm", "6", "-l", languages), image).strip();
    return text.isEmpty() ? PLACEHOLDER : text;
  }

  private static boolean readable(String mimeType) {
    return switch (mimeType.toLowerCase(java.util.Locale.ROOT)) {
      case "image/png",
          "image/jpeg",
          "image/jpg",
          "image/webp",
          "image/tiff",
          "image/bmp",
          "image/gif" ->
          true;
      default -> false;
    };
  }

  private static String text(List<String> commandLine, byte[] input) {
    byte[] out = ExternalCommand.run(commandLine, input);
    return out == null ? "" : new String(out, StandardCharsets.UTF_8);
  }

  private static String sha256(byte[] data) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
