package dev.mise.scan.cache;

import dev.mise.common.jobs.JobStore;
import dev.mise.scan.menu.Dietary;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Finds an earlier scan whose result a new one can reuse. Phase 1, exact: the SHA-256 of the
 * decoded photo with the target language and dietary filters ({@code scanCache/<key>}). Phase 2,
 * near-duplicate: a {@link MenuFingerprint} under the same language and filters ({@code
 * scanNearCache/<sessionId>}), looked up by equality on any of its hash bands and decided by the
 * fingerprints' similarity. Both point at a session; the caller reads the menu and pictures from
 * it. Results are shared between users: a menu is public, and so are the generated pictures.
 *
 * <p>The band lookup is a few indexed equality queries, fine for the thousands of menus of one
 * language and filter set; at a larger scale the ink grid is a 1024-dimension vector that Firestore
 * vector search ({@code findNearest}) could rank directly.
 */
public final class ScanCache {

  public static final String EXACT = "scanCache";
  public static final String NEAR = "scanNearCache";
  private static final int CANDIDATES_PER_BAND = 20;

  private final JobStore store;

  public ScanCache(JobStore store) {
    this.store = store;
  }

  /** SHA-256 (hex) of bytes. */
  public static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** What a result depends on besides the photo: target language and dietary filters. */
  public static String filterKey(String targetLanguage, Set<Dietary> dietary) {
    return targetLanguage
        + "|"
        + dietary.stream().map(Dietary::wire).sorted().collect(Collectors.joining(","));
  }

  /** The exact cache's key for a photo under a filter key. */
  public static String requestKey(String imageSha256, String filterKey) {
    return sha256((imageSha256 + "\n" + filterKey).getBytes(StandardCharsets.UTF_8));
  }

  /** The session that answered the same photo under the same filters. */
  public Optional<String> exact(String requestKey) {
    return store.get(EXACT, requestKey).map(doc -> (String) doc.get("sessionId"));
  }

  /** The most similar earlier scan that shows the same page under the same filters. */
  public Optional<String> nearDuplicate(MenuFingerprint photo, String filterKey) {
    Map<String, Map<String, Object>> candidates = new LinkedHashMap<>();
    List<String> bands = photo.bands();
    for (int i = 0; i < bands.size(); i++) {
      for (Map<String, Object> doc :
          store.findEqual(NEAR, "b" + i, filterKey + "|" + bands.get(i), CANDIDATES_PER_BAND)) {
        candidates.putIfAbsent((String) doc.get("sessionId"), doc);
      }
    }
    String best = null;
    double bestSimilarity = MenuFingerprint.SAME_PAGE;
    for (Map<String, Object> doc : candidates.values()) {
      if (!filterKey.equals(doc.get("filter"))) {
        continue;
      }
      MenuFingerprint earlier =
          MenuFingerprint.fromStored(
              ((Number) doc.get("hash")).longValue(), (byte[]) doc.get("grid"));
      double similarity = photo.similarity(earlier);
      if (similarity >= bestSimilarity) {
        bestSimilarity = similarity;
        best = (String) doc.get("sessionId");
      }
    }
    return Optional.ofNullable(best);
  }

  /**
   * Remembers that a session answers this photo (and, with a fingerprint, photos like it), until
   * {@code expireAt} (the session's own expiry: a TTL policy deletes the entries then).
   */
  public void remember(
      String requestKey,
      String sessionId,
      MenuFingerprint fingerprint,
      String filterKey,
      Instant expireAt) {
    store.merge(EXACT, requestKey, Map.of("sessionId", sessionId, "expireAt", expireAt));
    if (fingerprint != null) {
      Map<String, Object> doc = new LinkedHashMap<>();
      doc.put("sessionId", sessionId);
      doc.put("filter", filterKey);
      doc.put("hash", fingerprint.hash());
      doc.put("grid", fingerprint.gridBytes());
      List<String> bands = fingerprint.bands();
      for (int i = 0; i < bands.size(); i++) {
        doc.put("b" + i, filterKey + "|" + bands.get(i));
      }
      doc.put("expireAt", expireAt);
      store.merge(NEAR, sessionId, doc);
    }
  }
}
