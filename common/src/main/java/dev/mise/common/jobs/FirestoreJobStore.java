package dev.mise.common.jobs;

import com.google.api.core.ApiFuture;
import com.google.api.gax.rpc.ApiException;
import com.google.api.gax.rpc.StatusCode;
import com.google.cloud.firestore.DocumentReference;
import com.google.cloud.firestore.DocumentSnapshot;
import com.google.cloud.firestore.FieldPath;
import com.google.cloud.firestore.Firestore;
import com.google.cloud.firestore.FirestoreException;
import com.google.cloud.firestore.FirestoreOptions;
import com.google.cloud.firestore.QueryDocumentSnapshot;
import com.google.cloud.firestore.SetOptions;
import com.google.cloud.firestore.TransactionOptions;
import dev.mise.common.config.Env;
import io.grpc.Status;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The {@link JobStore} on Firestore (native mode, the project's {@code (default)} database). The
 * project comes from {@code GOOGLE_CLOUD_PROJECT}; with {@code FIRESTORE_EMULATOR_HOST} set the
 * client talks to the emulator instead (plaintext, no credentials). The client is created on first
 * use and kept for the instance's life.
 *
 * <p>Values: whole numbers come back as {@code Long}, fractions as {@code Double}, times as {@code
 * Instant} (truncated to microseconds), bytes as {@code byte[]}. A merge key is a field path whose
 * value replaces that field; dots reach into nested maps ({@code "steps.ocr.status"}) and leave
 * their siblings alone. Paths in one merge must not overlap ({@code "a"} with {@code "a.b"}).
 */
public final class FirestoreJobStore implements JobStore, AutoCloseable {

  /** Every call waits at most this long; Firestore answers in milliseconds when healthy. */
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  /** Enough attempts for a handful of writers on one document (the pipeline's pattern). */
  private static final TransactionOptions TRANSACTIONS =
      TransactionOptions.createReadWriteOptionsBuilder().setNumberOfAttempts(10).build();

  private final Supplier<Firestore> factory;
  private Firestore firestore;

  /** For the runtime: configuration from the process environment. */
  public FirestoreJobStore() {
    this(Env.system());
  }

  /** Configuration from {@code env}: the project and, when set, the emulator's host. */
  public FirestoreJobStore(Env env) {
    String projectId = env.projectId();
    Optional<String> emulatorHost = env.optional("FIRESTORE_EMULATOR_HOST");
    this.factory =
        () -> {
          FirestoreOptions.Builder options = FirestoreOptions.newBuilder().setProjectId(projectId);
          emulatorHost.ifPresent(options::setEmulatorHost);
          return options.build().getService();
        };
  }

  @Override
  public Optional<Map<String, Object>> get(String collection, String id) {
    DocumentSnapshot snapshot = await(document(collection, id).get(), "read", collection, id);
    return dataOf(snapshot);
  }

  @Override
  public boolean create(String collection, String id, Map<String, Object> fields) {
    @SuppressWarnings("unchecked")
    Map<String, Object> data = (Map<String, Object>) FirestoreValues.toFirestore(fields);
    try {
      document(collection, id).create(data).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (ExecutionException e) {
      if (isAlreadyExists(e.getCause())) {
        return false;
      }
      throw failure("create", collection, id, e.getCause());
    } catch (TimeoutException e) {
      throw failure("create", collection, id, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw failure("create", collection, id, e);
    }
  }

  @Override
  public void merge(String collection, String id, Map<String, Object> fields) {
    if (fields.isEmpty()) {
      return;
    }
    FirestoreValues.Merge merge = FirestoreValues.merge(fields);
    await(
        document(collection, id).set(merge.data(), SetOptions.mergeFieldPaths(merge.mask())),
        "merge",
        collection,
        id);
  }

  @Override
  public void delete(String collection, String id) {
    await(document(collection, id).delete(), "delete", collection, id);
  }

  @Override
  public <T> T transact(
      String collection, String id, Function<Optional<Map<String, Object>>, Change<T>> fn) {
    DocumentReference document = document(collection, id);
    ApiFuture<T> outcome =
        client()
            .runTransaction(
                transaction -> {
                  DocumentSnapshot snapshot = transaction.get(document).get();
                  Change<T> change;
                  try {
                    change = fn.apply(dataOf(snapshot));
                  } catch (RuntimeException e) {
                    throw new CallerFailure(e);
                  }
                  if (change.merge() != null && !change.merge().isEmpty()) {
                    FirestoreValues.Merge merge = FirestoreValues.merge(change.merge());
                    transaction.set(
                        document, merge.data(), SetOptions.mergeFieldPaths(merge.mask()));
                  }
                  return change.result();
                },
                TRANSACTIONS);
    try {
      return outcome.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      // The caller's own exception goes back to the caller unchanged.
      for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
        if (cause instanceof CallerFailure failure) {
          throw failure.original;
        }
      }
      throw failure("transaction on", collection, id, e.getCause());
    } catch (TimeoutException e) {
      throw failure("transaction on", collection, id, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw failure("transaction on", collection, id, e);
    }
  }

  @Override
  public List<Map<String, Object>> findEqual(
      String collection, String field, Object value, int limit) {
    List<QueryDocumentSnapshot> documents =
        await(
                client()
                    .collection(collection)
                    .whereEqualTo(
                        FieldPath.of(FieldPaths.split(field)), FirestoreValues.toFirestore(value))
                    .limit(limit)
                    .get(),
                "query",
                collection,
                field)
            .getDocuments();
    List<Map<String, Object>> found = new ArrayList<>(documents.size());
    for (QueryDocumentSnapshot document : documents) {
      found.add(FirestoreValues.fromFirestoreMap(document.getData()));
    }
    return found;
  }

  /** Closes the client, if one was created. */
  @Override
  public synchronized void close() {
    if (firestore != null) {
      try {
        firestore.close();
      } catch (Exception e) {
        throw new JobStoreException("closing the Firestore client failed", e);
      } finally {
        firestore = null;
      }
    }
  }

  private synchronized Firestore client() {
    if (firestore == null) {
      firestore = factory.get();
    }
    return firestore;
  }

  private DocumentReference document(String collection, String id) {
    if (id == null || id.isEmpty() || id.contains("/")) {
      throw new IllegalArgumentException("invalid document id: '" + id + "'");
    }
    return client().collection(collection).document(id);
  }

  private static Optional<Map<String, Object>> dataOf(DocumentSnapshot snapshot) {
    return snapshot.exists()
        ? Optional.of(FirestoreValues.fromFirestoreMap(snapshot.getData()))
        : Optional.empty();
  }

  private static <T> T await(ApiFuture<T> future, String what, String collection, String id) {
    try {
      return future.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw failure(what, collection, id, e.getCause());
    } catch (TimeoutException e) {
      throw failure(what, collection, id, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw failure(what, collection, id, e);
    }
  }

  private static boolean isAlreadyExists(Throwable error) {
    if (error instanceof ApiException api) {
      return api.getStatusCode().getCode() == StatusCode.Code.ALREADY_EXISTS;
    }
    if (error instanceof FirestoreException firestore && firestore.getStatus() != null) {
      return firestore.getStatus().getCode() == Status.Code.ALREADY_EXISTS;
    }
    return false;
  }

  private static JobStoreException failure(
      String what, String collection, String id, Throwable cause) {
    return new JobStoreException(
        "Firestore " + what + " " + collection + "/" + id + " failed: " + cause, cause);
  }

  /** Carries an exception of the caller's function out of the transaction, untouched. */
  private static final class CallerFailure extends RuntimeException {
    private final RuntimeException original;

    CallerFailure(RuntimeException original) {
      super(original);
      this.original = original;
    }
  }
}
