package dev.mise.scan.menu;

import java.util.List;
import java.util.Set;

/**
 * One dish as the scanner streams it. {@code price} is null when the menu shows none (or "market
 * price"); {@code recommended} is the dish's rank among the model's top three, or null.
 */
public record MenuItem(
    String id,
    String originalName,
    String translatedName,
    String description,
    Double price,
    String section,
    Set<DishTag> tags,
    List<String> allergens,
    Integer recommended,
    String imagePrompt) {

  public MenuItem {
    tags = Set.copyOf(tags);
    allergens = List.copyOf(allergens);
  }

  public boolean isRecommended() {
    return recommended != null;
  }
}
