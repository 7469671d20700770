package dev.mise.emulators.gemini;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Stable embeddings by feature hashing: every word (and every pair of neighbouring words) adds ±1
 * at a hashed position, and the vector is L2-normalised. The same text always gives the same
 * vector, and texts sharing words are closer than texts that do not, which is what
 * nearest-neighbour code needs to be tested against.
 */
final class HashedEmbeddings {

  private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}]+");

  private HashedEmbeddings() {}

  static float[] of(String text, int dimensions) {
    float[] vector = new float[dimensions];
    Matcher words = WORD.matcher(text.toLowerCase(Locale.ROOT));
    String previous = null;
    while (words.find()) {
      String word = words.group();
      add(vector, word);
      if (previous != null) {
        add(vector, previous + " " + word);
      }
      previous = word;
    }
    double norm = 0;
    for (float value : vector) {
      norm += value * value;
    }
    if (norm == 0) {
      // No words at all: a fixed unit vector, so the answer is still a valid embedding.
      vector[0] = 1;
      return vector;
    }
    float scale = (float) (1 / Math.sqrt(norm));
    for (int i = 0; i < dimensions; i++) {
      vector[i] *= scale;
    }
    return vector;
  }

  private static void add(float[] vector, String feature) {
    long hash = fnv1a(feature.getBytes(StandardCharsets.UTF_8));
    int index = (int) Long.remainderUnsigned(hash, vector.length);
    vector[index] += (hash >>> 63) == 0 ? 1 : -1;
  }

  /** 64-bit FNV-1a: well spread, so a feature's position and sign are independent. */
  private static long fnv1a(byte[] data) {
    long hash = 0xcbf29ce484222325L;
    for (byte b : data) {
      hash ^= b & 0xff;
      hash *= 0x100000001b3L;
    }
    return hash;
  }
}
