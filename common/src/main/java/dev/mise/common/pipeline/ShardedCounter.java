package dev.mise.common.pipeline;

import dev.mise.common.jobs.JobStore;
import dev.mise.common.jobs.JobStore.Change;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntUnaryOperator;

/**
 * Counters for fan-out progress that many workers bump at once. Firestore sustains about one write
 * per second per document, so a counter is spread over {@code shards} documents ({@code
 * <counter>-<shard>}): each increment is a transaction on one shard chosen at random, and a read
 * sums all of them. Use it for "items done / failed" of a batch; per-item state still belongs in
 * per-item documents.
 *
 * <pre>{@code
 * ShardedCounter progress = new ShardedCounter(store, "batchProgress", 8);
 * progress.add(batchId, Map.of("done", 1L));
 * long done = progress.totals(batchId).getOrDefault("done", 0L);
 * }</pre>
 */
public final class ShardedCounter {
  private final JobStore store;
  private final String collection;
  private final int shards;
  private final IntUnaryOperator pick;

  public ShardedCounter(JobStore store, String collection, int shards) {
    this(
        store,
        collection,
        shards,
        n -> java.util.concurrent.ThreadLocalRandom.current().nextInt(n));
  }

  ShardedCounter(JobStore store, String collection, int shards, IntUnaryOperator pick) {
    if (shards < 1) {
      throw new IllegalArgumentException("a counter needs at least one shard");
    }
    this.store = store;
    this.collection = collection;
    this.shards = shards;
    this.pick = pick;
  }

  /** Adds the deltas to one shard, atomically. */
  public void add(String counter, Map<String, Long> deltas) {
    String shard = counter + "-" + pick.applyAsInt(shards);
    store.transact(
        collection,
        shard,
        doc -> {
          Map<String, Object> next = new HashMap<>();
          next.put("counter", counter);
          deltas.forEach((field, delta) -> next.put(field, number(doc, field) + delta));
          return Change.write(next, null);
        });
  }

  /** The sums over all shards. */
  public Map<String, Long> totals(String counter) {
    Map<String, Long> totals = new LinkedHashMap<>();
    for (int i = 0; i < shards; i++) {
      store
          .get(collection, counter + "-" + i)
          .ifPresent(
              doc ->
                  doc.forEach(
                      (field, value) -> {
                        if (value instanceof Number n) {
                          totals.merge(field, n.longValue(), Long::sum);
                        }
                      }));
    }
    return totals;
  }

  private static long number(Optional<Map<String, Object>> doc, String field) {
    return doc.map(d -> d.get(field))
        .filter(Number.class::isInstance)
        .map(v -> ((Number) v).longValue())
        .orElse(0L);
  }
}
