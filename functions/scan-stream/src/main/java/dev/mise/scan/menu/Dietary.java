package dev.mise.scan.menu;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * A dietary filter a traveller sets; the model's three recommendations must satisfy all of them,
 * judged from the dish's {@link DishTag}s. Where a diet is about what a dish lacks (no pork, nut
 * free) a dish passes unless it is tagged as containing it; where it is about what a dish is
 * (vegan, gluten free) it must carry the tag.
 */
public enum Dietary {
  VEGETARIAN,
  VEGAN,
  PESCATARIAN,
  GLUTEN_FREE,
  DAIRY_FREE,
  NUT_FREE,
  NO_PORK,
  NO_BEEF,
  NO_ALCOHOL,
  NO_SHELLFISH,
  // An approximation from the tags we have (no pork, no alcohol); the prompt asks the model too.
  HALAL;

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<Dietary> fromWire(String value) {
    for (Dietary diet : values()) {
      if (diet.wire().equals(value)) {
        return Optional.of(diet);
      }
    }
    return Optional.empty();
  }

  /** Whether a dish with these tags fits the diet. */
  public boolean allows(Set<DishTag> tags) {
    return switch (this) {
      case VEGETARIAN -> tags.contains(DishTag.VEGETARIAN) || tags.contains(DishTag.VEGAN);
      case VEGAN -> tags.contains(DishTag.VEGAN);
      case PESCATARIAN ->
          tags.contains(DishTag.PESCATARIAN)
              || tags.contains(DishTag.VEGETARIAN)
              || tags.contains(DishTag.VEGAN);
      case GLUTEN_FREE -> tags.contains(DishTag.GLUTEN_FREE);
      case DAIRY_FREE -> tags.contains(DishTag.DAIRY_FREE) || tags.contains(DishTag.VEGAN);
      case NUT_FREE -> !tags.contains(DishTag.CONTAINS_NUTS);
      case NO_PORK -> !tags.contains(DishTag.CONTAINS_PORK);
      case NO_BEEF -> !tags.contains(DishTag.CONTAINS_BEEF);
      case NO_ALCOHOL -> !tags.contains(DishTag.CONTAINS_ALCOHOL);
      case NO_SHELLFISH -> !tags.contains(DishTag.CONTAINS_SHELLFISH);
      case HALAL ->
          !tags.contains(DishTag.CONTAINS_PORK) && !tags.contains(DishTag.CONTAINS_ALCOHOL);
    };
  }
}
