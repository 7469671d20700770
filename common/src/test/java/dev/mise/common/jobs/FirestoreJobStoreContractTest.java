package dev.mise.common.jobs;

import dev.mise.common.config.Env;
import dev.mise.emulators.google.SharedEmulators;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;

/** {@link FirestoreJobStore} through the real client against gcloud's Firestore emulator. */
@Tag("emulator")
class FirestoreJobStoreContractTest extends JobStoreContract {

  private static FirestoreJobStore store;

  @BeforeAll
  static void connect() {
    store =
        new FirestoreJobStore(
            new Env(
                Map.of(
                    "GOOGLE_CLOUD_PROJECT",
                    "demo-jobstore-test",
                    "FIRESTORE_EMULATOR_HOST",
                    SharedEmulators.firestore().host())));
  }

  @AfterAll
  static void disconnect() throws Exception {
    store.close();
  }

  @Override
  protected JobStore store() {
    return store;
  }
}
