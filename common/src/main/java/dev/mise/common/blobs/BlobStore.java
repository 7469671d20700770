package dev.mise.common.blobs;

import java.time.Duration;
import java.util.Optional;

/**
 * Port to object storage for uploads and generated assets: a Cloud Storage bucket in the cloud, a
 * directory locally (served by the local stack under {@code /assets/<key>}). Keys are slash paths
 * chosen by the server, never by a client, e.g. {@code gen/<session>/<item>.jpg}.
 */
public interface BlobStore {

  /** Writes (or overwrites) an object. */
  void put(String key, byte[] data, String contentType);

  /**
   * Writes an object only when no object has that key (a generation-0 precondition in Cloud
   * Storage); returns false, changing nothing, when it exists.
   */
  boolean putIfAbsent(String key, byte[] data, String contentType);

  /** Reads an object. */
  Optional<Blob> get(String key);

  /** Deletes an object; a missing one is not an error. */
  void delete(String key);

  /** The object's URL on the public origin: {@code ${PUBLIC_BASE_URL}/assets/<key>}. */
  String publicUrl(String key);

  /** A time-limited read URL (at most 7 days, as Cloud Storage V4 signing allows). */
  String signedUrl(String key, Duration validFor);

  /** An object's bytes and type. */
  record Blob(String key, byte[] data, String contentType) {}
}
