package dev.mise.common.blobs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * The {@link BlobStore} of the local stack: a directory ({@code ASSETS_DIR}) that the stack serves
 * under {@code ${PUBLIC_BASE_URL}/assets/<key>}. Objects are files at their key's path; their
 * content type is kept beside them in {@code .content-types/<key>} (so keys may not start with that
 * folder), and guessed from the extension for files put there by hand.
 *
 * <p>Writes go to a temporary file first and are then moved (or, for {@link #putIfAbsent},
 * hard-linked, which fails when the name exists) into place, so readers never see half an object
 * and two racing {@code putIfAbsent} calls cannot both win.
 *
 * <p>{@link #signedUrl} returns the public URL: the local stack serves every asset publicly, there
 * is nothing to sign with and nobody to keep out on a developer's machine. The requested validity
 * is still checked and capped as in Cloud Storage, so callers meet the same errors.
 */
public final class LocalDirectoryBlobStore implements BlobStore {

  static final String TYPES_DIRECTORY = ".content-types";

  private final Path root;
  private final String publicBaseUrl;

  public LocalDirectoryBlobStore(Path root, String publicBaseUrl) {
    this.root = root.toAbsolutePath().normalize();
    this.publicBaseUrl = publicBaseUrl;
  }

  @Override
  public void put(String key, byte[] data, String contentType) {
    Path target = file(key);
    try {
      Path staged = stage(target, data);
      try {
        Files.move(
            staged, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(staged, target, StandardCopyOption.REPLACE_EXISTING);
      }
      writeType(key, contentType);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write blob " + key, e);
    }
  }

  @Override
  public boolean putIfAbsent(String key, byte[] data, String contentType) {
    Path target = file(key);
    try {
      Path staged = stage(target, data);
      try {
        Files.createLink(target, staged);
      } catch (FileAlreadyExistsException e) {
        return false;
      } catch (UnsupportedOperationException e) {
        // No hard links on this file system: creating the file exclusively is still atomic.
        try {
          Files.write(target, data, StandardOpenOption.CREATE_NEW);
        } catch (FileAlreadyExistsException exists) {
          return false;
        }
      } finally {
        Files.deleteIfExists(staged);
      }
      writeType(key, contentType);
      return true;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write blob " + key, e);
    }
  }

  @Override
  public Optional<Blob> get(String key) {
    Path file = file(key);
    try {
      return Optional.of(new Blob(key, Files.readAllBytes(file), contentType(key)));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read blob " + key, e);
    }
  }

  @Override
  public void delete(String key) {
    try {
      Files.deleteIfExists(file(key));
      Files.deleteIfExists(typeFile(key));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete blob " + key, e);
    }
  }

  @Override
  public String publicUrl(String key) {
    return BlobKeys.publicUrl(publicBaseUrl, key);
  }

  /** The public URL: see the class comment for why nothing is signed locally. */
  @Override
  public String signedUrl(String key, Duration validFor) {
    BlobKeys.signedUrlValidity(validFor);
    return publicUrl(key);
  }

  /** The directory the objects live in. */
  public Path root() {
    return root;
  }

  /** The stored content type of an object, or the one its extension suggests. */
  public String contentType(String key) {
    try {
      return Files.readString(typeFile(key), StandardCharsets.UTF_8).trim();
    } catch (IOException e) {
      return byExtension(key);
    }
  }

  private Path file(String key) {
    BlobKeys.requireValid(key);
    if (key.equals(TYPES_DIRECTORY) || key.startsWith(TYPES_DIRECTORY + "/")) {
      throw new IllegalArgumentException("blob key may not start with " + TYPES_DIRECTORY);
    }
    Path file = root.resolve(key).normalize();
    if (!file.startsWith(root)) {
      throw new IllegalArgumentException("blob key escapes the directory: " + key);
    }
    return file;
  }

  private Path typeFile(String key) {
    return root.resolve(TYPES_DIRECTORY).resolve(key);
  }

  private static Path stage(Path target, byte[] data) throws IOException {
    Files.createDirectories(target.getParent());
    Path staged = Files.createTempFile(target.getParent(), ".staging-", ".tmp");
    Files.write(staged, data);
    return staged;
  }

  private void writeType(String key, String contentType) throws IOException {
    Path typeFile = typeFile(key);
    Files.createDirectories(typeFile.getParent());
    Files.writeString(typeFile, contentType == null ? "" : contentType, StandardCharsets.UTF_8);
  }

  private static String byExtension(String key) {
    String name = key.substring(key.lastIndexOf('/') + 1).toLowerCase(Locale.ROOT);
    String extension = name.contains(".") ? name.substring(name.lastIndexOf('.') + 1) : "";
    return switch (extension) {
      case "jpg", "jpeg" -> "image/jpeg";
      case "png" -> "image/png";
      case "webp" -> "image/webp";
      case "gif" -> "image/gif";
      case "json" -> "application/json";
      case "txt" -> "text/plain; charset=utf-8";
      case "wav" -> "audio/wav";
      case "mp3" -> "audio/mpeg";
      case "mp4" -> "video/mp4";
      case "pdf" -> "application/pdf";
      default -> "application/octet-stream";
    };
  }
}
