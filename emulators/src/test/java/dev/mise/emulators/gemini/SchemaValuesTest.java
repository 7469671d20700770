package dev.mise.emulators.gemini;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SchemaValuesTest {

  private static final String MENU_TEXT =
      """
      Tomato soup 6.50
      Grilled fish with lemon 14.00
      Green salad 8.00
      Chocolate cake 5.25
      """;

  /** The menu schema scan-stream sends, in JSON Schema form. */
  private static final String MENU_SCHEMA =
      """
      {"type": "object",
       "properties": {
         "sourceLanguage": {"type": "string"},
         "currency": {"type": ["string", "null"]},
         "items": {"type": "array", "items": {"$ref": "#/$defs/item"}}},
       "required": ["sourceLanguage", "items"],
       "$defs": {"item": {
         "type": "object",
         "properties": {
           "id": {"type": "string"},
           "originalName": {"type": "string", "minLength": 1},
           "price": {"type": ["number", "null"]},
           "tags": {"type": "array", "items":
             {"type": "string", "enum": ["vegetarian", "vegan", "spicy"]}},
           "recommended": {"type": ["integer", "null"], "enum": [1, 2, 3, null]}},
         "required": ["id", "originalName", "price", "tags", "recommended"]}}}
      """;

  @Test
  void menuSchemaGetsOneItemPerLineWithUniqueIdsAndRankedRecommendations() {
    JsonObject schema = parse(MENU_SCHEMA);
    JsonObject menu = new SchemaValues(schema, MENU_TEXT).value().getAsJsonObject();

    assertConforms(schema, schema, menu, "");
    JsonArray items = menu.getAsJsonArray("items");
    assertEquals(4, items.size());
    JsonObject first = items.get(0).getAsJsonObject();
    assertEquals("Tomato soup", first.get("originalName").getAsString());
    assertEquals(6.5, first.get("price").getAsDouble());
    Set<String> ids = new HashSet<>();
    List<JsonElement> ranks = new java.util.ArrayList<>();
    for (JsonElement item : items) {
      ids.add(item.getAsJsonObject().get("id").getAsString());
      ranks.add(item.getAsJsonObject().get("recommended"));
    }
    assertEquals(4, ids.size());
    assertEquals("[1, 2, 3, null]", ranks.toString());
    assertEquals("en", menu.get("sourceLanguage").getAsString());
  }

  @Test
  void openApiFormWithMinItemsNullableAndOrdering() {
    JsonObject schema =
        parse(
            """
            {"type": "OBJECT",
             "properties": {
               "rawText": {"type": "STRING"},
               "servings": {"type": "INTEGER", "minimum": 2, "maximum": 12},
               "notes": {"type": "STRING", "nullable": true},
               "steps": {"type": "ARRAY", "minItems": "6", "maxItems": "8",
                         "items": {"type": "STRING"}},
               "ok": {"type": "BOOLEAN"}},
             "required": ["rawText", "servings", "steps"],
             "propertyOrdering": ["steps", "rawText"]}
            """);
    JsonObject value = new SchemaValues(schema, MENU_TEXT).value().getAsJsonObject();

    assertConforms(schema, schema, value, "");
    assertEquals(MENU_TEXT.strip(), value.get("rawText").getAsString());
    assertEquals(2, value.get("servings").getAsInt());
    assertEquals(6, value.getAsJsonArray("steps").size());
    assertEquals("steps", value.keySet().iterator().next());
  }

  @Test
  void anyOfConstAndFormatsAreHonoured() {
    JsonObject schema =
        parse(
            """
            {"type": "object",
             "properties": {
               "kind": {"const": "recipe"},
               "when": {"type": "string", "format": "date-time"},
               "size": {"anyOf": [{"type": "null"}, {"type": "integer", "minimum": 3}]},
               "code": {"type": "string", "maxLength": 4}},
             "required": ["kind", "when", "size", "code"]}
            """);
    JsonObject value = new SchemaValues(schema, "").value().getAsJsonObject();

    assertEquals("recipe", value.get("kind").getAsString());
    assertNotNull(Instant.parse(value.get("when").getAsString()));
    assertEquals(3, value.get("size").getAsInt());
    assertTrue(value.get("code").getAsString().length() <= 4);
  }

  @Test
  void sameInputSameValue() {
    JsonObject schema = parse(MENU_SCHEMA);
    assertEquals(
        new SchemaValues(schema, MENU_TEXT).value(), new SchemaValues(schema, MENU_TEXT).value());
  }

  @Test
  void japaneseTextIsLabelledJapaneseAndPricedInYen() {
    JsonObject schema =
        parse(
            """
            {"type": "object", "properties": {
              "language": {"type": "string"}, "currency": {"type": "string"}}}
            """);
    JsonObject value = new SchemaValues(schema, "味噌汁 ¥500\nおにぎり ¥300").value().getAsJsonObject();

    assertEquals("ja", value.get("language").getAsString());
    assertEquals("JPY", value.get("currency").getAsString());
  }

  /** A small JSON Schema checker for the keywords the generator claims to honour. */
  private static void assertConforms(
      JsonObject root, JsonObject schema, JsonElement value, String pointer) {
    if (schema.has("$ref")) {
      String name = schema.get("$ref").getAsString().substring("#/$defs/".length());
      schema = root.getAsJsonObject("$defs").getAsJsonObject(name);
    }
    if (schema.has("enum")) {
      assertTrue(schema.getAsJsonArray("enum").contains(value), pointer + " not in enum");
      return;
    }
    if (value.isJsonNull()) {
      assertTrue(allowsNull(schema), pointer + " is null");
      return;
    }
    String type = type(schema);
    switch (type) {
      case "object" -> {
        JsonObject object = value.getAsJsonObject();
        for (JsonElement required : GeminiJson.arrayOrEmpty(schema, "required")) {
          assertTrue(object.has(required.getAsString()), pointer + " misses " + required);
        }
        JsonObject properties = schema.getAsJsonObject("properties");
        for (String key : object.keySet()) {
          assertTrue(properties.has(key), pointer + " has unknown " + key);
          assertConforms(
              root, properties.getAsJsonObject(key), object.get(key), pointer + "/" + key);
        }
      }
      case "array" -> {
        JsonArray array = value.getAsJsonArray();
        if (schema.has("minItems")) {
          assertTrue(array.size() >= schema.get("minItems").getAsInt(), pointer + " too short");
        }
        if (schema.has("maxItems")) {
          assertTrue(array.size() <= schema.get("maxItems").getAsInt(), pointer + " too long");
        }
        for (int i = 0; i < array.size(); i++) {
          assertConforms(root, schema.getAsJsonObject("items"), array.get(i), pointer + "/" + i);
        }
      }
      case "string" -> {
        assertTrue(value.getAsJsonPrimitive().isString(), pointer + " not a string");
        if (schema.has("minLength")) {
          assertTrue(value.getAsString().length() >= schema.get("minLength").getAsInt());
        }
      }
      case "integer" -> {
        double number = value.getAsDouble();
        assertEquals(Math.rint(number), number, pointer + " not whole");
        assertRange(schema, number, pointer);
      }
      case "number" -> assertRange(schema, value.getAsDouble(), pointer);
      case "boolean" -> assertTrue(value.getAsJsonPrimitive().isBoolean(), pointer);
      default -> fail("unexpected type " + type + " at " + pointer);
    }
  }

  private static void assertRange(JsonObject schema, double number, String pointer) {
    if (schema.has("minimum")) {
      assertTrue(number >= schema.get("minimum").getAsDouble(), pointer + " below minimum");
    }
    if (schema.has("maximum")) {
      assertTrue(number <= schema.get("maximum").getAsDouble(), pointer + " above maximum");
    }
  }

  private static String type(JsonObject schema) {
    JsonElement type = schema.get("type");
    if (type.isJsonArray()) {
      return type.getAsJsonArray().get(0).getAsString().toLowerCase(Locale.ROOT);
    }
    return type.getAsString().toLowerCase(Locale.ROOT);
  }

  private static boolean allowsNull(JsonObject schema) {
    JsonElement type = schema.get("type");
    return (schema.has("nullable") && schema.get("nullable").getAsBoolean())
        || (type != null && type.toString().contains("null"));
  }

  private static JsonObject parse(String json) {
    return JsonParser.parseString(json).getAsJsonObject();
  }
}
