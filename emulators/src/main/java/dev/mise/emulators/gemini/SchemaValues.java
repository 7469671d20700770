package dev.mise.emulators.gemini;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A JSON value that satisfies a response schema, built deterministically from the request's text
 * (the OCR text of its images, else its prompt). It reads both forms the SDK sends: JSON Schema
 * ({@code responseJsonSchema}: lower-case types, {@code type: [..., "null"]}, {@code $ref}) and the
 * API's OpenAPI subset ({@code responseSchema}: upper-case types, {@code nullable}).
 *
 * <p>So that local runs look like the real thing, arrays of objects get one element per line of the
 * source text (a menu's dishes, a recipe's lines), properties named like {@code text} or {@code
 * rawText} get the whole text, {@code id}s are unique, {@code price}s come from the line's last
 * number, and a nullable enum inside array elements is given to the first elements in order (so
 * "recommended: 1, 2, 3, null, ..." comes out as a model would rank).
 */
final class SchemaValues {

  private static final int MAX_ELEMENTS = 12;
  private static final int MAX_DEPTH = 12;
  private static final Pattern NUMBER = Pattern.compile("\\d+(?:[.,]\\d+)?");
  private static final Pattern TRAILING_PRICE =
      Pattern.compile("[\\s.:·…-]*[$€£¥\\\\]?\\s*\\d+(?:[.,]\\d+)?\\s*(?:円|yen|eur|usd)?\\s*$");
  private static final Set<String> WHOLE_TEXT_NAMES =
      Set.of(
          "text",
          "rawtext",
          "content",
          "fulltext",
          "ocrtext",
          "transcript",
          "transcription",
          "pagetext",
          "markdown");

  private final JsonObject root;
  private final String sourceText;
  private final List<String> lines;

  SchemaValues(JsonObject root, String sourceText) {
    this.root = root;
    this.sourceText = sourceText.strip();
    this.lines = this.sourceText.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
  }

  JsonElement value() {
    return value(root, "", new Place(lines.isEmpty() ? "" : lines.get(0), 0, false), 0);
  }

  /** Where a value sits: the source line it describes and its index in the enclosing array. */
  private record Place(String line, int index, boolean inElement) {}

  private JsonElement value(JsonObject schema, String name, Place place, int depth) {
    schema = resolve(schema);
    if (depth > MAX_DEPTH) {
      return JsonNull.INSTANCE;
    }
    if (schema.has("const")) {
      return schema.get("const");
    }
    for (String alternatives : List.of("anyOf", "oneOf", "allOf")) {
      if (schema.has(alternatives)) {
        JsonObject chosen = firstNonNull(schema.getAsJsonArray(alternatives));
        if (chosen != null) {
          return value(chosen, name, place, depth + 1);
        }
      }
    }
    boolean nullable = isNullable(schema);
    if (schema.has("enum")) {
      JsonArray options = schema.getAsJsonArray("enum");
      if (options.isEmpty() || (nullable && place.inElement() && place.index() >= options.size())) {
        return JsonNull.INSTANCE;
      }
      return options.get(place.index() % options.size());
    }
    return switch (typeOf(schema)) {
      case "object" -> object(schema, place, depth);
      case "array" -> array(schema, name, place, depth);
      case "string" -> string(schema, name, place);
      case "integer" -> new JsonPrimitive(Math.round(number(schema, name, place)));
      case "number" -> new JsonPrimitive(number(schema, name, place));
      case "boolean" -> new JsonPrimitive(false);
      default -> JsonNull.INSTANCE;
    };
  }

  private JsonObject object(JsonObject schema, Place place, int depth) {
    JsonObject properties = GeminiJson.objectOrEmpty(schema, "properties");
    Set<String> order = new LinkedHashSet<>();
    for (JsonElement name : GeminiJson.arrayOrEmpty(schema, "propertyOrdering")) {
      order.add(name.getAsString());
    }
    order.addAll(properties.keySet());
    JsonObject object = new JsonObject();
    for (String property : order) {
      if (properties.has(property)) {
        object.add(
            property, value(properties.getAsJsonObject(property), property, place, depth + 1));
      }
    }
    return object;
  }

  private JsonArray array(JsonObject schema, String name, Place place, int depth) {
    JsonObject items = resolve(GeminiJson.objectOrEmpty(schema, "items"));
    long min = schema.has("minItems") ? schema.get("minItems").getAsLong() : 0;
    long max = schema.has("maxItems") ? schema.get("maxItems").getAsLong() : MAX_ELEMENTS;
    // Free-form elements (dishes, lines, steps) follow the source's lines; enumerated ones (tags)
    // and anything inside an element get a single entry unless the schema asks for more.
    boolean perLine = !place.inElement() && !items.has("enum") && !lines.isEmpty();
    long count = Math.max(min, Math.min(max, perLine ? Math.min(lines.size(), MAX_ELEMENTS) : 1));
    JsonArray array = new JsonArray();
    for (int i = 0; i < count; i++) {
      String line = perLine ? lines.get(i % lines.size()) : place.line();
      array.add(value(items, singular(name), new Place(line, i, true), depth + 1));
    }
    return array;
  }

  private JsonPrimitive string(JsonObject schema, String name, Place place) {
    String key = name.toLowerCase(Locale.ROOT).replace("_", "");
    String format = schema.has("format") ? schema.get("format").getAsString() : "";
    String text =
        switch (format) {
          case "date-time" -> "2025-01-01T12:00:00Z";
          case "date" -> "2025-01-01";
          case "time" -> "12:00:00";
          case "email" -> "cook@example.com";
          case "uri", "url" -> "https://example.com/stand-in/" + (place.index() + 1);
          default -> named(name, key, place);
        };
    if (schema.has("minLength")) {
      int minLength = schema.get("minLength").getAsInt();
      StringBuilder padded = new StringBuilder(text);
      while (padded.length() < minLength) {
        padded.append(padded.isEmpty() ? "x" : " " + key);
      }
      text = padded.toString();
    }
    if (schema.has("maxLength")) {
      text = text.substring(0, Math.min(text.length(), schema.get("maxLength").getAsInt()));
    }
    return new JsonPrimitive(text);
  }

  private String named(String name, String key, Place place) {
    if (WHOLE_TEXT_NAMES.contains(key)) {
      return sourceText;
    }
    if (key.contains("language") || key.equals("lang") || key.equals("locale")) {
      return languageOf(sourceText);
    }
    if (key.equals("currency") || key.equals("currencycode")) {
      return currencyOf(sourceText);
    }
    if (key.equals("id") || name.endsWith("Id") || name.toLowerCase(Locale.ROOT).endsWith("_id")) {
      String prefix = key.equals("id") ? "item" : key.substring(0, key.length() - 2);
      return prefix + "-" + (place.index() + 1);
    }
    if (key.contains("url") || key.contains("uri")) {
      return "https://example.com/stand-in/" + (place.index() + 1);
    }
    String label = TRAILING_PRICE.matcher(place.line()).replaceFirst("").strip();
    if (!label.isEmpty()) {
      return label;
    }
    return place.line().isEmpty() ? (name.isEmpty() ? "stand-in" : name) : place.line();
  }

  private double number(JsonObject schema, String name, Place place) {
    String key = name.toLowerCase(Locale.ROOT);
    double value = 1;
    if (key.contains("price") || key.contains("amount") || key.contains("cost")) {
      value = lastNumber(place.line(), 0);
    } else if (key.contains("quantity") || key.contains("qty")) {
      value = firstNumber(place.line(), 1);
    }
    if (schema.has("minimum")) {
      value = Math.max(value, schema.get("minimum").getAsDouble());
    }
    if (schema.has("exclusiveMinimum") && schema.get("exclusiveMinimum").isJsonPrimitive()) {
      value = Math.max(value, schema.get("exclusiveMinimum").getAsDouble() + 1);
    }
    if (schema.has("maximum")) {
      value = Math.min(value, schema.get("maximum").getAsDouble());
    }
    return value;
  }

  private static double firstNumber(String line, double fallback) {
    Matcher matcher = NUMBER.matcher(line);
    return matcher.find() ? Double.parseDouble(matcher.group().replace(',', '.')) : fallback;
  }

  private static double lastNumber(String line, double fallback) {
    Matcher matcher = NUMBER.matcher(line);
    String last = null;
    while (matcher.find()) {
      last = matcher.group();
    }
    return last == null ? fallback : Double.parseDouble(last.replace(',', '.'));
  }

  /** The schema's type in lower case; inferred from its members when it has none. */
  private static String typeOf(JsonObject schema) {
    JsonElement type = schema.get("type");
    if (type != null && type.isJsonArray()) {
      for (JsonElement option : type.getAsJsonArray()) {
        if (!option.getAsString().equalsIgnoreCase("null")) {
          return option.getAsString().toLowerCase(Locale.ROOT);
        }
      }
      return "null";
    }
    if (type != null && type.isJsonPrimitive()) {
      return type.getAsString().toLowerCase(Locale.ROOT);
    }
    if (schema.has("properties")) {
      return "object";
    }
    return schema.has("items") ? "array" : "string";
  }

  private static boolean isNullable(JsonObject schema) {
    if (schema.has("nullable") && schema.get("nullable").getAsBoolean()) {
      return true;
    }
    JsonElement type = schema.get("type");
    if (type != null && type.isJsonArray()) {
      for (JsonElement option : type.getAsJsonArray()) {
        if (option.getAsString().equalsIgnoreCase("null")) {
          return true;
        }
      }
    }
    return false;
  }

  private JsonObject firstNonNull(JsonArray alternatives) {
    for (JsonElement alternative : alternatives) {
      JsonObject schema = resolve(alternative.getAsJsonObject());
      if (!typeOf(schema).equals("null")) {
        return schema;
      }
    }
    return null;
  }

  /** Follows a local {@code $ref} such as {@code #/$defs/Dish}. */
  private JsonObject resolve(JsonObject schema) {
    int hops = 0;
    while (schema.has("$ref") && hops++ < MAX_DEPTH) {
      String ref = schema.get("$ref").getAsString();
      JsonElement target = root;
      for (String token : ref.replaceFirst("^#/?", "").split("/")) {
        if (token.isEmpty()) {
          continue;
        }
        String member = token.replace("~1", "/").replace("~0", "~");
        target = target.isJsonObject() ? target.getAsJsonObject().get(member) : null;
        if (target == null) {
          return new JsonObject();
        }
      }
      schema = target.getAsJsonObject();
    }
    return schema;
  }

  private static String singular(String name) {
    return name.endsWith("s") && name.length() > 1 ? name.substring(0, name.length() - 1) : name;
  }

  private static String languageOf(String text) {
    boolean han = false;
    for (int codePoint : text.codePoints().toArray()) {
      Character.UnicodeScript script = Character.UnicodeScript.of(codePoint);
      if (script == Character.UnicodeScript.HIRAGANA
          || script == Character.UnicodeScript.KATAKANA) {
        return "ja";
      }
      if (script == Character.UnicodeScript.HANGUL) {
        return "ko";
      }
      han |= script == Character.UnicodeScript.HAN;
    }
    return han ? "zh" : "en";
  }

  private static String currencyOf(String text) {
    if (text.contains("¥") || text.contains("円")) {
      return "JPY";
    }
    if (text.contains("€")) {
      return "EUR";
    }
    return text.contains("£") ? "GBP" : "USD";
  }
}
