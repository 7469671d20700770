package dev.mise.scan;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Random;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * Menu "photos" rendered with java.awt (paper with uneven light and sensor noise, a title,
 * sections, dishes with prices), and the variants a second photo of the same page would be:
 * re-encoded, resized, cropped, rotated. Pairs of menus share a layout ({@link Style}) so that the
 * near-duplicate measurement also meets pages that differ only in their dishes.
 */
public final class MenuPictures {

  private MenuPictures() {}

  /** How a menu is laid out. */
  public record Style(
      String font,
      int titleSize,
      int itemSize,
      boolean descriptions,
      boolean leaders,
      Color paper) {}

  /** A dish line: name, optional description, price. */
  public record Dish(String name, String description, String price) {}

  /** A menu page: title, sections of dishes, layout. */
  public record Menu(String title, List<Section> sections, Style style) {}

  public record Section(String name, List<Dish> dishes) {}

  private static final Style TRATTORIA =
      new Style(Font.SERIF, 44, 22, true, true, new Color(246, 241, 228));
  private static final Style DINER =
      new Style(Font.SANS_SERIF, 40, 21, false, false, new Color(250, 250, 247));
  private static final Style IZAKAYA =
      new Style(Font.MONOSPACED, 38, 20, false, false, new Color(244, 238, 226));
  private static final Style BISTRO =
      new Style(Font.SERIF, 48, 23, false, true, new Color(252, 249, 240));

  /**
   * Eight menus; menus 2k and 2k+1 share a style. The diner and izakaya styles have no dot leaders,
   * which OCR reads as noise, so their photos make good samples for the local stand-in.
   */
  public static List<Menu> menus() {
    return List.of(
        new Menu(
            "Trattoria da Lucia",
            List.of(
                section(
                    "Antipasti",
                    dish("Bruschetta al pomodoro", "Toasted bread, tomato, basil", "7.50"),
                    dish("Burrata con rucola", "Creamy burrata, rocket, olive oil", "12.00"),
                    dish("Carpaccio di manzo", "Raw beef, parmesan, capers", "13.50")),
                section(
                    "Primi",
                    dish("Spaghetti alla carbonara", "Guanciale, egg yolk, pecorino", "14.00"),
                    dish("Penne all'arrabbiata", "Tomato, garlic, chili", "11.50"),
                    dish("Risotto ai funghi porcini", "Porcini mushrooms, parmesan", "16.00"),
                    dish("Lasagne alla bolognese", "Beef ragu, bechamel", "15.00")),
                section(
                    "Dolci",
                    dish("Tiramisu della casa", "Mascarpone, coffee, cocoa", "7.00"),
                    dish("Panna cotta ai frutti di bosco", "Cream, berries", "6.50"))),
            TRATTORIA),
        new Menu(
            "Trattoria da Lucia",
            List.of(
                section(
                    "Pizze",
                    dish("Margherita", "Tomato, mozzarella, basil", "9.00"),
                    dish("Diavola", "Spicy salami, tomato, mozzarella", "11.00"),
                    dish("Quattro formaggi", "Four cheeses, no tomato", "12.50")),
                section(
                    "Secondi",
                    dish("Saltimbocca alla romana", "Veal, sage, prosciutto", "19.00"),
                    dish("Branzino al forno", "Baked sea bass, lemon", "22.00"),
                    dish("Pollo alla cacciatora", "Chicken, tomato, olives", "17.50"),
                    dish("Melanzane alla parmigiana", "Aubergine, tomato, cheese", "14.50")),
                section(
                    "Bevande",
                    dish("Vino rosso della casa", "House red wine, glass", "5.50"),
                    dish("Acqua frizzante", "Sparkling water", "3.00"))),
            TRATTORIA),
        new Menu(
            "Blue Plate Diner",
            List.of(
                section(
                    "Breakfast",
                    dish("Buttermilk pancakes", null, "8.95"),
                    dish("Two eggs any style", null, "7.50"),
                    dish("Corned beef hash", null, "10.25"),
                    dish("Blueberry muffin", null, "3.75")),
                section(
                    "Burgers",
                    dish("Classic cheeseburger", null, "12.95"),
                    dish("Bacon BBQ burger", null, "14.50"),
                    dish("Black bean veggie burger", null, "12.25"),
                    dish("Patty melt on rye", null, "13.25")),
                section(
                    "Shakes",
                    dish("Chocolate malt", null, "6.25"),
                    dish("Strawberry shake", null, "6.25"),
                    dish("Root beer float", null, "5.50"))),
            DINER),
        new Menu(
            "Blue Plate Diner",
            List.of(
                section(
                    "Sandwiches",
                    dish("Grilled cheese and tomato soup", null, "9.75"),
                    dish("Turkey club", null, "11.95"),
                    dish("Reuben", null, "13.50"),
                    dish("Tuna melt", null, "10.50")),
                section(
                    "Plates",
                    dish("Meatloaf with gravy", null, "15.95"),
                    dish("Chicken fried steak", null, "16.50"),
                    dish("Fish and chips", null, "15.25"),
                    dish("Mac and cheese", null, "10.95")),
                section(
                    "Pie",
                    dish("Apple pie a la mode", null, "6.95"),
                    dish("Cherry pie", null, "5.95"),
                    dish("Key lime pie", null, "6.50"))),
            DINER),
        new Menu(
            "Izakaya Tanuki",
            List.of(
                section(
                    "Yakitori",
                    dish("Negima chicken and leek", null, "480"),
                    dish("Tsukune chicken meatball", null, "420"),
                    dish("Kawa crispy chicken skin", null, "380")),
                section(
                    "Small plates",
                    dish("Edamame with sea salt", null, "350"),
                    dish("Agedashi tofu", null, "520"),
                    dish("Karaage fried chicken", null, "680"),
                    dish("Takoyaki octopus balls", null, "600"),
                    dish("Gyoza pan fried dumplings", null, "550")),
                section("Drinks", dish("Draft beer", null, "600"), dish("Hot sake", null, "700"))),
            IZAKAYA),
        new Menu(
            "Izakaya Tanuki",
            List.of(
                section(
                    "Sashimi",
                    dish("Maguro tuna", null, "980"),
                    dish("Sake salmon", null, "880"),
                    dish("Hamachi yellowtail", null, "1080")),
                section(
                    "Noodles and rice",
                    dish("Shoyu ramen", null, "900"),
                    dish("Kitsune udon", null, "750"),
                    dish("Zaru soba", null, "800"),
                    dish("Onigiri plum", null, "300"),
                    dish("Ochazuke", null, "650")),
                section(
                    "Sweets",
                    dish("Matcha ice cream", null, "400"),
                    dish("Dorayaki", null, "350"))),
            IZAKAYA),
        new Menu(
            "Le Petit Bistro",
            List.of(
                section(
                    "Entrees",
                    dish("Soupe a l'oignon", null, "9.00"),
                    dish("Escargots de Bourgogne", null, "14.00"),
                    dish("Pate de campagne", null, "11.00")),
                section(
                    "Plats",
                    dish("Boeuf bourguignon", null, "24.00"),
                    dish("Coq au vin", null, "22.00"),
                    dish("Steak frites", null, "26.00"),
                    dish("Ratatouille", null, "18.00")),
                section(
                    "Desserts",
                    dish("Creme brulee", null, "8.50"),
                    dish("Tarte Tatin", null, "9.00"),
                    dish("Mousse au chocolat", null, "8.00"))),
            BISTRO),
        new Menu(
            "Le Petit Bistro",
            List.of(
                section(
                    "Fruits de mer",
                    dish("Moules marinieres", null, "19.00"),
                    dish("Sole meuniere", null, "32.00"),
                    dish("Bouillabaisse", null, "29.00")),
                section(
                    "Fromages",
                    dish("Plateau de fromages", null, "15.00"),
                    dish("Croque monsieur", null, "13.00"),
                    dish("Quiche lorraine", null, "14.00"),
                    dish("Salade nicoise", null, "16.00")),
                section(
                    "Vins",
                    dish("Bordeaux rouge", null, "9.00"),
                    dish("Sancerre blanc", null, "10.00"),
                    dish("Champagne brut", null, "14.00"))),
            BISTRO));
  }

  private static Section section(String name, Dish... dishes) {
    return new Section(name, List.of(dishes));
  }

  private static Dish dish(String name, String description, String price) {
    return new Dish(name, description, price);
  }

  /** The menu as a photo-like picture, 900 × 1260. */
  public static BufferedImage render(Menu menu, long seed) {
    int width = 900;
    int height = 1260;
    Style style = menu.style();
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setRenderingHint(
        RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setColor(style.paper());
    g.fillRect(0, 0, width, height);
    int margin = 90;
    int y = 150;
    g.setColor(new Color(40, 30, 25));
    Font title = new Font(style.font(), Font.BOLD, style.titleSize());
    g.setFont(title);
    FontMetrics titleMetrics = g.getFontMetrics();
    g.drawString(menu.title(), (width - titleMetrics.stringWidth(menu.title())) / 2, y);
    y += 30;
    g.setStroke(new BasicStroke(2f));
    g.drawLine(margin + 80, y, width - margin - 80, y);
    y += 55;
    Font sectionFont = new Font(style.font(), Font.BOLD | Font.ITALIC, style.itemSize() + 6);
    Font itemFont = new Font(style.font(), Font.PLAIN, style.itemSize());
    Font descriptionFont = new Font(style.font(), Font.ITALIC, style.itemSize() - 5);
    for (Section section : menu.sections()) {
      g.setFont(sectionFont);
      g.drawString(section.name().toUpperCase(java.util.Locale.ROOT), margin, y);
      y += style.itemSize() + 22;
      for (Dish dish : section.dishes()) {
        g.setFont(itemFont);
        FontMetrics metrics = g.getFontMetrics();
        g.drawString(dish.name(), margin + 10, y);
        int priceWidth = metrics.stringWidth(dish.price());
        g.drawString(dish.price(), width - margin - priceWidth, y);
        int dotsFrom = margin + 10 + metrics.stringWidth(dish.name()) + 12;
        int dotsTo = width - margin - priceWidth - 12;
        for (int x = dotsFrom; style.leaders() && x < dotsTo; x += 9) {
          g.fillRect(x, y - 3, 2, 2);
        }
        y += style.itemSize() + 12;
        if (style.descriptions() && dish.description() != null) {
          g.setFont(descriptionFont);
          g.drawString(dish.description(), margin + 24, y - 6);
          y += style.itemSize() + 6;
        }
      }
      y += 24;
    }
    g.dispose();
    return photograph(image, seed);
  }

  /** Uneven light (brighter at the top left) and a little sensor noise, as in a phone photo. */
  private static BufferedImage photograph(BufferedImage page, long seed) {
    Random random = new Random(seed);
    int w = page.getWidth();
    int h = page.getHeight();
    double lightX = 0.5 + random.nextDouble() * 0.5;
    int[] row = new int[w];
    for (int y = 0; y < h; y++) {
      page.getRGB(0, y, w, 1, row, 0, w);
      for (int x = 0; x < w; x++) {
        double light = 1.0 - 0.10 * ((double) x / w * lightX + (double) y / h * (1 - lightX));
        int rgb = row[x];
        int noise = (int) Math.round(random.nextGaussian() * 3);
        int r = clamp((int) (((rgb >> 16) & 0xFF) * light) + noise);
        int gr = clamp((int) (((rgb >> 8) & 0xFF) * light) + noise);
        int b = clamp((int) ((rgb & 0xFF) * light) + noise);
        row[x] = (r << 16) | (gr << 8) | b;
      }
      page.setRGB(0, y, w, 1, row, 0, w);
    }
    return page;
  }

  private static int clamp(int v) {
    return Math.max(0, Math.min(255, v));
  }

  /** JPEG bytes at a quality from 0 to 1. */
  public static byte[] jpeg(BufferedImage image, float quality) {
    try {
      ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
        writer.setOutput(out);
        ImageWriteParam param = writer.getDefaultWriteParam();
        param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        param.setCompressionQuality(quality);
        writer.write(null, new IIOImage(rgb(image), null, null), param);
      } finally {
        writer.dispose();
      }
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static byte[] png(BufferedImage image) {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      ImageIO.write(image, "png", bytes);
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static BufferedImage resized(BufferedImage image, double factor) {
    int w = (int) Math.round(image.getWidth() * factor);
    int h = (int) Math.round(image.getHeight() * factor);
    BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = out.createGraphics();
    g.setRenderingHint(
        RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
    g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
    g.drawImage(image, 0, 0, w, h, null);
    g.dispose();
    return out;
  }

  /** Cuts the given fractions off each side. */
  public static BufferedImage cropped(
      BufferedImage image, double left, double top, double right, double bottom) {
    int x = (int) Math.round(image.getWidth() * left);
    int y = (int) Math.round(image.getHeight() * top);
    int w = image.getWidth() - x - (int) Math.round(image.getWidth() * right);
    int h = image.getHeight() - y - (int) Math.round(image.getHeight() * bottom);
    BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = out.createGraphics();
    g.drawImage(image.getSubimage(x, y, w, h), 0, 0, null);
    g.dispose();
    return out;
  }

  /** Turned about the center on the same canvas; the uncovered corners take the paper's color. */
  public static BufferedImage rotated(BufferedImage image, double degrees) {
    int w = image.getWidth();
    int h = image.getHeight();
    BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = out.createGraphics();
    g.setColor(new Color(image.getRGB(w / 2, 8)));
    g.fillRect(0, 0, w, h);
    g.setRenderingHint(
        RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.drawImage(
        image, AffineTransform.getRotateInstance(Math.toRadians(degrees), w / 2.0, h / 2.0), null);
    g.dispose();
    return out;
  }

  private static BufferedImage rgb(BufferedImage image) {
    if (image.getType() == BufferedImage.TYPE_INT_RGB) {
      return image;
    }
    BufferedImage out =
        new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
    Graphics2D g = out.createGraphics();
    g.drawImage(image, 0, 0, null);
    g.dispose();
    return out;
  }
}
