package dev.mise.common.http;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Parameters of a structured header such as {@code Content-Type} or {@code Content-Disposition}:
 * {@code value; key=token; key="quoted \" string"; key*=UTF-8''percent%20encoded}. Keys are lower
 * case; an RFC 8187 {@code key*} value wins over a plain {@code key}.
 */
final class HeaderParams {
  private HeaderParams() {}

  static Map<String, String> parse(String header) {
    Map<String, String> params = new LinkedHashMap<>();
    Map<String, String> extended = new LinkedHashMap<>();
    int i = header.indexOf(';');
    while (i >= 0 && i < header.length()) {
      i++;
      int eq = header.indexOf('=', i);
      int semi = header.indexOf(';', i);
      if (eq < 0 || (semi >= 0 && semi < eq)) {
        i = semi;
        continue;
      }
      String key = header.substring(i, eq).trim().toLowerCase(Locale.ROOT);
      int pos = eq + 1;
      while (pos < header.length() && header.charAt(pos) == ' ') {
        pos++;
      }
      StringBuilder value = new StringBuilder();
      if (pos < header.length() && header.charAt(pos) == '"') {
        pos++;
        while (pos < header.length() && header.charAt(pos) != '"') {
          char c = header.charAt(pos);
          if (c == '\\' && pos + 1 < header.length()) {
            pos++;
            c = header.charAt(pos);
          }
          value.append(c);
          pos++;
        }
        i = header.indexOf(';', pos);
      } else {
        int end = header.indexOf(';', pos);
        value.append(header, pos, end < 0 ? header.length() : end);
        i = end;
      }
      String text = value.toString().trim();
      if (key.endsWith("*")) {
        decodeExtended(text).ifPresent(v -> extended.put(key.substring(0, key.length() - 1), v));
      } else if (!key.isEmpty()) {
        params.putIfAbsent(key, text);
      }
    }
    params.putAll(extended);
    return params;
  }

  private static java.util.Optional<String> decodeExtended(String value) {
    int first = value.indexOf('\'');
    int second = first < 0 ? -1 : value.indexOf('\'', first + 1);
    if (second < 0 || !value.substring(0, first).equalsIgnoreCase("UTF-8")) {
      return java.util.Optional.empty();
    }
    try {
      return java.util.Optional.of(
          URLDecoder.decode(
              value.substring(second + 1).replace("+", "%2B"), StandardCharsets.UTF_8));
    } catch (IllegalArgumentException e) {
      return java.util.Optional.empty();
    }
  }
}
