package dev.mise.common.jobs;

import dev.mise.common.testing.InMemoryJobStore;

/** The in-memory fake meets the same contract as Firestore. */
class InMemoryJobStoreTest extends JobStoreContract {

  private final InMemoryJobStore store = new InMemoryJobStore();

  @Override
  protected JobStore store() {
    return store;
  }
}
