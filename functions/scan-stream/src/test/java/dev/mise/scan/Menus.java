package dev.mise.scan;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.function.Consumer;

/** Model answers for tests: menu JSON as the vision model returns it, and generated pictures. */
public final class Menus {

  private Menus() {}

  /** A valid answer: five dishes, the first three recommended (ranks 1, 2, 3), all vegetarian. */
  public static JsonObject answer() {
    JsonObject menu = new JsonObject();
    menu.addProperty("sourceLanguage", "it");
    menu.addProperty("currency", "EUR");
    JsonArray items = new JsonArray();
    String[][] dishes = {
      {"Risotto ai funghi", "Mushroom risotto", "16.0"},
      {"Melanzane alla parmigiana", "Aubergine parmigiana", "14.5"},
      {"Pizza margherita", "Margherita pizza", "9"},
      {"Insalata caprese", "Caprese salad", "8.5"},
      {"Tiramisu", "Tiramisu", "7"},
    };
    for (int i = 0; i < dishes.length; i++) {
      JsonObject item = new JsonObject();
      item.addProperty("id", "item-" + (i + 1));
      item.addProperty("originalName", dishes[i][0]);
      item.addProperty("translatedName", dishes[i][1]);
      item.addProperty("description", "A classic " + dishes[i][1].toLowerCase() + ".");
      item.addProperty("price", Double.parseDouble(dishes[i][2]));
      item.addProperty("section", i < 3 ? "Mains" : "Extras");
      JsonArray tags = new JsonArray();
      tags.add("vegetarian");
      item.add("tags", tags);
      JsonArray allergens = new JsonArray();
      allergens.add("dairy");
      item.add("allergens", allergens);
      if (i < 3) {
        item.addProperty("recommended", i + 1);
        item.addProperty("imagePrompt", "A plate of " + dishes[i][1].toLowerCase() + ".");
      } else {
        item.add("recommended", null);
        item.add("imagePrompt", null);
      }
      items.add(item);
    }
    menu.add("items", items);
    return menu;
  }

  /** The valid answer, changed. */
  public static String answer(Consumer<JsonObject> change) {
    JsonObject menu = answer();
    change.accept(menu);
    return menu.toString();
  }

  public static JsonObject item(JsonObject menu, int index) {
    return menu.getAsJsonArray("items").get(index).getAsJsonObject();
  }

  /** A small PNG as the image model returns it. */
  public static byte[] picture(Color color) {
    BufferedImage image = new BufferedImage(64, 48, BufferedImage.TYPE_INT_ARGB);
    Graphics2D g = image.createGraphics();
    g.setColor(color);
    g.fillRect(0, 0, 64, 48);
    g.dispose();
    return MenuPictures.png(image);
  }
}
