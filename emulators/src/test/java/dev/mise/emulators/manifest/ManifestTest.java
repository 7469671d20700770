package dev.mise.emulators.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ManifestTest {

  @Test
  void appliesDefaultsToEveryFunction() {
    Manifest m = Fixtures.everything();

    FunctionSpec upload = m.requireFunction("ocr-upload");
    assertEquals("1Gi", upload.memory());
    assertEquals("60s", upload.timeout());
    assertEquals(0, upload.minInstances());
    assertEquals(10, upload.maxInstances());
    assertEquals("mise-functions@${project}.iam.gserviceaccount.com", upload.serviceAccount());
    assertFalse(upload.retries());
    // The function's own LOG_LEVEL wins over the default; the defaults come first.
    assertEquals(
        List.of("GOOGLE_CLOUD_PROJECT", "LOG_LEVEL", "STEP_URL", "ALLOWED_TYPES"),
        List.copyOf(upload.env().keySet()));
    assertEquals("debug", upload.env().get("LOG_LEVEL"));

    FunctionSpec export = m.requireFunction("ocr-export");
    assertEquals("exporter@shared-infra-1.iam.gserviceaccount.com", export.serviceAccount());
    assertEquals(Access.API_KEY, export.access());
  }

  @Test
  void typesTriggersAndFillsInfrastructureDefaults() {
    Manifest m = Fixtures.everything();

    assertEquals(new Trigger.Tasks("ocr-steps"), m.requireFunction("ocr-step").trigger());
    assertEquals(new Trigger.PubSub("photos-uploaded"), m.requireFunction("ocr-worker").trigger());
    assertInstanceOf(Trigger.Http.class, m.requireFunction("ocr-status").trigger());
    assertEquals(
        List.of("ocr-worker"),
        m.subscribersOf("photos-uploaded").stream().map(FunctionSpec::name).toList());

    assertEquals(
        List.of(
            "photos-uploaded",
            "jobs-finished",
            "audit",
            "photos-uploaded-dead",
            "jobs-finished-dead"),
        m.allTopics().stream().map(Topic::name).toList());
    assertEquals(7, m.topic("photos-uploaded").orElseThrow().maxDeliveryAttempts());
    assertEquals(5, m.topic("jobs-finished").orElseThrow().maxDeliveryAttempts());
    assertEquals(10, m.subscriptions().get(1).ackDeadlineSeconds());

    Queue ocr = m.queue("ocr-steps").orElseThrow();
    assertEquals(Duration.ofMillis(500), ocr.minBackoffDuration());
    assertEquals(Duration.ofSeconds(60), ocr.maxBackoffDuration());
    Queue plain = m.queue("plain").orElseThrow();
    assertEquals(new Queue("plain", 500.0, 1000, 100, "0.1s", "3600s", 16), plain);

    assertEquals("(default)", m.firestore().database());
    // Absent locations follow the region deploy.sh is given, not the manifest's default.
    assertEquals(null, m.firestore().location());
    assertEquals(null, m.buckets().get(0).location());
    assertEquals("EU", m.buckets().get(1).location());
  }

  @Test
  void resolvesPlaceholdersForTheCloudAndForTheLocalStack() {
    Manifest m = Fixtures.everything();
    FunctionSpec upload = m.requireFunction("ocr-upload");

    Map<String, String> cloud =
        m.resolveEnv(upload, Placeholders.cloud("acme-prod", "us-central1"));
    assertEquals("acme-prod", cloud.get("GOOGLE_CLOUD_PROJECT"));
    assertEquals(
        "https://us-central1-acme-prod.cloudfunctions.net/ocr-step", cloud.get("STEP_URL"));
    assertEquals("image/jpeg,image/png", cloud.get("ALLOWED_TYPES"));

    Map<String, String> local =
        m.resolveEnv(upload, Placeholders.local("demo-mise", "europe-west1"));
    assertEquals("demo-mise", local.get("GOOGLE_CLOUD_PROJECT"));
    assertEquals("http://127.0.0.1:8204", local.get("STEP_URL"));

    Placeholders remapped =
        Placeholders.of(
            "demo-mise", "europe-west1", fn -> "http://127.0.0.1:" + (fn.localPort() + 1000));
    assertEquals("http://127.0.0.1:9204", m.resolveEnv(upload, remapped).get("STEP_URL"));
    assertEquals(
        "mise-functions@demo-mise.iam.gserviceaccount.com",
        m.resolve(upload.serviceAccount(), remapped));
  }

  @Test
  void unknownKeyIsAnErrorNamingItsPath() {
    ManifestException e =
        assertThrows(
            ManifestException.class,
            () -> Manifest.parse(edit(m -> fn(m, 1).addProperty("memroy", "1Gi"))));
    assertTrue(
        e.getMessage()
            .contains("$.functions[1].memroy: unknown key (known here: access, entryPoint"),
        e.getMessage());
  }

  @Test
  void unknownNestedKeyIsAnErrorNamingItsPath() {
    ManifestException e =
        assertThrows(
            ManifestException.class,
            () ->
                Manifest.parse(
                    edit(m -> fn(m, 0).getAsJsonObject("local").addProperty("host", "x"))));
    assertEquals(
        List.of("$.functions[0].local.host: unknown key (known here: port)"), e.problems());
  }

  @Test
  void aNumberWrittenAsAStringIsNotANumber() {
    ManifestException e =
        assertThrows(
            ManifestException.class,
            () -> Manifest.parse(edit(m -> fn(m, 0).addProperty("maxInstances", "2"))));
    assertEquals(List.of("$.functions[0].maxInstances: must be a number"), e.problems());
  }

  @Test
  void aFractionIsNotAnInteger() {
    ManifestException e =
        assertThrows(
            ManifestException.class,
            () -> Manifest.parse(edit(m -> fn(m, 0).addProperty("maxInstances", 2.5))));
    assertTrue(e.getMessage().contains("$.functions[0].maxInstances: must be a whole number"));
  }

  @Test
  void aKeyGivenTwiceIsAnError() {
    String json =
        Fixtures.everythingJson()
            .replace("\"memory\": \"1Gi\",", "\"memory\": \"1Gi\", \"memory\": \"2Gi\",");
    ManifestException e = assertThrows(ManifestException.class, () -> Manifest.parse(json));
    assertTrue(e.getMessage().contains("$.functions[0].memory: key given twice"), e.getMessage());
  }

  @Test
  void nullIsNotAllowed() {
    ManifestException e =
        assertThrows(
            ManifestException.class,
            () ->
                Manifest.parse(
                    edit(m -> fn(m, 0).add("memory", com.google.gson.JsonNull.INSTANCE))));
    assertTrue(e.getMessage().contains("$.functions[0].memory: null is not allowed"));
  }

  @Test
  void trailingCommasAndCommentsAreNotJson() {
    assertThrows(ManifestException.class, () -> Manifest.parse("{\"functions\": [],}"));
    assertThrows(ManifestException.class, () -> Manifest.parse("// hi\n{}"));
  }

  static Stream<Arguments> invalidManifests() {
    return Stream.of(
        Arguments.of(
            "duplicate function name",
            (Consumer<JsonObject>) m -> fn(m, 1).addProperty("name", "ocr-upload"),
            "$.functions[1].name: another function is already named 'ocr-upload'"),
        Arguments.of(
            "duplicate local port",
            (Consumer<JsonObject>) m -> fn(m, 2).getAsJsonObject("local").addProperty("port", 8201),
            "$.functions[2].local.port: 8201 is already used by ocr-upload"),
        Arguments.of(
            "unknown topic",
            (Consumer<JsonObject>) m -> fn(m, 4).addProperty("trigger", "pubsub:nope"),
            "$.functions[4].trigger: topic 'nope' is not declared in $.topics"),
        Arguments.of(
            "unknown queue",
            (Consumer<JsonObject>) m -> fn(m, 3).addProperty("trigger", "tasks:nope"),
            "$.functions[3].trigger: queue 'nope' is not declared in $.queues"),
        Arguments.of(
            "malformed trigger",
            (Consumer<JsonObject>) m -> fn(m, 3).addProperty("trigger", "cron"),
            "$.functions[3].trigger: must be 'http', 'pubsub:<topic>' or 'tasks:<queue>', was 'cron'"),
        Arguments.of(
            "unknown access",
            (Consumer<JsonObject>) m -> fn(m, 0).addProperty("access", "admin"),
            "$.functions[0].access: must be one of public, user, api-key, internal, was 'admin'"),
        Arguments.of(
            "path without slash",
            (Consumer<JsonObject>) m -> route(m, 0).addProperty("path", "api/ocr"),
            "$.functions[0].routes[0].path: must start with / and name a resource"),
        Arguments.of(
            "empty segment",
            (Consumer<JsonObject>) m -> route(m, 0).addProperty("path", "/api//ocr"),
            "$.functions[0].routes[0].path: segment '' is neither a literal nor a {parameter}"),
        Arguments.of(
            "bad parameter",
            (Consumer<JsonObject>) m -> route(m, 0).addProperty("path", "/api/{1x}"),
            "$.functions[0].routes[0].path: segment '{1x}' is neither a literal nor a {parameter}"),
        Arguments.of(
            "same route, other parameter name",
            (Consumer<JsonObject>)
                m -> {
                  route(m, 2).addProperty("path", "/api/ocr/status/{id}");
                  route(m, 2).addProperty("method", "GET");
                },
            "$.functions[2].routes[0]: GET /api/ocr/status/{id} is already routed to ocr-status"),
        Arguments.of(
            "unknown method",
            (Consumer<JsonObject>) m -> route(m, 0).addProperty("method", "get"),
            "$.functions[0].routes[0].method: must be one of DELETE, GET"),
        Arguments.of(
            "internal with a route",
            (Consumer<JsonObject>) m -> fn(m, 3).add("routes", fn(m, 0).get("routes")),
            "$.functions[3].routes: must be empty: internal functions are not reachable from the edge"),
        Arguments.of(
            "user function without a route",
            (Consumer<JsonObject>) m -> fn(m, 0).add("routes", new JsonArray()),
            "$.functions[0].routes: is empty: a user function needs a route"),
        Arguments.of(
            "public pubsub function",
            (Consumer<JsonObject>) m -> fn(m, 4).addProperty("access", "public"),
            "$.functions[4].access: must be internal for a pubsub:photos-uploaded trigger"),
        Arguments.of(
            "url of an unknown function",
            (Consumer<JsonObject>) m -> env(m, 0).addProperty("NEXT", "${url:nope}/x"),
            "$.functions[0].env.NEXT: ${url:nope} names no function of this manifest"),
        Arguments.of(
            "unknown placeholder",
            (Consumer<JsonObject>) m -> env(m, 0).addProperty("NEXT", "${zone}"),
            "$.functions[0].env.NEXT: unknown placeholder ${zone}"),
        Arguments.of(
            "unclosed placeholder",
            (Consumer<JsonObject>) m -> env(m, 0).addProperty("NEXT", "${project"),
            "$.functions[0].env.NEXT: has '${' without a closing '}'"),
        Arguments.of(
            "reserved variable",
            (Consumer<JsonObject>) m -> env(m, 0).addProperty("PORT", "9000"),
            "$.functions[0].env.PORT: is reserved by Cloud Functions"),
        Arguments.of(
            "an emulator switch",
            (Consumer<JsonObject>)
                m -> env(m, 0).addProperty("FIREBASE_AUTH_EMULATOR_HOST", "127.0.0.1:9099"),
            "$.functions[0].env.FIREBASE_AUTH_EMULATOR_HOST: is set by the local stack only"),
        Arguments.of(
            "a stand-in's address",
            (Consumer<JsonObject>)
                m -> env(m, 0).addProperty("GOOGLE_GEMINI_BASE_URL", "http://127.0.0.1:8124"),
            "$.functions[0].env.GOOGLE_GEMINI_BASE_URL: is set by the local stack only"),
        Arguments.of(
            "lower-case variable",
            (Consumer<JsonObject>) m -> env(m, 0).addProperty("next", "x"),
            "$.functions[0].env.next: is not an environment variable name"),
        Arguments.of(
            "url in a service account",
            (Consumer<JsonObject>) m -> fn(m, 0).addProperty("serviceAccount", "${url:ocr-step}"),
            "$.functions[0].serviceAccount: may only use ${project} and ${region}"),
        Arguments.of(
            "memory in MB",
            (Consumer<JsonObject>) m -> fn(m, 0).addProperty("memory", "512MB"),
            "$.functions[0].memory: must look like 256Mi or 1Gi"),
        Arguments.of(
            "too much memory",
            (Consumer<JsonObject>) m -> fn(m, 0).addProperty("memory", "64Gi"),
            "$.functions[0].memory: must be between 128Mi and 32Gi"),
        Arguments.of(
            "timeout in minutes",
            (Consumer<JsonObject>) m -> fn(m, 0).addProperty("timeout", "1m"),
            "$.functions[0].timeout: must be whole seconds like 60s"),
        Arguments.of(
            "event timeout over 540s",
            (Consumer<JsonObject>) m -> fn(m, 4).addProperty("timeout", "600s"),
            "$.functions[4].timeout: must be between 1s and 540s for this trigger"),
        Arguments.of(
            "min above max",
            (Consumer<JsonObject>) m -> fn(m, 1).addProperty("minInstances", 5),
            "$.functions[1].minInstances: (5) is larger than maxInstances (3)"),
        Arguments.of(
            "retry on http",
            (Consumer<JsonObject>) m -> fn(m, 0).addProperty("retry", true),
            "$.functions[0].retry: only applies to pubsub triggers"),
        Arguments.of(
            "secret without version",
            (Consumer<JsonObject>)
                m ->
                    fn(m, 0)
                        .getAsJsonObject("secrets")
                        .addProperty("GEMINI_API_KEY", "gemini-api-key"),
            "$.functions[0].secrets.GEMINI_API_KEY: must be secret-name:version"),
        Arguments.of(
            "secret also in env",
            (Consumer<JsonObject>) m -> env(m, 0).addProperty("GEMINI_API_KEY", "x"),
            "$.functions[0].secrets.GEMINI_API_KEY: is also set in env"),
        Arguments.of(
            "backoff in minutes",
            (Consumer<JsonObject>) m -> queue(m, 0).addProperty("minBackoff", "1m"),
            "$.queues[0].minBackoff: must be seconds like 0.5s or 30s"),
        Arguments.of(
            "min backoff above max",
            (Consumer<JsonObject>) m -> queue(m, 0).addProperty("minBackoff", "61s"),
            "$.queues[0].minBackoff: is longer than maxBackoff"),
        Arguments.of(
            "subscription on unknown topic",
            (Consumer<JsonObject>)
                m ->
                    m.getAsJsonArray("subscriptions")
                        .get(0)
                        .getAsJsonObject()
                        .addProperty("topic", "nope"),
            "$.subscriptions[0].topic: 'nope' is not a declared topic or dead-letter topic"),
        Arguments.of(
            "delivery attempts out of range",
            (Consumer<JsonObject>)
                m ->
                    m.getAsJsonArray("topics")
                        .get(0)
                        .getAsJsonObject()
                        .addProperty("maxDeliveryAttempts", 200),
            "$.topics[0].maxDeliveryAttempts: must be between 5 and 100, was 200"),
        Arguments.of(
            "index field with two kinds",
            (Consumer<JsonObject>)
                m ->
                    m.getAsJsonObject("firestore")
                        .getAsJsonArray("indexes")
                        .get(0)
                        .getAsJsonObject()
                        .getAsJsonArray("fields")
                        .get(0)
                        .getAsJsonObject()
                        .addProperty("arrayConfig", "contains"),
            "$.firestore.indexes[0].fields[0]: needs exactly one of order, arrayConfig, vectorDimension"),
        Arguments.of(
            "bucket name with a url",
            (Consumer<JsonObject>)
                m ->
                    m.getAsJsonArray("buckets")
                        .get(0)
                        .getAsJsonObject()
                        .addProperty("name", "${url:ocr-step}"),
            "$.buckets[0].name: may only use ${project} and ${region}"),
        Arguments.of(
            "no functions",
            (Consumer<JsonObject>) m -> m.add("functions", new JsonArray()),
            "$.functions: lists no function"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidManifests")
  void rejectsWithAProblemNamingThePath(String why, Consumer<JsonObject> edit, String expected) {
    ManifestException e = assertThrows(ManifestException.class, () -> Manifest.parse(edit(edit)));
    assertTrue(
        e.problems().stream().anyMatch(p -> p.startsWith(expected)),
        () -> "expected a problem starting with\n  " + expected + "\ngot\n  " + e.problems());
  }

  @Test
  void reportsEveryProblemAtOnce() {
    ManifestException e =
        assertThrows(
            ManifestException.class,
            () ->
                Manifest.parse(
                    edit(
                        m -> {
                          fn(m, 0).addProperty("memory", "lots");
                          fn(m, 1).addProperty("timeout", "soon");
                          m.getAsJsonObject("defaults").remove("region");
                        })));
    assertEquals(
        List.of(
            "$.defaults.region: is required",
            "$.functions[0].memory: must look like 256Mi or 1Gi",
            "$.functions[1].timeout: must be whole seconds like 60s"),
        e.problems());
  }

  /** The fixture with {@code change} applied, as JSON text. */
  private static String edit(Consumer<JsonObject> change) {
    JsonObject manifest = JsonParser.parseString(Fixtures.everythingJson()).getAsJsonObject();
    change.accept(manifest);
    return manifest.toString();
  }

  private static JsonObject fn(JsonObject manifest, int index) {
    return manifest.getAsJsonArray("functions").get(index).getAsJsonObject();
  }

  private static JsonObject route(JsonObject manifest, int fn) {
    return fn(manifest, fn).getAsJsonArray("routes").get(0).getAsJsonObject();
  }

  private static JsonObject env(JsonObject manifest, int fn) {
    JsonObject function = fn(manifest, fn);
    if (!function.has("env")) {
      function.add("env", new JsonObject());
    }
    return function.getAsJsonObject("env");
  }

  private static JsonObject queue(JsonObject manifest, int index) {
    return manifest.getAsJsonArray("queues").get(index).getAsJsonObject();
  }
}
