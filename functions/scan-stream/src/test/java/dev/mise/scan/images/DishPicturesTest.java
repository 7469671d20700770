package dev.mise.scan.images;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.mise.common.models.ModelReply;
import dev.mise.scan.MenuPictures;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class DishPicturesTest {

  @Test
  void transparentPngBecomesJpegOnWhite() throws IOException {
    BufferedImage clear = new BufferedImage(20, 10, BufferedImage.TYPE_INT_ARGB);
    clear.setRGB(0, 0, new Color(200, 0, 0, 255).getRGB());

    byte[] jpeg = DishPictures.toJpeg(new ModelReply.Media("image/png", MenuPictures.png(clear)));

    BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(jpeg));
    assertEquals(20, decoded.getWidth());
    Color corner = new Color(decoded.getRGB(19, 9));
    assertEquals(255, corner.getRed(), 3);
    assertEquals(255, corner.getGreen(), 3);
  }

  @Test
  void undecodableBytesAreNoPicture() {
    assertThrows(
        DishPictures.NoPicture.class,
        () -> DishPictures.toJpeg(new ModelReply.Media("image/png", new byte[] {1, 2, 3})));
  }

  @Test
  void keysAreDeterministic() {
    assertEquals("gen/s1/item-2.jpg", DishPictures.key("s1", "item-2"));
  }
}
