package dev.mise.scan.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mise.scan.MenuPictures;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MenuFingerprintTest {

  @Test
  void formatsImageIoCannotDecodeHaveNoFingerprint() {
    byte[] webp = "RIFF\0\0\0\0WEBPVP8 not really".getBytes(StandardCharsets.ISO_8859_1);
    byte[] heic = "\0\0\0\u0018ftypheic\0\0\0\0mif1heic".getBytes(StandardCharsets.ISO_8859_1);

    assertEquals(Optional.empty(), MenuFingerprint.of(webp));
    assertEquals(Optional.empty(), MenuFingerprint.of(heic));
    assertEquals(Optional.empty(), MenuFingerprint.of(new byte[] {(byte) 0xFF, (byte) 0xD8}));
  }

  @Test
  void aBlankPageHasNoFingerprint() {
    BufferedImage blank = new BufferedImage(300, 400, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = blank.createGraphics();
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, 300, 400);
    g.dispose();

    assertEquals(Optional.empty(), MenuFingerprint.of(MenuPictures.png(blank)));
  }

  @Test
  void storedFormKeepsTheDecision() {
    MenuPictures.Menu menu = MenuPictures.menus().get(2);
    MenuFingerprint photo =
        MenuFingerprint.of(MenuPictures.jpeg(MenuPictures.render(menu, 1), 0.8f)).orElseThrow();

    MenuFingerprint stored = MenuFingerprint.fromStored(photo.hash(), photo.gridBytes());

    assertEquals(photo.hash(), stored.hash());
    assertTrue(stored.similarity(photo) > 0.999);
    assertEquals(8, photo.bands().size());
    assertTrue(photo.bands().get(3).matches("3:[0-9a-f]{2}"));
  }
}
