package dev.mise.common.testing;

import dev.mise.common.blobs.BlobKeys;
import dev.mise.common.blobs.BlobStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A {@link BlobStore} in memory, for unit tests, with the real stores' key rules. Public URLs use
 * the given base; a signed URL is the public URL with {@code ?expiresIn=<seconds>} (already capped
 * at 7 days), so tests can see the lifetime asked for.
 */
public final class InMemoryBlobStore implements BlobStore {

  private final String publicBaseUrl;
  private final Map<String, Blob> blobs = new TreeMap<>();

  public InMemoryBlobStore() {
    this("https://mise.test");
  }

  public InMemoryBlobStore(String publicBaseUrl) {
    this.publicBaseUrl = publicBaseUrl;
  }

  @Override
  public synchronized void put(String key, byte[] data, String contentType) {
    blobs.put(BlobKeys.requireValid(key), new Blob(key, data.clone(), contentType));
  }

  @Override
  public synchronized boolean putIfAbsent(String key, byte[] data, String contentType) {
    if (blobs.containsKey(BlobKeys.requireValid(key))) {
      return false;
    }
    put(key, data, contentType);
    return true;
  }

  @Override
  public synchronized Optional<Blob> get(String key) {
    return Optional.ofNullable(blobs.get(BlobKeys.requireValid(key)))
        .map(blob -> new Blob(blob.key(), blob.data().clone(), blob.contentType()));
  }

  @Override
  public synchronized void delete(String key) {
    blobs.remove(BlobKeys.requireValid(key));
  }

  @Override
  public String publicUrl(String key) {
    return BlobKeys.publicUrl(publicBaseUrl, key);
  }

  @Override
  public String signedUrl(String key, Duration validFor) {
    return publicUrl(key) + "?expiresIn=" + BlobKeys.signedUrlValidity(validFor).toSeconds();
  }

  /** Every key stored, sorted. */
  public synchronized List<String> keys() {
    return List.copyOf(blobs.keySet());
  }
}
