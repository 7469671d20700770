package dev.mise.scan.cache;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * A perceptual fingerprint of a menu photo, the same for two photos of the same page taken a little
 * differently (re-encoded, resized, cropped by a few percent, turned by a few degrees) and
 * different for another page, even one printed in the same layout.
 *
 * <p>A generic image hash of a text page mostly sees "grey lines on white", which every menu is; so
 * this one first takes away what varies between two shots of one page. It finds the ink (Otsu's
 * threshold), turns the page straight (the angle at which the ink's row profile is sharpest, as
 * document scanners deskew), and frames it by the ink's own extent (so margins cut off or added do
 * not matter). The straightened ink is then counted on a {@value #GRID}×{@value #GRID} grid. Two
 * fingerprints are compared by the Hamming distance of a 64-bit DCT hash of that grid (cheap, for
 * finding candidates) and by the correlation of the grids themselves (for the decision).
 *
 * <p>Only what {@code javax.imageio} decodes (JPEG, PNG, GIF, BMP) gets a fingerprint: a WebP or
 * HEIC photo has none, and such scans use the exact cache alone.
 */
public record MenuFingerprint(long hash, float[] grid) {

  /** Cells per side of the ink grid. */
  public static final int GRID = 32;

  /**
   * The similarity from which two photos count as the same page. Measured on rendered menus
   * (NearDuplicateMeasurementTest): variants of one page score 0.988 and up, other pages (even in
   * the same layout) 0.934 at most; 0.97 sits between with room on both sides.
   */
  public static final double SAME_PAGE = 0.97;

  /** The hash is cut into this many bands of 8 bits for lookup (see {@link #bands()}). */
  public static final int BANDS = 8;

  private static final int WORK_SIZE = 640;
  private static final double MAX_SKEW_DEGREES = 5;
  private static final int HASH_SIDE = 8;
  private static final double[][] DCT = dctMatrix(GRID);

  public MenuFingerprint {
    if (grid.length != GRID * GRID) {
      throw new IllegalArgumentException("grid must have " + GRID * GRID + " cells");
    }
    grid = grid.clone();
  }

  /** The fingerprint of an encoded image; empty when it cannot be decoded or holds no ink. */
  public static Optional<MenuFingerprint> of(byte[] encoded) {
    try {
      BufferedImage image = decode(encoded);
      return image == null ? Optional.empty() : of(image);
    } catch (IOException | RuntimeException e) {
      // A truncated or exotic file: no fingerprint, so no near-duplicate lookup. Never an error.
      return Optional.empty();
    }
  }

  /** The fingerprint of a decoded image; empty when it holds no ink. */
  public static Optional<MenuFingerprint> of(BufferedImage image) {
    Gray gray = Gray.of(image, WORK_SIZE);
    int threshold = otsu(gray.pixels());
    int[] ink = inkPixels(gray, threshold);
    if (ink.length < 2 * 50) {
      return Optional.empty();
    }
    double angle = skew(ink, gray.width(), gray.height());
    float[] grid = inkGrid(ink, gray.width(), gray.height(), angle);
    return grid == null ? Optional.empty() : Optional.of(new MenuFingerprint(hash(grid), grid));
  }

  /** Bits in which the two hashes differ (0..64). */
  public int distance(MenuFingerprint other) {
    return Long.bitCount(hash ^ other.hash);
  }

  /** True when the two photos show the same page, as far as this fingerprint can tell. */
  public boolean samePageAs(MenuFingerprint other) {
    return similarity(other) >= SAME_PAGE;
  }

  /**
   * The hash's eight bytes, each tagged with its position ({@code "3:a7"}): photos of one page
   * differ in at most 6 bits of the hash on the measured variants, so they share at least two of
   * the eight bands exactly, and a store can find candidates by equality on any band.
   */
  public List<String> bands() {
    List<String> bands = new ArrayList<>(BANDS);
    for (int i = 0; i < BANDS; i++) {
      bands.add(i + ":" + String.format("%02x", (hash >>> (8 * i)) & 0xFF));
    }
    return bands;
  }

  /** Pearson correlation of the two ink grids, -1..1; 1 for the same page. */
  public double similarity(MenuFingerprint other) {
    return Boolean.getBoolean("noblur")
        ? correlation(grid, other.grid)
        : correlation(blur(grid), blur(other.grid));
  }

  /** The grid as bytes (one per cell, 0..255 of the grid's maximum), for storage. */
  public byte[] gridBytes() {
    float max = 0;
    for (float cell : grid) {
      max = Math.max(max, cell);
    }
    byte[] bytes = new byte[grid.length];
    for (int i = 0; i < grid.length; i++) {
      bytes[i] = (byte) Math.round(max == 0 ? 0 : 255 * grid[i] / max);
    }
    return bytes;
  }

  /** A fingerprint read back from storage. */
  public static MenuFingerprint fromStored(long hash, byte[] gridBytes) {
    float[] grid = new float[gridBytes.length];
    for (int i = 0; i < grid.length; i++) {
      grid[i] = (gridBytes[i] & 0xFF) / 255f;
    }
    return new MenuFingerprint(hash, grid);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MenuFingerprint other
        && hash == other.hash
        && Arrays.equals(grid, other.grid);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(hash) * 31 + Arrays.hashCode(grid);
  }

  @Override
  public String toString() {
    return "MenuFingerprint[" + Long.toHexString(hash) + "]";
  }

  // --- decoding -------------------------------------------------------------------------------

  private static BufferedImage decode(byte[] encoded) throws IOException {
    try (ImageInputStream input =
        ImageIO.createImageInputStream(new ByteArrayInputStream(encoded))) {
      Iterator<ImageReader> readers = ImageIO.getImageReaders(input);
      if (!readers.hasNext()) {
        return null;
      }
      ImageReader reader = readers.next();
      try {
        reader.setInput(input, true, true);
        int longSide = Math.max(reader.getWidth(0), reader.getHeight(0));
        // A 12-megapixel photo need not be decoded whole: every n-th pixel keeps at least twice
        // the working resolution, which the area-averaging below then brings down cleanly.
        int step = Math.max(1, longSide / (2 * WORK_SIZE));
        ImageReadParam param = reader.getDefaultReadParam();
        param.setSourceSubsampling(step, step, 0, 0);
        return reader.read(0, param);
      } finally {
        reader.dispose();
      }
    }
  }

  /** A grayscale copy, area-averaged so that its longer side is at most {@code size}. */
  record Gray(int width, int height, int[] pixels) {
    static Gray of(BufferedImage image, int size) {
      int w = image.getWidth();
      int h = image.getHeight();
      double scale = Math.min(1.0, (double) size / Math.max(w, h));
      int gw = Math.max(1, (int) Math.round(w * scale));
      int gh = Math.max(1, (int) Math.round(h * scale));
      double[] sum = new double[gw * gh];
      int[] count = new int[gw * gh];
      int[] row = new int[w];
      for (int y = 0; y < h; y++) {
        image.getRGB(0, y, w, 1, row, 0, w);
        int gy = Math.min(gh - 1, (int) (y * scale));
        for (int x = 0; x < w; x++) {
          int rgb = row[x];
          int luma =
              (299 * ((rgb >> 16) & 0xFF) + 587 * ((rgb >> 8) & 0xFF) + 114 * (rgb & 0xFF)) / 1000;
          int cell = gy * gw + Math.min(gw - 1, (int) (x * scale));
          sum[cell] += luma;
          count[cell]++;
        }
      }
      int[] pixels = new int[gw * gh];
      for (int i = 0; i < pixels.length; i++) {
        pixels[i] = count[i] == 0 ? 255 : (int) Math.round(sum[i] / count[i]);
      }
      return new Gray(gw, gh, pixels);
    }
  }

  // --- ink, skew, framing ---------------------------------------------------------------------

  /** Otsu's threshold: the grey level that best splits the histogram into ink and paper. */
  static int otsu(int[] pixels) {
    long[] histogram = new long[256];
    for (int p : pixels) {
      histogram[p]++;
    }
    long total = pixels.length;
    double sumAll = 0;
    for (int i = 0; i < 256; i++) {
      sumAll += i * (double) histogram[i];
    }
    double sumBelow = 0;
    long below = 0;
    double best = -1;
    int threshold = 128;
    for (int t = 0; t < 256; t++) {
      below += histogram[t];
      if (below == 0) {
        continue;
      }
      long above = total - below;
      if (above == 0) {
        break;
      }
      sumBelow += t * (double) histogram[t];
      double meanBelow = sumBelow / below;
      double meanAbove = (sumAll - sumBelow) / above;
      double between = (double) below * above * (meanBelow - meanAbove) * (meanBelow - meanAbove);
      if (between > best) {
        best = between;
        threshold = t;
      }
    }
    return threshold;
  }

  /** Coordinates of the ink pixels, as x, y pairs. */
  private static int[] inkPixels(Gray gray, int threshold) {
    int[] pixels = gray.pixels();
    int n = 0;
    for (int p : pixels) {
      if (p <= threshold) {
        n++;
      }
    }
    // A page that is mostly "ink" is a dark photo, not text on paper: no fingerprint.
    if (n > pixels.length / 2) {
      return new int[0];
    }
    int[] ink = new int[2 * n];
    int k = 0;
    for (int i = 0; i < pixels.length; i++) {
      if (pixels[i] <= threshold) {
        ink[k++] = i % gray.width();
        ink[k++] = i / gray.width();
      }
    }
    return ink;
  }

  /** The page's tilt in radians: where the ink's row profile is sharpest. */
  private static double skew(int[] ink, int width, int height) {
    double best = 0;
    double bestScore = -1;
    double step = Math.toRadians(0.5);
    double limit = Math.toRadians(MAX_SKEW_DEGREES);
    for (double angle = -limit; angle <= limit + 1e-9; angle += step) {
      double score = profileSharpness(ink, width, height, angle);
      if (score > bestScore) {
        bestScore = score;
        best = angle;
      }
    }
    double center = best;
    double fine = Math.toRadians(0.1);
    for (double angle = center - step; angle <= center + step + 1e-9; angle += fine) {
      double score = profileSharpness(ink, width, height, angle);
      if (score > bestScore) {
        bestScore = score;
        best = angle;
      }
    }
    return best;
  }

  private static double profileSharpness(int[] ink, int width, int height, double angle) {
    double sin = Math.sin(angle);
    double cos = Math.cos(angle);
    int span = width + height;
    long[] rows = new long[2 * span + 1];
    double cx = width / 2.0;
    double cy = height / 2.0;
    for (int i = 0; i < ink.length; i += 2) {
      double x = ink[i] - cx;
      double y = ink[i + 1] - cy;
      int row = (int) Math.round(y * cos - x * sin) + span;
      rows[row]++;
    }
    double score = 0;
    for (long r : rows) {
      score += (double) r * r;
    }
    return score;
  }

  /** The ink, turned straight and framed by its own extent, counted on the grid (sum 1). */
  private static float[] inkGrid(int[] ink, int width, int height, double angle) {
    int n = ink.length / 2;
    double sin = Math.sin(angle);
    double cos = Math.cos(angle);
    double cx = width / 2.0;
    double cy = height / 2.0;
    double[] xs = new double[n];
    double[] ys = new double[n];
    for (int i = 0; i < n; i++) {
      double x = ink[2 * i] - cx;
      double y = ink[2 * i + 1] - cy;
      xs[i] = x * cos + y * sin;
      ys[i] = y * cos - x * sin;
    }
    // Framed by percentiles, so a speck of dirt in a corner does not move the frame.
    double[] sortedX = xs.clone();
    double[] sortedY = ys.clone();
    Arrays.sort(sortedX);
    Arrays.sort(sortedY);
    double minX = percentile(sortedX, 0.002);
    double maxX = percentile(sortedX, 0.998);
    double minY = percentile(sortedY, 0.002);
    double maxY = percentile(sortedY, 0.998);
    if (maxX - minX < 8 || maxY - minY < 8) {
      return null;
    }
    float[] grid = new float[GRID * GRID];
    int counted = 0;
    for (int i = 0; i < n; i++) {
      int gx = (int) Math.floor((xs[i] - minX) / (maxX - minX) * GRID);
      int gy = (int) Math.floor((ys[i] - minY) / (maxY - minY) * GRID);
      if (gx >= 0 && gx < GRID && gy >= 0 && gy < GRID) {
        grid[gy * GRID + gx]++;
        counted++;
      } else if (gx == GRID || gy == GRID) {
        grid[Math.min(gy, GRID - 1) * GRID + Math.min(gx, GRID - 1)]++;
        counted++;
      }
    }
    for (int i = 0; i < grid.length; i++) {
      grid[i] /= counted;
    }
    return grid;
  }

  private static double percentile(double[] sorted, double p) {
    return sorted[(int) Math.min(sorted.length - 1, Math.round(p * (sorted.length - 1)))];
  }

  // --- hash and comparison --------------------------------------------------------------------

  /** The low 8×8 DCT coefficients of the grid, each compared with their median. */
  private static long hash(float[] grid) {
    double[] coefficients = new double[HASH_SIDE * HASH_SIDE];
    for (int u = 0; u < HASH_SIDE; u++) {
      for (int v = 0; v < HASH_SIDE; v++) {
        double sum = 0;
        for (int y = 0; y < GRID; y++) {
          double rowSum = 0;
          for (int x = 0; x < GRID; x++) {
            rowSum += DCT[v][x] * grid[y * GRID + x];
          }
          sum += DCT[u][y] * rowSum;
        }
        coefficients[u * HASH_SIDE + v] = sum;
      }
    }
    // The DC term is the total ink, the same for every page; it is left out of the median.
    double[] sorted = Arrays.copyOfRange(coefficients, 1, coefficients.length);
    Arrays.sort(sorted);
    double median = (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
    long bits = 0;
    for (int i = 1; i < coefficients.length; i++) {
      if (coefficients[i] > median) {
        bits |= 1L << i;
      }
    }
    return bits;
  }

  private static double[][] dctMatrix(int n) {
    double[][] m = new double[n][n];
    for (int k = 0; k < n; k++) {
      for (int i = 0; i < n; i++) {
        m[k][i] = Math.cos(Math.PI * (i + 0.5) * k / n);
      }
    }
    return m;
  }

  /** A 3×3 box blur, so a one-cell shift of a text line does not read as a different page. */
  private static float[] blur(float[] grid) {
    float[] out = new float[grid.length];
    for (int y = 0; y < GRID; y++) {
      for (int x = 0; x < GRID; x++) {
        float sum = 0;
        int count = 0;
        for (int dy = -1; dy <= 1; dy++) {
          for (int dx = -1; dx <= 1; dx++) {
            int yy = y + dy;
            int xx = x + dx;
            if (yy >= 0 && yy < GRID && xx >= 0 && xx < GRID) {
              sum += grid[yy * GRID + xx];
              count++;
            }
          }
        }
        out[y * GRID + x] = sum / count;
      }
    }
    return out;
  }

  private static double correlation(float[] a, float[] b) {
    double meanA = 0;
    double meanB = 0;
    for (int i = 0; i < a.length; i++) {
      meanA += a[i];
      meanB += b[i];
    }
    meanA /= a.length;
    meanB /= b.length;
    double cov = 0;
    double varA = 0;
    double varB = 0;
    for (int i = 0; i < a.length; i++) {
      double da = a[i] - meanA;
      double db = b[i] - meanB;
      cov += da * db;
      varA += da * da;
      varB += db * db;
    }
    return varA == 0 || varB == 0 ? 0 : cov / Math.sqrt(varA * varB);
  }
}
