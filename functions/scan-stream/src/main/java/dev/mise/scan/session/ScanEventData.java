package dev.mise.scan.session;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import dev.mise.scan.menu.DishTag;
import dev.mise.scan.menu.Menu;
import dev.mise.scan.menu.MenuItem;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The data of each scan event, as documented in docs/api.md: {@code status}, {@code menu_data},
 * {@code image_update}, {@code done}. The menu is read back from a stored {@code menu_data} event
 * when a later scan reuses it (our own output, so no model-output checks apply).
 */
public final class ScanEventData {

  public static final String STATUS = "status";
  public static final String MENU_DATA = "menu_data";
  public static final String IMAGE_UPDATE = "image_update";
  public static final String DONE = "done";
  public static final String ERROR = "error";

  private ScanEventData() {}

  public static JsonObject status(String sessionId, String stage) {
    JsonObject data = new JsonObject();
    data.addProperty("sessionId", sessionId);
    data.addProperty("stage", stage);
    return data;
  }

  public static JsonObject menuData(String sessionId, Menu menu, long vlmMillis) {
    JsonObject data = new JsonObject();
    data.addProperty("sessionId", sessionId);
    data.addProperty("sourceLanguage", menu.sourceLanguage());
    data.add("currency", text(menu.currency()));
    JsonArray items = new JsonArray();
    for (MenuItem item : menu.items()) {
      JsonObject json = new JsonObject();
      json.addProperty("id", item.id());
      json.addProperty("originalName", item.originalName());
      json.addProperty("translatedName", item.translatedName());
      json.addProperty("description", item.description());
      json.add("price", item.price() == null ? JsonNull.INSTANCE : new JsonPrimitive(item.price()));
      json.add("section", text(item.section()));
      JsonArray tags = new JsonArray();
      for (DishTag tag : DishTag.values()) {
        if (item.tags().contains(tag)) {
          tags.add(tag.wire());
        }
      }
      json.add("tags", tags);
      JsonArray allergens = new JsonArray();
      item.allergens().forEach(allergens::add);
      json.add("allergens", allergens);
      json.add(
          "recommended",
          item.recommended() == null ? JsonNull.INSTANCE : new JsonPrimitive(item.recommended()));
      if (item.imagePrompt() != null) {
        json.addProperty("imagePrompt", item.imagePrompt());
      }
      json.addProperty("imageStatus", item.isRecommended() ? "pending" : "none");
      json.add("imageUrl", JsonNull.INSTANCE);
      items.add(json);
    }
    data.add("items", items);
    JsonObject timings = new JsonObject();
    timings.addProperty("vlm_ms", vlmMillis);
    data.add("timings", timings);
    return data;
  }

  public static JsonObject imageUpdate(ImageState image) {
    JsonObject data = new JsonObject();
    data.addProperty("itemId", image.itemId());
    data.addProperty("imageStatus", image.status());
    if (image.isReady()) {
      data.addProperty("imageUrl", image.url());
      data.addProperty("image_gen_ms", image.genMillis());
    } else {
      JsonObject error = new JsonObject();
      error.addProperty("code", image.errorCode());
      error.addProperty("message", image.message());
      data.add("error", error);
    }
    return data;
  }

  public static JsonObject done(
      String sessionId, boolean cached, long vlmMillis, long imageGenMillis, long totalMillis) {
    JsonObject data = new JsonObject();
    data.addProperty("sessionId", sessionId);
    data.addProperty("cached", cached);
    JsonObject timings = new JsonObject();
    timings.addProperty("vlm_ms", vlmMillis);
    timings.addProperty("image_gen_ms", imageGenMillis);
    timings.addProperty("total_ms", totalMillis);
    data.add("timings", timings);
    return data;
  }

  /** The menu in a {@code menu_data} event's data. */
  public static Menu menuFrom(JsonObject data) {
    List<MenuItem> items = new ArrayList<>();
    for (JsonElement element : data.getAsJsonArray("items")) {
      JsonObject o = element.getAsJsonObject();
      Set<DishTag> tags = EnumSet.noneOf(DishTag.class);
      for (JsonElement tag : o.getAsJsonArray("tags")) {
        DishTag.fromWire(tag.getAsString()).ifPresent(tags::add);
      }
      List<String> allergens = new ArrayList<>();
      o.getAsJsonArray("allergens").forEach(a -> allergens.add(a.getAsString()));
      items.add(
          new MenuItem(
              o.get("id").getAsString(),
              o.get("originalName").getAsString(),
              o.get("translatedName").getAsString(),
              o.get("description").getAsString(),
              o.get("price").isJsonNull() ? null : o.get("price").getAsDouble(),
              o.get("section").isJsonNull() ? null : o.get("section").getAsString(),
              tags,
              allergens,
              o.get("recommended").isJsonNull() ? null : o.get("recommended").getAsInt(),
              o.has("imagePrompt") ? o.get("imagePrompt").getAsString() : null));
    }
    return new Menu(
        data.get("sourceLanguage").getAsString(),
        data.get("currency").isJsonNull() ? null : data.get("currency").getAsString(),
        items);
  }

  private static JsonElement text(String value) {
    return value == null ? JsonNull.INSTANCE : new JsonPrimitive(value);
  }
}
