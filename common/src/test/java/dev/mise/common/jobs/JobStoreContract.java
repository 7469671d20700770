package dev.mise.common.jobs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link JobStore} does, run against Firestore (through the emulator) and against the
 * in-memory fake, so the fake cannot drift from the real thing.
 */
abstract class JobStoreContract {

  private static final String RUN = Long.toString(System.nanoTime() % 1_000_000, 36);
  private static final AtomicInteger collections = new AtomicInteger();

  protected String collection;

  protected abstract JobStore store();

  @BeforeEach
  void freshCollection() {
    // Fresh names keep tests apart on a shared emulator.
    collection = "jobs-" + RUN + "-" + collections.incrementAndGet();
  }

  @Test
  void aMissingDocumentIsEmpty() {
    assertEquals(Optional.empty(), store().get(collection, "nope"));
  }

  @Test
  void createdValuesComeBackAsTheStoreKeepsThem() {
    Map<String, Object> fields = new HashMap<>();
    fields.put("text", "héllo");
    fields.put("count", 3);
    fields.put("big", 5_000_000_000L);
    fields.put("ratio", 0.25);
    fields.put("done", true);
    fields.put("nothing", null);
    fields.put("at", Instant.parse("2026-03-04T05:06:07.123456789Z"));
    fields.put("bytes", new byte[] {0, 1, (byte) 0xff});
    fields.put("nested", Map.of("inner", Map.of("n", 1), "when", Instant.EPOCH));
    fields.put("list", List.of("a", 2, Map.of("k", "v")));

    assertTrue(store().create(collection, "j1", fields));
    Map<String, Object> read = store().get(collection, "j1").orElseThrow();

    assertEquals("héllo", read.get("text"));
    assertEquals(3L, read.get("count"));
    assertEquals(5_000_000_000L, read.get("big"));
    assertEquals(0.25, read.get("ratio"));
    assertEquals(true, read.get("done"));
    assertTrue(read.containsKey("nothing"));
    assertEquals(null, read.get("nothing"));
    // Firestore keeps microseconds.
    assertEquals(Instant.parse("2026-03-04T05:06:07.123456Z"), read.get("at"));
    assertArrayEquals(new byte[] {0, 1, (byte) 0xff}, (byte[]) read.get("bytes"));
    assertEquals(Map.of("inner", Map.of("n", 1L), "when", Instant.EPOCH), read.get("nested"));
    assertEquals(List.of("a", 2L, Map.of("k", "v")), read.get("list"));
  }

  @Test
  void createRefusesAnExistingIdAndChangesNothing() {
    assertTrue(store().create(collection, "j1", Map.of("owner", "alice")));
    assertFalse(store().create(collection, "j1", Map.of("owner", "mallory")));
    assertEquals("alice", store().get(collection, "j1").orElseThrow().get("owner"));
  }

  @Test
  void aDottedMergeChangesOneNestedFieldAndKeepsItsSiblings() {
    store()
        .create(
            collection,
            "j1",
            Map.of(
                "status",
                "running",
                "steps",
                Map.of(
                    "ocr", Map.of("status", "queued", "attempt", 1),
                    "clean", Map.of("status", "queued"))));

    store()
        .merge(
            collection,
            "j1",
            Map.of("steps.ocr.status", "done", "steps.ocr.output", Map.of("lines", 12)));

    Map<String, Object> read = store().get(collection, "j1").orElseThrow();
    assertEquals("running", read.get("status"));
    assertEquals(
        Map.of(
            "ocr", Map.of("status", "done", "attempt", 1L, "output", Map.of("lines", 12L)),
            "clean", Map.of("status", "queued")),
        read.get("steps"));
  }

  @Test
  void anUndottedMergeReplacesTheWholeField() {
    store().create(collection, "j1", Map.of("steps", Map.of("ocr", "queued", "clean", "queued")));

    store().merge(collection, "j1", Map.of("steps", Map.of("ocr", "done")));

    assertEquals(Map.of("ocr", "done"), store().get(collection, "j1").orElseThrow().get("steps"));
  }

  @Test
  void mergeCreatesAMissingDocument() {
    store().merge(collection, "j1", Map.of("a.b", "c"));
    assertEquals(Map.of("a", Map.of("b", "c")), store().get(collection, "j1").orElseThrow());
  }

  @Test
  void deleteRemovesADocumentAndToleratesAMissingOne() {
    store().create(collection, "j1", Map.of("x", 1));
    store().delete(collection, "j1");
    store().delete(collection, "never-there");
    assertEquals(Optional.empty(), store().get(collection, "j1"));
  }

  @Test
  void aTransactionSeesTheDocumentAndWritesItsChange() {
    store().create(collection, "j1", Map.of("steps", Map.of("ocr", Map.of("status", "queued"))));

    String before =
        store()
            .transact(
                collection,
                "j1",
                doc -> {
                  @SuppressWarnings("unchecked")
                  Map<String, Object> steps = (Map<String, Object>) doc.orElseThrow().get("steps");
                  @SuppressWarnings("unchecked")
                  String status = (String) ((Map<String, Object>) steps.get("ocr")).get("status");
                  return JobStore.Change.write(
                      Map.of("steps.ocr.status", "running", "steps.ocr.lease", "worker-1"), status);
                });

    assertEquals("queued", before);
    assertEquals(
        Map.of("ocr", Map.of("status", "running", "lease", "worker-1")),
        store().get(collection, "j1").orElseThrow().get("steps"));
  }

  @Test
  void aTransactionWithoutAChangeWritesNothing() {
    boolean existed =
        store().transact(collection, "absent", doc -> JobStore.Change.none(doc.isPresent()));
    assertFalse(existed);
    assertEquals(Optional.empty(), store().get(collection, "absent"));
  }

  @Test
  void anExceptionOfTheTransactionFunctionReachesTheCallerUnchanged() {
    IllegalStateException thrown = new IllegalStateException("lease held by someone else");
    IllegalStateException caught =
        assertThrows(
            IllegalStateException.class,
            () ->
                store()
                    .transact(
                        collection,
                        "j1",
                        doc -> {
                          throw thrown;
                        }));
    assertSame(thrown, caught);
  }

  @Test
  void concurrentIncrementsInTransactionsBothLand() throws Exception {
    store().create(collection, "counter", Map.of("n", 0));
    int writers = 2;
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService threads = Executors.newFixedThreadPool(writers);
    try {
      List<Future<Long>> results = new ArrayList<>();
      for (int i = 0; i < writers; i++) {
        results.add(
            threads.submit(
                () -> {
                  start.await();
                  return store()
                      .transact(
                          collection,
                          "counter",
                          doc -> {
                            long n = (Long) doc.orElseThrow().get("n");
                            return JobStore.Change.write(Map.of("n", n + 1), n + 1);
                          });
                }));
      }
      start.countDown();
      List<Long> seen = new ArrayList<>();
      for (Future<Long> result : results) {
        seen.add(result.get(60, TimeUnit.SECONDS));
      }
      assertEquals(List.of(1L, 2L), seen.stream().sorted().toList());
      assertEquals(2L, store().get(collection, "counter").orElseThrow().get("n"));
    } finally {
      threads.shutdownNow();
    }
  }

  @Test
  void findEqualMatchesAFieldOrANestedFieldWithinOneCollection() {
    store().create(collection, "a", Map.of("owner", "alice", "meta", Map.of("kind", "ocr")));
    store().create(collection, "b", Map.of("owner", "bob", "meta", Map.of("kind", "ocr")));
    store().create(collection, "c", Map.of("owner", "alice", "meta", Map.of("kind", "scan")));
    store().create(collection + "/a/items", "x", Map.of("owner", "alice"));

    List<Map<String, Object>> alices = store().findEqual(collection, "owner", "alice", 10);
    List<Map<String, Object>> ocr = store().findEqual(collection, "meta.kind", "ocr", 10);
    List<Map<String, Object>> one = store().findEqual(collection, "owner", "alice", 1);

    assertEquals(2, alices.size());
    assertTrue(
        alices.stream().allMatch(d -> d.get("owner").equals("alice") && d.containsKey("meta")));
    assertEquals(2, ocr.size());
    assertEquals(1, one.size());
  }

  @Test
  void findEqualComparesInstants() {
    Instant at = Instant.parse("2026-05-06T07:08:09.000001Z");
    store().create(collection, "a", Map.of("at", at));
    store().create(collection, "b", Map.of("at", at.plusSeconds(1)));

    assertEquals(1, store().findEqual(collection, "at", at, 10).size());
  }

  @Test
  void anIdWithASlashIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> store().get(collection, "a/b"));
  }
}
