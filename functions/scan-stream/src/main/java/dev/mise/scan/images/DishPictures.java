package dev.mise.scan.images;

import dev.mise.common.blobs.BlobStore;
import dev.mise.common.models.ModelReply;
import dev.mise.common.models.ModelRequest;
import dev.mise.common.models.Models;
import dev.mise.scan.menu.MenuItem;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * Generates a recommended dish's picture with the image model and stores it as a JPEG under the
 * deterministic key {@code gen/<sessionId>/<itemId>.jpg}; the model's PNG is converted (on white,
 * should it carry transparency) because JPEG is a fraction of the size on a phone's connection.
 */
public final class DishPictures {

  private static final float JPEG_QUALITY = 0.85f;

  private final Models models;
  private final BlobStore blobs;
  private final String model;
  private final Duration timeout;

  public DishPictures(Models models, BlobStore blobs, String model, Duration timeout) {
    this.models = models;
    this.blobs = blobs;
    this.model = model;
    this.timeout = timeout;
  }

  /** The object key of a dish's picture. */
  public static String key(String sessionId, String itemId) {
    return "gen/" + sessionId + "/" + itemId + ".jpg";
  }

  /**
   * Generates and stores the picture; returns its public URL. Model failures pass through as {@link
   * dev.mise.common.models.ModelException}; an answer without a usable image is a {@link
   * NoPicture}.
   */
  public String generate(String sessionId, MenuItem dish) {
    ModelReply reply =
        models.generate(ModelRequest.image(model, prompt(dish)).withTimeout(timeout));
    ModelReply.Media picture =
        reply.media().stream()
            .filter(m -> m.mimeType() != null && m.mimeType().startsWith("image/"))
            .findFirst()
            .orElseThrow(() -> new NoPicture("the model answered without an image"));
    byte[] jpeg = toJpeg(picture);
    String key = key(sessionId, dish.id());
    try {
      blobs.put(key, jpeg, "image/jpeg");
    } catch (RuntimeException e) {
      throw new StorageFailed(e);
    }
    return blobs.publicUrl(key);
  }

  static String prompt(MenuItem dish) {
    String looks =
        dish.imagePrompt() != null && !dish.imagePrompt().isBlank()
            ? dish.imagePrompt()
            : dish.description();
    return "An appetizing restaurant photograph of "
        + dish.translatedName()
        + " ("
        + dish.originalName()
        + "). "
        + looks
        + " Served on a plate, natural light, close up, no text, no people.";
  }

  static byte[] toJpeg(ModelReply.Media picture) {
    if (picture.mimeType().equals("image/jpeg")) {
      return picture.data();
    }
    try {
      BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(picture.data()));
      if (decoded == null) {
        throw new NoPicture("the model's " + picture.mimeType() + " could not be decoded");
      }
      BufferedImage rgb =
          new BufferedImage(decoded.getWidth(), decoded.getHeight(), BufferedImage.TYPE_INT_RGB);
      Graphics2D g = rgb.createGraphics();
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, rgb.getWidth(), rgb.getHeight());
      g.drawImage(decoded, 0, 0, null);
      g.dispose();
      ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
        writer.setOutput(out);
        ImageWriteParam param = writer.getDefaultWriteParam();
        param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        param.setCompressionQuality(JPEG_QUALITY);
        writer.write(null, new IIOImage(rgb, null, null), param);
      } finally {
        writer.dispose();
      }
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The picture could not be stored. */
  public static final class StorageFailed extends RuntimeException {
    public StorageFailed(Throwable cause) {
      super(cause);
    }
  }

  /** The model answered, but not with a picture we can use. */
  public static final class NoPicture extends RuntimeException {
    public NoPicture(String message) {
      super(message);
    }
  }
}
