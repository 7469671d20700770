package dev.mise.common.testing;

import dev.mise.common.jobs.JobStore;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Wraps a {@link JobStore} and counts the document writes that reach it (successful creates,
 * merges, deletes, transactions that wrote), to measure what a flow costs in Firestore writes.
 */
public final class CountingJobStore implements JobStore {
  private final JobStore delegate;
  private final AtomicInteger writes = new AtomicInteger();

  public CountingJobStore(JobStore delegate) {
    this.delegate = delegate;
  }

  /** Writes so far. */
  public int writes() {
    return writes.get();
  }

  /** Starts counting again from zero. */
  public void reset() {
    writes.set(0);
  }

  @Override
  public Optional<Map<String, Object>> get(String collection, String id) {
    return delegate.get(collection, id);
  }

  @Override
  public boolean create(String collection, String id, Map<String, Object> fields) {
    boolean created = delegate.create(collection, id, fields);
    if (created) {
      writes.incrementAndGet();
    }
    return created;
  }

  @Override
  public void merge(String collection, String id, Map<String, Object> fields) {
    writes.incrementAndGet();
    delegate.merge(collection, id, fields);
  }

  @Override
  public void delete(String collection, String id) {
    writes.incrementAndGet();
    delegate.delete(collection, id);
  }

  @Override
  public <T> T transact(
      String collection, String id, Function<Optional<Map<String, Object>>, Change<T>> fn) {
    return delegate.transact(
        collection,
        id,
        doc -> {
          Change<T> change = fn.apply(doc);
          if (change.merge() != null && !change.merge().isEmpty()) {
            writes.incrementAndGet();
          }
          return change;
        });
  }

  @Override
  public List<Map<String, Object>> findEqual(
      String collection, String field, Object value, int limit) {
    return delegate.findEqual(collection, field, value, limit);
  }
}
