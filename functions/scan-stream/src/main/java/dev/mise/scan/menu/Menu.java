package dev.mise.scan.menu;

import java.util.Comparator;
import java.util.List;

/** What the vision call read from a menu photo, validated. */
public record Menu(String sourceLanguage, String currency, List<MenuItem> items) {

  public Menu {
    items = List.copyOf(items);
  }

  /** The recommended dishes, best first. */
  public List<MenuItem> recommended() {
    return items.stream()
        .filter(MenuItem::isRecommended)
        .sorted(Comparator.comparing(MenuItem::recommended))
        .toList();
  }
}
