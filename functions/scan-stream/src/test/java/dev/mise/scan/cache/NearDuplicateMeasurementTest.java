package dev.mise.scan.cache;

import static dev.mise.scan.MenuPictures.cropped;
import static dev.mise.scan.MenuPictures.jpeg;
import static dev.mise.scan.MenuPictures.resized;
import static dev.mise.scan.MenuPictures.rotated;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mise.scan.MenuPictures;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The near-duplicate measurement: eight rendered menus (four pairs that share a layout and differ
 * in their dishes) are the earlier scans; each is photographed again 21 ways (re-encoded at JPEG
 * quality 60..95, resized 50..150 %, cropped 2..5 %, rotated ±1..3°, and combinations). Every
 * variant must find its own menu and never another's. The numbers are printed for the report.
 */
class NearDuplicateMeasurementTest {

  record Variant(String name, UnaryOperator<BufferedImage> transform, float quality) {}

  private static final List<MenuFingerprint> stored = new ArrayList<>();
  private static final List<BufferedImage> originals = new ArrayList<>();

  @BeforeAll
  static void earlierScans() {
    List<MenuPictures.Menu> menus = MenuPictures.menus();
    for (int m = 0; m < menus.size(); m++) {
      BufferedImage original = MenuPictures.render(menus.get(m), m);
      originals.add(original);
      MenuFingerprint first = MenuFingerprint.of(jpeg(original, 0.9f)).orElseThrow();
      // Compared as the cache keeps it: hash and grid bytes.
      stored.add(MenuFingerprint.fromStored(first.hash(), first.gridBytes()));
    }
  }

  static List<Variant> variants() {
    List<Variant> list = new ArrayList<>();
    for (float q : new float[] {0.60f, 0.70f, 0.80f, 0.95f}) {
      list.add(new Variant("jpeg q" + Math.round(q * 100), i -> i, q));
    }
    for (double f : new double[] {0.5, 0.75, 1.25, 1.5}) {
      list.add(new Variant("resize " + Math.round(f * 100) + "%", i -> resized(i, f), 0.85f));
    }
    list.add(new Variant("crop 2% each side", i -> cropped(i, .02, .02, .02, .02), 0.85f));
    list.add(new Variant("crop 5% each side", i -> cropped(i, .05, .05, .05, .05), 0.85f));
    list.add(new Variant("crop 5% left", i -> cropped(i, .05, 0, 0, 0), 0.85f));
    list.add(new Variant("crop 5% top", i -> cropped(i, 0, .05, 0, 0), 0.85f));
    list.add(new Variant("crop 3% right+bottom", i -> cropped(i, 0, 0, .03, .03), 0.85f));
    for (double d : new double[] {-3, -2, -1, 1, 2, 3}) {
      list.add(new Variant("rotate " + d + "°", i -> rotated(i, d), 0.85f));
    }
    list.add(
        new Variant(
            "rotate 2°+crop 3%+75% q70",
            i -> resized(cropped(rotated(i, 2), .03, .03, .03, .03), 0.75), 0.70f));
    list.add(new Variant("rotate -3°+125% q60", i -> resized(rotated(i, -3), 1.25), 0.60f));
    return list;
  }

  @Test
  void everyVariantFindsItsMenuAndNeverAnother() {
    int variantsTried = 0;
    int found = 0;
    int comparisonsWithOthers = 0;
    int falsePositives = 0;
    double lowestOwn = 1;
    double highestOther = -1;
    List<String> misses = new ArrayList<>();
    for (Variant variant : variants()) {
      double variantLowestOwn = 1;
      double variantHighestOther = -1;
      for (int m = 0; m < originals.size(); m++) {
        MenuFingerprint photo =
            MenuFingerprint.of(jpeg(variant.transform().apply(originals.get(m)), variant.quality()))
                .orElseThrow();
        variantsTried++;
        for (int o = 0; o < stored.size(); o++) {
          MenuFingerprint earlier = stored.get(o);
          double similarity = photo.similarity(earlier);
          if (o == m) {
            boolean candidate = !Collections.disjoint(photo.bands(), earlier.bands());
            if (candidate && photo.samePageAs(earlier)) {
              found++;
            } else {
              misses.add(variant.name() + " of menu " + m);
            }
            variantLowestOwn = Math.min(variantLowestOwn, similarity);
          } else {
            comparisonsWithOthers++;
            if (photo.samePageAs(earlier)) {
              falsePositives++;
            }
            variantHighestOther = Math.max(variantHighestOther, similarity);
          }
        }
      }
      System.out.printf(
          "%-27s own menu: similarity >= %.3f   other menus: <= %.3f%n",
          variant.name(), variantLowestOwn, variantHighestOther);
      lowestOwn = Math.min(lowestOwn, variantLowestOwn);
      highestOther = Math.max(highestOther, variantHighestOther);
    }
    int pagePairs = 0;
    for (int a = 0; a < stored.size(); a++) {
      for (int b = a + 1; b < stored.size(); b++) {
        pagePairs++;
        comparisonsWithOthers++;
        if (stored.get(a).samePageAs(stored.get(b))) {
          falsePositives++;
        }
        highestOther = Math.max(highestOther, stored.get(a).similarity(stored.get(b)));
      }
    }
    System.out.printf(
        "near-duplicate: found %d/%d variants (%.1f %%), false positives %d/%d comparisons"
            + " (%d variant-vs-other-menu, %d menu pairs); own similarity >= %.3f, other <= %.3f,"
            + " threshold %.2f%n",
        found,
        variantsTried,
        100.0 * found / variantsTried,
        falsePositives,
        comparisonsWithOthers,
        comparisonsWithOthers - pagePairs,
        pagePairs,
        lowestOwn,
        highestOther,
        MenuFingerprint.SAME_PAGE);

    assertEquals(List.of(), misses, "variants that did not find their menu");
    assertEquals(0, falsePositives, "photos matched to another menu");
    assertTrue(variantsTried >= 160);
  }
}
