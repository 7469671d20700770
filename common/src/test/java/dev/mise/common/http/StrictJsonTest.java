package dev.mise.common.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.annotations.SerializedName;
import dev.mise.common.http.Problem.FieldError;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StrictJsonTest {

  enum Unit {
    @SerializedName("g")
    GRAM,
    @SerializedName("ml")
    MILLILITRE
  }

  record Ingredient(String item, double quantity, Unit unit, @OptionalField String note) {}

  record Recipe(
      String title,
      int servings,
      List<Ingredient> ingredients,
      @OptionalField Map<String, String> tags,
      @OptionalField Instant savedAt) {
    Recipe {
      if (title != null && title.isBlank()) {
        throw new IllegalArgumentException("title must not be blank");
      }
    }
  }

  static final class Legacy {
    String name;
    @OptionalField long count;

    @SerializedName("is_on")
    boolean on;
  }

  private static List<FieldError> errorsOf(String json, Class<?> type) {
    return assertThrows(JsonBindingException.class, () -> StrictJson.parse(json, type)).errors();
  }

  @Test
  void bindsRecordsListsMapsEnumsAndInstants() throws Exception {
    Recipe recipe =
        StrictJson.parse(
            """
            {"title":"Soup","servings":4,
             "ingredients":[{"item":"water","quantity":1.5,"unit":"ml"},
                            {"item":"salt","quantity":2,"unit":"g","note":"to taste"}],
             "tags":{"course":"starter"},"savedAt":"2025-01-01T00:00:00Z"}
            """,
            Recipe.class);
    assertEquals("Soup", recipe.title());
    assertEquals(Unit.MILLILITRE, recipe.ingredients().get(0).unit());
    assertNull(recipe.ingredients().get(0).note());
    assertEquals("to taste", recipe.ingredients().get(1).note());
    assertEquals("starter", recipe.tags().get("course"));
    assertEquals(Instant.parse("2025-01-01T00:00:00Z"), recipe.savedAt());
  }

  @Test
  void reportsEveryProblemWithAPointer() {
    List<FieldError> errors =
        errorsOf(
            """
            {"title":7,"servings":2.5,"extra":true,
             "ingredients":[{"item":"a","quantity":"1","unit":"cup","colour":"red"}]}
            """,
            Recipe.class);
    assertEquals(
        List.of(
            new FieldError("/title", "must be a string"),
            new FieldError("/servings", "must be a whole number in range"),
            new FieldError("/ingredients/0/quantity", "must be a number"),
            new FieldError("/ingredients/0/unit", "must be one of g, ml"),
            new FieldError("/ingredients/0/colour", "is not a known field"),
            new FieldError("/extra", "is not a known field")),
        errors);
  }

  @Test
  void requiredFieldsMustBePresentAndNotNull() {
    assertEquals(
        List.of(
            new FieldError("/title", "must not be null"),
            new FieldError("/servings", "is required"),
            new FieldError("/ingredients", "is required")),
        errorsOf("{\"title\":null}", Recipe.class));
  }

  @Test
  void recordConstructorComplaintsLandAtTheRecordsPointer() {
    assertEquals(
        List.of(new FieldError("", "title must not be blank")),
        errorsOf("{\"title\":\" \",\"servings\":1,\"ingredients\":[]}", Recipe.class));
  }

  @Test
  void malformedDuplicateAndTrailingInputAreRefused() {
    assertTrue(errorsOf("{\"title\":", Recipe.class).get(0).detail().startsWith("malformed JSON"));
    assertEquals(
        "malformed JSON: duplicate key \"a\"",
        errorsOf("{\"a\":1,\"a\":2}", JsonObject.class).get(0).detail());
    assertTrue(
        errorsOf("{} {}", JsonObject.class).get(0).detail().contains("after the JSON value"));
    assertTrue(errorsOf("{'a':1}", JsonObject.class).get(0).detail().startsWith("malformed JSON"));
    assertTrue(errorsOf("[1,]", JsonObject.class).get(0).detail().startsWith("malformed JSON"));
  }

  @Test
  void numbersOutOfRangeAreWrongNotTruncated() {
    record Counts(int small, long big) {}
    assertEquals(
        List.of(
            new FieldError("/small", "must be a whole number in range"),
            new FieldError("/big", "must be a whole number in range")),
        errorsOf("{\"small\":3000000000,\"big\":1e400}", Counts.class));
  }

  @Test
  void classesWithFieldsAndSerializedNames() throws Exception {
    Legacy legacy = StrictJson.parse("{\"name\":\"x\",\"is_on\":true}", Legacy.class);
    assertEquals("x", legacy.name);
    assertTrue(legacy.on);
    assertEquals(
        List.of(
                new FieldError("/on", "is not a known field"),
                new FieldError("/is_on", "is required"))
            .size(),
        errorsOf("{\"name\":\"x\",\"on\":true}", Legacy.class).size());
  }

  @Test
  void pointerTokensAreEscaped() {
    record Named(Map<String, Integer> counts) {}
    assertEquals(
        List.of(new FieldError("/counts/a~1b~0c", "must be a number")),
        errorsOf("{\"counts\":{\"a/b~c\":\"x\"}}", Named.class));
    assertEquals("/items/1/name", StrictJson.pointerOf("$.items[1].name"));
  }

  @Test
  void writesInstantsAsIsoStrings() {
    record Stamp(Instant at) {}
    assertEquals(
        "{\"at\":\"2025-01-01T00:00:00Z\"}",
        StrictJson.write(new Stamp(Instant.parse("2025-01-01T00:00:00Z"))));
  }
}
