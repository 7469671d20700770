package dev.mise.scan.menu;

import dev.mise.common.http.Problem.FieldError;
import dev.mise.common.models.ModelRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** The vision request: instructions, the photo, the response schema, and the repair request. */
public final class MenuPrompt {

  private static final int MAX_ECHOED_ANSWER = 20_000;

  static final String SYSTEM =
      """
      You read restaurant menus from photos for travellers who cannot read the menu's language.
      List every dish in reading order. For each dish:
      - id: "item-1", "item-2", ... in reading order, each used once.
      - originalName: the name exactly as printed; translatedName: the name in the target language.
      - description: one short sentence in the target language saying what the dish is.
      - price: the price as a plain number in the menu's currency, without a symbol; null if none.
      - section: the menu section heading, translated; null if there is none.
      - tags: only tags from the schema's list that you are confident about.
      - allergens: common allergens the dish likely contains, in English, lower case.
      - recommended: choose the three dishes most worth trying for a visitor (signature or regional
        dishes first) and rank them 1, 2, 3; every other dish is null. Every recommended dish must
        fit all of the traveller's dietary filters; if fewer than three fit, recommend fewer.
      - imagePrompt: for recommended dishes only, one sentence describing how the dish looks on
        the plate, for a food photographer; null for the others.
      sourceLanguage is the BCP-47 code of the menu's language, currency its ISO 4217 code (null if
      no prices are shown). If the photo shows no menu, answer with an empty items list.
      """;

  private MenuPrompt() {}

  /** The first request for a photo. */
  public static ModelRequest request(
      String model,
      byte[] image,
      String mimeType,
      String targetLanguage,
      Set<Dietary> dietary,
      Duration timeout) {
    return new ModelRequest(
        model,
        SYSTEM,
        List.of(
            new ModelRequest.Part.Inline(mimeType, image),
            new ModelRequest.Part.Text(instructions(targetLanguage, dietary))),
        SCHEMA,
        false,
        false,
        timeout);
  }

  /** The one repair request: the same photo, the rejected answer and what was wrong with it. */
  public static ModelRequest repair(
      ModelRequest first, String rejectedAnswer, List<FieldError> problems) {
    List<ModelRequest.Part> parts = new ArrayList<>(first.parts());
    String answer =
        rejectedAnswer.length() > MAX_ECHOED_ANSWER
            ? rejectedAnswer.substring(0, MAX_ECHOED_ANSWER) + " ..."
            : rejectedAnswer;
    String list =
        problems.stream()
            .map(
                p ->
                    "- "
                        + (p.pointer().isEmpty() ? "(whole answer)" : p.pointer())
                        + ": "
                        + p.detail())
            .collect(Collectors.joining("\n"));
    parts.add(
        new ModelRequest.Part.Text(
            "Your previous answer was:\n"
                + answer
                + "\n\nIt breaks these rules:\n"
                + list
                + "\n\nAnswer again with the whole corrected JSON."));
    return new ModelRequest(
        first.model(),
        first.systemInstruction(),
        parts,
        first.responseSchema(),
        false,
        false,
        first.timeout());
  }

  static String instructions(String targetLanguage, Set<Dietary> dietary) {
    return "Target language: "
        + targetLanguage
        + ". Dietary filters: "
        + (dietary.isEmpty()
            ? "none"
            : dietary.stream().map(Dietary::wire).sorted().collect(Collectors.joining(", ")))
        + ".";
  }

  /**
   * The response schema (JSON Schema), so the model answers in the shape {@link MenuAnswer} reads.
   */
  public static final String SCHEMA =
      """
      {
        "type": "object",
        "properties": {
          "sourceLanguage": {"type": "string", "description": "BCP-47 code of the menu's language"},
          "currency": {"type": ["string", "null"], "description": "ISO 4217 code, null if no prices"},
          "items": {
            "type": "array",
            "items": {
              "type": "object",
              "properties": {
                "id": {"type": "string", "description": "item-1, item-2, ... in reading order"},
                "originalName": {"type": "string"},
                "translatedName": {"type": "string"},
                "description": {"type": "string"},
                "price": {"type": ["number", "null"]},
                "section": {"type": ["string", "null"]},
                "tags": {"type": "array", "items": {"type": "string", "enum": %s}},
                "allergens": {"type": "array", "items": {"type": "string"}},
                "recommended": {"type": ["integer", "null"], "enum": [1, 2, 3]},
                "imagePrompt": {"type": ["string", "null"]}
              },
              "required": ["id", "originalName", "translatedName", "description", "price",
                "section", "tags", "allergens", "recommended", "imagePrompt"],
              "propertyOrdering": ["id", "originalName", "translatedName", "description", "price",
                "section", "tags", "allergens", "recommended", "imagePrompt"]
            }
          }
        },
        "required": ["sourceLanguage", "currency", "items"],
        "propertyOrdering": ["sourceLanguage", "currency", "items"]
      }
      """
          .formatted(
              Arrays.stream(DishTag.values())
                  .map(t -> "\"" + t.wire() + "\"")
                  .collect(Collectors.joining(", ", "[", "]")));
}
