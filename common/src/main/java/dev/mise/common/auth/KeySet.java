package dev.mise.common.auth;

import java.security.PublicKey;
import java.util.Optional;

/** Where a verifier finds the public key a token names in its {@code kid} header. */
@FunctionalInterface
public interface KeySet {
  /**
   * The key with that id.
   *
   * @throws KeysUnavailableException when the keys cannot be fetched now
   */
  Optional<PublicKey> find(String keyId);
}
