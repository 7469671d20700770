package dev.mise.ocr;

import dev.mise.common.http.OptionalField;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A structured recipe, as the cleanup step asks Gemini for it. Model output is untrusted input:
 * {@code StrictJson} binds it (unknown fields, wrong types and missing fields are errors with JSON
 * pointers) and these constructors check the rest, so a {@code Recipe} that exists is valid.
 *
 * @param title the dish
 * @param servings how many it serves, if the page says
 * @param ingredients in the page's order
 * @param steps the method, in order
 * @param notes tips, variations, storage
 * @param language the page's language as a BCP 47 tag ({@code en}, {@code ja}, {@code pt-BR})
 */
public record Recipe(
    String title,
    @OptionalField Integer servings,
    List<Ingredient> ingredients,
    List<String> steps,
    @OptionalField List<String> notes,
    String language) {

  private static final Pattern LANGUAGE = Pattern.compile("[a-z]{2,3}(-[A-Za-z0-9]{2,8})*");

  public Recipe {
    title = text(title, "title", 200);
    if (servings != null && (servings < 1 || servings > 1000)) {
      throw new IllegalArgumentException("servings must be between 1 and 1000");
    }
    ingredients = List.copyOf(ingredients);
    if (ingredients.size() > 300) {
      throw new IllegalArgumentException("more than 300 ingredients");
    }
    steps = steps.stream().map(step -> text(step, "every step", 4000)).toList();
    if (steps.size() > 200) {
      throw new IllegalArgumentException("more than 200 steps");
    }
    notes =
        notes == null ? List.of() : notes.stream().map(n -> text(n, "every note", 4000)).toList();
    if (!LANGUAGE.matcher(language).matches()) {
      throw new IllegalArgumentException("language must be a BCP 47 tag such as en or pt-BR");
    }
  }

  /** One line of the ingredient list: {@code 200 g flour (sifted)}. */
  public record Ingredient(
      @OptionalField Double quantity,
      @OptionalField String unit,
      String item,
      @OptionalField String note) {
    public Ingredient {
      if (quantity != null && (quantity.isNaN() || quantity < 0 || quantity > 1_000_000)) {
        throw new IllegalArgumentException("quantity must be a positive number");
      }
      unit = unit == null || unit.isBlank() ? null : text(unit, "unit", 40);
      item = text(item, "item", 300);
      note = note == null || note.isBlank() ? null : text(note, "note", 500);
    }
  }

  static String text(String value, String name, int max) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(name + " must not be blank");
    }
    String trimmed = value.strip();
    if (trimmed.length() > max) {
      throw new IllegalArgumentException(name + " is longer than " + max + " characters");
    }
    return trimmed;
  }

  /**
   * The JSON Schema Gemini's structured output is held to; its limits are the constructors' own, so
   * a model that keeps to the schema passes validation.
   */
  static final String SCHEMA =
      """
      {
        "type": "object",
        "properties": {
          "title": {"type": "string", "maxLength": 200, "description": "The dish's name as printed."},
          "servings": {"type": ["integer", "null"], "minimum": 1, "maximum": 1000, "description": "Servings or portions; null if not stated."},
          "ingredients": {
            "type": "array",
            "maxItems": 300,
            "description": "Every ingredient line, in the page's order.",
            "items": {
              "type": "object",
              "properties": {
                "quantity": {"type": ["number", "null"], "minimum": 0, "description": "Amount as a decimal number (1 1/2 -> 1.5); null if none."},
                "unit": {"type": ["string", "null"], "maxLength": 40, "description": "Unit as printed (g, cup, tbsp); null if none."},
                "item": {"type": "string", "maxLength": 300, "description": "The ingredient."},
                "note": {"type": ["string", "null"], "maxLength": 500, "description": "Preparation or remark (chopped, to taste); null if none."}
              },
              "required": ["quantity", "unit", "item", "note"]
            }
          },
          "steps": {"type": "array", "maxItems": 200, "items": {"type": "string", "maxLength": 4000}, "description": "The method, one entry per step, in order."},
          "notes": {"type": "array", "maxItems": 50, "items": {"type": "string", "maxLength": 4000}, "description": "Tips, variations, storage; empty if none."},
          "language": {"type": "string", "maxLength": 35, "description": "BCP 47 language tag of the page, e.g. en."}
        },
        "required": ["title", "servings", "ingredients", "steps", "notes", "language"]
      }
      """;
}
