package dev.mise.scan.request;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The languages the scanner translates into: BCP-47 tags whose primary language is one of {@link
 * #SUPPORTED}, with an optional script or region ({@code zh-Hant}, {@code pt-BR}), normalized to
 * their canonical case. Without an explicit choice, the best supported language of the {@code
 * Accept-Language} header wins, else English.
 */
public final class TargetLanguage {

  public static final String DEFAULT = "en";

  /** Languages Gemini translates menus into well enough to offer. */
  public static final Set<String> SUPPORTED =
      Set.of(
          "ar", "bn", "cs", "da", "de", "el", "en", "es", "fa", "fi", "fil", "fr", "he", "hi", "hu",
          "id", "it", "ja", "ko", "ms", "nl", "no", "nb", "pl", "pt", "ro", "ru", "sv", "sw", "ta",
          "th", "tr", "uk", "ur", "vi", "zh");

  private TargetLanguage() {}

  /** The normalized tag, or empty when it is malformed or not supported. */
  public static Optional<String> parse(String tag) {
    if (tag == null || !tag.matches("[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8}){0,2}")) {
      return Optional.empty();
    }
    Locale locale = Locale.forLanguageTag(tag);
    if (!SUPPORTED.contains(locale.getLanguage())) {
      return Optional.empty();
    }
    return Optional.of(locale.toLanguageTag());
  }

  /** The best supported language of an {@code Accept-Language} header, or the default. */
  public static String fromAcceptLanguage(String header) {
    if (header == null || header.isBlank()) {
      return DEFAULT;
    }
    record Choice(String tag, double q, int order) {}
    List<Choice> choices = new ArrayList<>();
    String[] ranges = header.split(",");
    for (int i = 0; i < ranges.length && i < 20; i++) {
      String[] pieces = ranges[i].trim().split(";");
      double q = 1;
      for (int p = 1; p < pieces.length; p++) {
        String param = pieces[p].trim();
        if (param.startsWith("q=")) {
          try {
            q = Double.parseDouble(param.substring(2));
          } catch (NumberFormatException e) {
            q = 0;
          }
        }
      }
      choices.add(new Choice(pieces[0].trim(), q, i));
    }
    return choices.stream()
        .filter(c -> c.q() > 0)
        .sorted(Comparator.comparingDouble(Choice::q).reversed().thenComparing(Choice::order))
        .map(c -> parse(c.tag()))
        .flatMap(Optional::stream)
        .findFirst()
        .orElse(DEFAULT);
  }
}
