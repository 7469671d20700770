package dev.mise.emulators.gemini;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * The stand-in's "generated image": a PNG whose colour is derived from the prompt and which shows
 * the prompt's first words, so a person looking at a local run can tell which dish a picture
 * belongs to.
 */
final class LabelledPicture {

  private static final int SIZE = 512;
  private static final int MAX_WORDS = 12;

  private LabelledPicture() {}

  static byte[] png(String prompt) {
    BufferedImage image = new BufferedImage(SIZE, SIZE, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    try {
      float hue = (prompt.hashCode() & 0xffff) / (float) 0xffff;
      g.setColor(Color.getHSBColor(hue, 0.35f, 0.95f));
      g.fillRect(0, 0, SIZE, SIZE);
      g.setColor(Color.getHSBColor(hue, 0.6f, 0.55f));
      g.fillOval(SIZE / 4, SIZE / 3, SIZE / 2, SIZE / 2);
      drawLabel(g, prompt);
    } finally {
      g.dispose();
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ImageIO.write(image, "png", out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static void drawLabel(Graphics2D g, String prompt) {
    try {
      g.setRenderingHint(
          RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 30));
      g.setColor(Color.BLACK);
      FontMetrics metrics = g.getFontMetrics();
      int y = 24 + metrics.getAscent();
      for (String line : wrap(firstWords(prompt), metrics, SIZE - 48)) {
        g.drawString(line, 24, y);
        y += metrics.getHeight();
      }
    } catch (RuntimeException | LinkageError e) {
      // A JDK without usable fonts (no fontconfig) still gets a picture, just without a label.
    }
  }

  private static String firstWords(String prompt) {
    String[] words = prompt.strip().split("\\s+");
    return String.join(" ", java.util.Arrays.copyOf(words, Math.min(words.length, MAX_WORDS)));
  }

  private static List<String> wrap(String text, FontMetrics metrics, int width) {
    List<String> lines = new ArrayList<>();
    StringBuilder line = new StringBuilder();
    for (String word : text.split(" ")) {
      String candidate = line.isEmpty() ? word : line + " " + word;
      if (!line.isEmpty() && metrics.stringWidth(candidate) > width) {
        lines.add(line.toString());
        line = new StringBuilder(word);
      } else {
        line = new StringBuilder(candidate);
      }
    }
    if (!line.isEmpty()) {
      lines.add(line.toString());
    }
    return lines;
  }
}
