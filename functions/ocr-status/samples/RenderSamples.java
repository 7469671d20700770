import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.io.File;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;

/**
 * Renders the sample recipe pages in this folder: printed recipes as PNG, and one JPEG made to look
 * like a phone photo (off-white paper, a slight tilt, grain). Run from this folder with
 * {@code java RenderSamples.java}; the output is deterministic.
 */
public class RenderSamples {
  public static void main(String[] args) throws Exception {
    page(
        "pancakes.png",
        "Fluffy Pancakes",
        "Serves 4",
        List.of(
            "INGREDIENTS",
            "200 g plain flour",
            "2 tsp baking powder",
            "1 tbsp sugar",
            "2 eggs",
            "300 ml milk",
            "30 g butter, melted",
            "a pinch of salt",
            "",
            "METHOD",
            "1. Whisk the flour, baking powder, sugar and salt.",
            "2. Beat the eggs with the milk and butter.",
            "3. Stir the wet mix into the dry until just combined.",
            "4. Cook ladlefuls in a hot pan, 2 minutes a side."),
        false);
    page(
        "tomato-soup-1.png",
        "Tomato Soup",
        "Serves 6",
        List.of(
            "INGREDIENTS",
            "1 kg ripe tomatoes, chopped",
            "2 onions, sliced",
            "3 cloves garlic",
            "2 tbsp olive oil",
            "750 ml vegetable stock",
            "1 tsp salt",
            "fresh basil to serve"),
        false);
    page(
        "tomato-soup-2.png",
        "Tomato Soup (method)",
        "",
        List.of(
            "METHOD",
            "1. Soften the onions and garlic in the oil for 10 minutes.",
            "2. Add the tomatoes and cook for 15 minutes.",
            "3. Pour in the stock and simmer for 20 minutes.",
            "4. Blend until smooth and season with the salt.",
            "",
            "NOTES",
            "Keeps for three days in the fridge."),
        false);
    page(
        "lemon-cake-photo.jpg",
        "Lemon Drizzle Cake",
        "Makes 10 slices",
        List.of(
            "INGREDIENTS",
            "225 g butter",
            "225 g caster sugar",
            "4 eggs",
            "225 g self-raising flour",
            "2 lemons, zested and juiced",
            "85 g icing sugar",
            "",
            "METHOD",
            "1. Beat the butter and sugar until pale.",
            "2. Add the eggs one at a time, then fold in the flour and zest.",
            "3. Bake at 180 C for 45 minutes.",
            "4. Mix the juice with the icing sugar and pour over the warm cake."),
        true);
  }

  static void page(String file, String title, String subtitle, List<String> lines, boolean photo)
      throws Exception {
    int width = 900;
    int height = 160 + lines.size() * 44 + 60;
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setColor(photo ? new Color(244, 238, 222) : Color.WHITE);
    g.fillRect(0, 0, width, height);
    if (photo) {
      // a phone held not quite straight
      g.setTransform(AffineTransform.getRotateInstance(Math.toRadians(1.2), width / 2.0, height / 2.0));
    }
    g.setColor(new Color(30, 30, 30));
    g.setFont(new Font("DejaVu Serif", Font.BOLD, 44));
    g.drawString(title, 60, 90);
    g.setFont(new Font("DejaVu Serif", Font.ITALIC, 26));
    g.drawString(subtitle, 60, 130);
    int y = 190;
    for (String line : lines) {
      boolean heading = line.equals(line.toUpperCase()) && !line.isBlank() && !Character.isDigit(line.charAt(0));
      g.setFont(new Font("DejaVu Serif", heading ? Font.BOLD : Font.PLAIN, heading ? 28 : 27));
      g.drawString(line, 60, y);
      y += 44;
    }
    g.dispose();
    if (photo) {
      Random grain = new Random(7);
      for (int i = 0; i < width * height / 6; i++) {
        int x = grain.nextInt(width);
        int yy = grain.nextInt(height);
        int rgb = image.getRGB(x, yy);
        int shift = grain.nextInt(21) - 10;
        int r = clamp(((rgb >> 16) & 0xFF) + shift);
        int gg = clamp(((rgb >> 8) & 0xFF) + shift);
        int b = clamp((rgb & 0xFF) + shift);
        image.setRGB(x, yy, (r << 16) | (gg << 8) | b);
      }
      ImageIO.write(image, "jpg", new File(file));
    } else {
      BufferedImage gray = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
      gray.getGraphics().drawImage(image, 0, 0, null);
      ImageIO.write(gray, "png", new File(file));
    }
  }

  static int clamp(int v) {
    return Math.max(0, Math.min(255, v));
  }
}
