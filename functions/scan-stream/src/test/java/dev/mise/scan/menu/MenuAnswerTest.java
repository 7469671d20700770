package dev.mise.scan.menu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.mise.common.http.Problem.FieldError;
import dev.mise.scan.Menus;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** The vision model's answer is untrusted: each rule, one case. */
class MenuAnswerTest {

  private static MenuAnswer.Result read(Consumer<JsonObject> change, Set<Dietary> dietary) {
    return MenuAnswer.read(Menus.answer(change), dietary);
  }

  private static List<FieldError> errors(Consumer<JsonObject> change) {
    return errors(change, Set.of());
  }

  private static List<FieldError> errors(Consumer<JsonObject> change, Set<Dietary> dietary) {
    return assertInstanceOf(MenuAnswer.Result.Invalid.class, read(change, dietary)).errors();
  }

  private static void assertError(List<FieldError> errors, String pointer, String detailPart) {
    assertTrue(
        errors.stream()
            .anyMatch(e -> e.pointer().equals(pointer) && e.detail().contains(detailPart)),
        "expected " + pointer + " '" + detailPart + "' in " + errors);
  }

  @Test
  void aValidAnswerBecomesAMenu() {
    Menu menu =
        assertInstanceOf(MenuAnswer.Result.Valid.class, read(m -> {}, Set.of(Dietary.VEGETARIAN)))
            .menu();

    assertEquals(5, menu.items().size());
    assertEquals(
        List.of("item-1", "item-2", "item-3"),
        menu.recommended().stream().map(MenuItem::id).toList());
    assertEquals(Set.of(DishTag.VEGETARIAN), menu.items().get(0).tags());
    assertEquals(16.0, menu.items().get(0).price());
  }

  @Test
  void duplicateIds() {
    assertError(
        errors(m -> Menus.item(m, 3).addProperty("id", "item-2")), "/items/3/id", "duplicates");
  }

  @Test
  void idsMustBeSafeInObjectKeys() {
    assertError(
        errors(m -> Menus.item(m, 0).addProperty("id", "../../etc")),
        "/items/0/id",
        "letters, digits");
  }

  @Test
  void moreThanThreeRecommended() {
    List<FieldError> errors =
        errors(
            m -> {
              Menus.item(m, 3).addProperty("recommended", 1);
              Menus.item(m, 4).addProperty("recommended", 2);
            });
    assertError(errors, "/items", "5 dishes are recommended");
    assertError(errors, "/items/3/recommended", "rank 1 is given twice");
  }

  @Test
  void ranksAreOneTwoThree() {
    assertError(
        errors(m -> Menus.item(m, 0).addProperty("recommended", 4)),
        "/items/0/recommended",
        "1, 2, 3 or null");
    assertError(
        errors(m -> Menus.item(m, 0).addProperty("recommended", "1")),
        "/items/0/recommended",
        "1, 2, 3 or null");
  }

  @Test
  void pricesAreNumbersOrNull() {
    assertError(
        errors(m -> Menus.item(m, 1).addProperty("price", "14,50 €")),
        "/items/1/price",
        "number or null");
    assertError(
        errors(m -> Menus.item(m, 1).addProperty("price", -3)), "/items/1/price", "non-negative");
    assertInstanceOf(
        MenuAnswer.Result.Valid.class, read(m -> Menus.item(m, 1).add("price", null), Set.of()));
  }

  @Test
  void requiredTexts() {
    assertError(
        errors(m -> Menus.item(m, 2).remove("translatedName")),
        "/items/2/translatedName",
        "required");
    assertError(
        errors(m -> Menus.item(m, 2).addProperty("originalName", "  ")),
        "/items/2/originalName",
        "empty");
    assertError(errors(m -> m.remove("sourceLanguage")), "/sourceLanguage", "required");
  }

  @Test
  void currencyIsAnIsoCode() {
    assertError(errors(m -> m.addProperty("currency", "€")), "/currency", "ISO 4217");
  }

  @Test
  void recommendationsHonourTheDietaryFilters() {
    JsonArray pork = new JsonArray();
    pork.add("contains_pork");
    assertError(
        errors(m -> Menus.item(m, 1).add("tags", pork), Set.of(Dietary.NO_PORK)),
        "/items/1/recommended",
        "no_pork");
    assertError(errors(m -> {}, Set.of(Dietary.VEGAN)), "/items/0/recommended", "vegan");
  }

  @Test
  void notJsonOrNotAnObject() {
    assertError(
        assertInstanceOf(
                MenuAnswer.Result.Invalid.class, MenuAnswer.read("{\"items\": [", Set.of()))
            .errors(),
        "",
        "not valid JSON");
    assertError(
        assertInstanceOf(MenuAnswer.Result.Invalid.class, MenuAnswer.read("[]", Set.of())).errors(),
        "",
        "object");
  }

  @Test
  void unknownTagsAndMembersAreDroppedNotStreamed() {
    Menu menu =
        assertInstanceOf(
                MenuAnswer.Result.Valid.class,
                read(
                    m -> {
                      Menus.item(m, 0).getAsJsonArray("tags").add("delicious");
                      Menus.item(m, 0).addProperty("chefNotes", "secret");
                    },
                    Set.of()))
            .menu();
    assertEquals(Set.of(DishTag.VEGETARIAN), menu.items().get(0).tags());
  }

  @Test
  void theSchemaIsValidJsonAndListsEveryTag() {
    JsonObject schema = com.google.gson.JsonParser.parseString(MenuPrompt.SCHEMA).getAsJsonObject();
    JsonArray tags =
        schema
            .getAsJsonObject("properties")
            .getAsJsonObject("items")
            .getAsJsonObject("items")
            .getAsJsonObject("properties")
            .getAsJsonObject("tags")
            .getAsJsonObject("items")
            .getAsJsonArray("enum");
    assertEquals(DishTag.values().length, tags.size());
  }
}
