package dev.mise.scan.menu;

import java.util.Locale;
import java.util.Optional;

/** What the model may say about a dish; the wire form is the lower-case name. */
public enum DishTag {
  // VEGETARIAN first: a schema-driven stand-in that picks the first tag makes dishes that pass a
  // vegetarian filter, which is what the sample flows ask for.
  VEGETARIAN,
  VEGAN,
  PESCATARIAN,
  GLUTEN_FREE,
  DAIRY_FREE,
  SPICY,
  RAW,
  CONTAINS_NUTS,
  CONTAINS_PORK,
  CONTAINS_BEEF,
  CONTAINS_FISH,
  CONTAINS_SHELLFISH,
  CONTAINS_ALCOHOL;

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<DishTag> fromWire(String value) {
    for (DishTag tag : values()) {
      if (tag.wire().equals(value)) {
        return Optional.of(tag);
      }
    }
    return Optional.empty();
  }
}
