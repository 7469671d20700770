package dev.mise.scan.menu;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import dev.mise.common.http.Problem.FieldError;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads the vision model's answer. The answer is untrusted input: it must be strict JSON of the
 * response schema's shape, item ids must be unique and usable in object keys, at most three dishes
 * may be recommended (ranks 1, 2, 3, each once) and each must fit the traveller's dietary filters,
 * prices must be numbers or null. Every violation is reported with a JSON pointer, which is also
 * what the repair request tells the model. Members the schema does not ask for are ignored (none is
 * ever streamed), and tags outside {@link DishTag} are dropped.
 */
public final class MenuAnswer {

  public static final int MAX_ITEMS = 300;
  private static final Pattern ITEM_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
  private static final Pattern CURRENCY = Pattern.compile("[A-Z]{3}");
  private static final int MAX_TEXT = 2000;

  /** The outcome: a menu, or what is wrong with the answer. */
  public sealed interface Result {
    record Valid(Menu menu) implements Result {}

    record Invalid(List<FieldError> errors) implements Result {}
  }

  private final Set<Dietary> dietary;
  private final List<FieldError> errors = new ArrayList<>();

  private MenuAnswer(Set<Dietary> dietary) {
    this.dietary = dietary;
  }

  public static Result read(String text, Set<Dietary> dietary) {
    return new MenuAnswer(dietary).parse(text);
  }

  private Result parse(String text) {
    JsonElement root;
    try {
      JsonReader reader = new JsonReader(new StringReader(text));
      reader.setStrictness(Strictness.STRICT);
      root = JsonParser.parseReader(reader);
    } catch (JsonParseException | IllegalStateException e) {
      return invalid("", "is not valid JSON: " + e.getMessage());
    }
    if (!root.isJsonObject()) {
      return invalid("", "must be a JSON object");
    }
    JsonObject menu = root.getAsJsonObject();
    String sourceLanguage = text(menu, "sourceLanguage", "/sourceLanguage", true, 35);
    String currency = text(menu, "currency", "/currency", false, 3);
    if (currency != null && !CURRENCY.matcher(currency).matches()) {
      error("/currency", "must be an ISO 4217 code such as EUR, or null");
    }
    JsonElement itemsJson = menu.get("items");
    List<MenuItem> items = new ArrayList<>();
    if (itemsJson == null || !itemsJson.isJsonArray()) {
      error("/items", "must be an array");
    } else if (itemsJson.getAsJsonArray().size() > MAX_ITEMS) {
      error("/items", "must hold at most " + MAX_ITEMS + " dishes");
    } else {
      JsonArray array = itemsJson.getAsJsonArray();
      for (int i = 0; i < array.size(); i++) {
        MenuItem item = item(array.get(i), "/items/" + i);
        if (item != null) {
          items.add(item);
        }
      }
      checkAcrossItems(items);
    }
    if (!errors.isEmpty()) {
      return new Result.Invalid(List.copyOf(errors));
    }
    return new Result.Valid(new Menu(sourceLanguage, currency, items));
  }

  private MenuItem item(JsonElement json, String at) {
    if (!json.isJsonObject()) {
      error(at, "must be an object");
      return null;
    }
    JsonObject o = json.getAsJsonObject();
    int before = errors.size();
    String id = text(o, "id", at + "/id", true, 64);
    if (id != null && !ITEM_ID.matcher(id).matches()) {
      error(at + "/id", "must be 1 to 64 letters, digits, '-' or '_'");
    }
    String originalName = text(o, "originalName", at + "/originalName", true, 300);
    String translatedName = text(o, "translatedName", at + "/translatedName", true, 300);
    String description = text(o, "description", at + "/description", false, MAX_TEXT);
    Double price = price(o.get("price"), at + "/price");
    String section = text(o, "section", at + "/section", false, 300);
    Set<DishTag> tags = tags(o.get("tags"), at + "/tags");
    List<String> allergens = strings(o.get("allergens"), at + "/allergens");
    Integer recommended = rank(o.get("recommended"), at + "/recommended");
    String imagePrompt = text(o, "imagePrompt", at + "/imagePrompt", false, MAX_TEXT);
    if (errors.size() > before) {
      return null;
    }
    return new MenuItem(
        id,
        originalName,
        translatedName,
        description == null ? "" : description,
        price,
        section,
        tags,
        allergens,
        recommended,
        imagePrompt);
  }

  private void checkAcrossItems(List<MenuItem> items) {
    Set<String> ids = new HashSet<>();
    Set<Integer> ranks = new HashSet<>();
    int recommended = 0;
    for (int i = 0; i < items.size(); i++) {
      MenuItem item = items.get(i);
      if (!ids.add(item.id())) {
        error("/items/" + i + "/id", "duplicates the id of an earlier dish: " + item.id());
      }
      if (item.isRecommended()) {
        recommended++;
        if (!ranks.add(item.recommended())) {
          error("/items/" + i + "/recommended", "rank " + item.recommended() + " is given twice");
        }
        for (Dietary diet : dietary) {
          if (!diet.allows(item.tags())) {
            error(
                "/items/" + i + "/recommended",
                "a recommended dish must fit the dietary filter " + diet.wire());
          }
        }
      }
    }
    if (recommended > 3) {
      error("/items", recommended + " dishes are recommended; at most 3 may be");
    }
  }

  private String text(JsonObject o, String name, String at, boolean required, int maxLength) {
    JsonElement value = o.get(name);
    if (value == null || value.isJsonNull()) {
      if (required) {
        error(at, "is required");
      }
      return null;
    }
    if (!value.isJsonPrimitive() || !value.getAsJsonPrimitive().isString()) {
      error(at, "must be a string");
      return null;
    }
    String text = value.getAsString().strip();
    if (required && text.isEmpty()) {
      error(at, "must not be empty");
      return null;
    }
    if (text.length() > maxLength) {
      error(at, "must be at most " + maxLength + " characters");
      return null;
    }
    return text;
  }

  private Double price(JsonElement value, String at) {
    if (value == null || value.isJsonNull()) {
      return null;
    }
    if (!value.isJsonPrimitive() || !value.getAsJsonPrimitive().isNumber()) {
      error(at, "must be a number or null");
      return null;
    }
    double price = value.getAsDouble();
    if (!Double.isFinite(price) || price < 0) {
      error(at, "must be a non-negative number");
      return null;
    }
    return price;
  }

  private Integer rank(JsonElement value, String at) {
    if (value == null || value.isJsonNull()) {
      return null;
    }
    if (value.isJsonPrimitive() && value.getAsJsonPrimitive().isNumber()) {
      double rank = value.getAsDouble();
      if (rank == 1 || rank == 2 || rank == 3) {
        return (int) rank;
      }
    }
    error(at, "must be 1, 2, 3 or null");
    return null;
  }

  private Set<DishTag> tags(JsonElement value, String at) {
    Set<DishTag> tags = EnumSet.noneOf(DishTag.class);
    for (String tag : strings(value, at)) {
      DishTag.fromWire(tag).ifPresent(tags::add);
    }
    return tags;
  }

  private List<String> strings(JsonElement value, String at) {
    List<String> list = new ArrayList<>();
    if (value == null || value.isJsonNull()) {
      return list;
    }
    if (!value.isJsonArray()) {
      error(at, "must be an array of strings");
      return list;
    }
    JsonArray array = value.getAsJsonArray();
    for (int i = 0; i < array.size(); i++) {
      JsonElement each = array.get(i);
      if (!each.isJsonPrimitive() || !each.getAsJsonPrimitive().isString()) {
        error(at + "/" + i, "must be a string");
      } else if (!each.getAsString().isBlank() && list.size() < 30) {
        list.add(each.getAsString().strip());
      }
    }
    return list;
  }

  private void error(String pointer, String detail) {
    if (errors.size() < 50) {
      errors.add(new FieldError(pointer, detail));
    }
  }

  private Result invalid(String pointer, String detail) {
    error(pointer, detail);
    return new Result.Invalid(List.copyOf(errors));
  }
}
