package dev.mise.common.blobs;

import com.google.cloud.NoCredentials;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.HttpMethod;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageException;
import com.google.cloud.storage.StorageOptions;
import dev.mise.common.config.Env;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The {@link BlobStore} on a Cloud Storage bucket ({@code ASSETS_BUCKET}); public URLs point at the
 * edge ({@code PUBLIC_BASE_URL}), which serves {@code /assets/<key>} from the bucket. The client is
 * created on first use; {@code STORAGE_EMULATOR_HOST} (a base URL) points it at a local server
 * without credentials.
 *
 * <p>{@link #putIfAbsent} is a single upload with the {@code ifGenerationMatch=0} precondition, so
 * of two racing writers exactly one wins. {@link #signedUrl} signs a V4 GET URL valid for at most 7
 * days; on Cloud Functions the runtime's service account signs through the IAM Credentials API and
 * so needs {@code roles/iam.serviceAccountTokenCreator} on itself.
 */
public final class CloudStorageBlobStore implements BlobStore, AutoCloseable {

  private static final int PRECONDITION_FAILED = 412;
  private static final int NOT_FOUND = 404;

  private final String bucket;
  private final String publicBaseUrl;
  private final Supplier<Storage> factory;
  private Storage storage;

  /** For the runtime: configuration from the process environment. */
  public CloudStorageBlobStore() {
    this(Env.system());
  }

  public CloudStorageBlobStore(Env env) {
    this(
        env.require("ASSETS_BUCKET"),
        env.require("PUBLIC_BASE_URL"),
        clientFactory(env.optional("STORAGE_EMULATOR_HOST")));
  }

  /** With a client of the caller's making (tests: a local server, a key that can sign). */
  CloudStorageBlobStore(String bucket, String publicBaseUrl, Supplier<Storage> factory) {
    this.bucket = bucket;
    this.publicBaseUrl = publicBaseUrl;
    this.factory = factory;
  }

  @Override
  public void put(String key, byte[] data, String contentType) {
    try {
      client().create(info(key, contentType), data);
    } catch (StorageException e) {
      throw failure("write", key, e);
    }
  }

  @Override
  public boolean putIfAbsent(String key, byte[] data, String contentType) {
    try {
      client().create(info(key, contentType), data, Storage.BlobTargetOption.doesNotExist());
      return true;
    } catch (StorageException e) {
      if (e.getCode() == PRECONDITION_FAILED) {
        return false;
      }
      throw failure("write", key, e);
    }
  }

  @Override
  public Optional<Blob> get(String key) {
    try {
      com.google.cloud.storage.Blob blob =
          client().get(BlobId.of(bucket, BlobKeys.requireValid(key)));
      if (blob == null) {
        return Optional.empty();
      }
      return Optional.of(new Blob(key, blob.getContent(), blob.getContentType()));
    } catch (StorageException e) {
      if (e.getCode() == NOT_FOUND) {
        return Optional.empty(); // deleted between the two reads
      }
      throw failure("read", key, e);
    }
  }

  @Override
  public void delete(String key) {
    try {
      client().delete(BlobId.of(bucket, BlobKeys.requireValid(key)));
    } catch (StorageException e) {
      throw failure("delete", key, e);
    }
  }

  @Override
  public String publicUrl(String key) {
    return BlobKeys.publicUrl(publicBaseUrl, key);
  }

  @Override
  public String signedUrl(String key, Duration validFor) {
    Duration validity = BlobKeys.signedUrlValidity(validFor);
    try {
      return client()
          .signUrl(
              BlobInfo.newBuilder(bucket, BlobKeys.requireValid(key)).build(),
              validity.toSeconds(),
              TimeUnit.SECONDS,
              Storage.SignUrlOption.withV4Signature(),
              Storage.SignUrlOption.httpMethod(HttpMethod.GET))
          .toString();
    } catch (StorageException | IllegalStateException e) {
      throw failure("sign a URL for", key, e);
    }
  }

  /** Closes the client, if one was created. */
  @Override
  public synchronized void close() {
    if (storage != null) {
      try {
        storage.close();
      } catch (Exception e) {
        throw new BlobStoreException("closing the Cloud Storage client failed", e);
      } finally {
        storage = null;
      }
    }
  }

  private synchronized Storage client() {
    if (storage == null) {
      storage = factory.get();
    }
    return storage;
  }

  private BlobInfo info(String key, String contentType) {
    return BlobInfo.newBuilder(bucket, BlobKeys.requireValid(key))
        .setContentType(contentType)
        .build();
  }

  private BlobStoreException failure(String what, String key, Exception cause) {
    return new BlobStoreException(
        "Cloud Storage could not " + what + " gs://" + bucket + "/" + key + ": " + cause, cause);
  }

  private static Supplier<Storage> clientFactory(Optional<String> emulatorHost) {
    return () -> {
      StorageOptions.Builder options = StorageOptions.newBuilder();
      emulatorHost.ifPresent(
          host -> options.setHost(host).setCredentials(NoCredentials.getInstance()));
      return options.build().getService();
    };
  }
}
