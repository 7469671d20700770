package dev.mise.common.blobs;

import dev.mise.common.config.ConfigException;
import dev.mise.common.config.Env;
import java.nio.file.Path;

/** Chooses the {@link BlobStore} the environment asks for. */
public final class BlobStores {

  private BlobStores() {}

  /**
   * {@code ASSETS_DIR} set: a {@link LocalDirectoryBlobStore} there (the local stack); else {@code
   * ASSETS_BUCKET}: a {@link CloudStorageBlobStore}. Both need {@code PUBLIC_BASE_URL}.
   *
   * @throws ConfigException naming the missing variable
   */
  public static BlobStore fromEnv(Env env) {
    String publicBaseUrl = env.require("PUBLIC_BASE_URL");
    return env.optional("ASSETS_DIR")
        .<BlobStore>map(dir -> new LocalDirectoryBlobStore(Path.of(dir), publicBaseUrl))
        .orElseGet(
            () -> {
              if (env.optional("ASSETS_BUCKET").isEmpty()) {
                throw new ConfigException(
                    "ASSETS_BUCKET", "is required (or ASSETS_DIR, for a local directory)");
              }
              return new CloudStorageBlobStore(env);
            });
  }
}
