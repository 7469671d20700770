package dev.mise.emulators.stack;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where the local stack listens: Google's emulators from {@code emulators/firebase.json}, our
 * stand-ins and the edge from {@code emulators/stack.json}, each overridable by an environment
 * variable ({@code MISE_FIRESTORE_PORT}, {@code MISE_PUBSUB_PORT}, {@code MISE_TASKS_PORT}, {@code
 * MISE_GEMINI_PORT}, {@code MISE_ASSETS_PORT}, {@code MISE_EDGE_PORT}, {@code MISE_PROJECT_ID}).
 */
record StackConfig(
    String projectId,
    String region,
    int firestorePort,
    int pubsubPort,
    int authPort,
    int tasksPort,
    int geminiPort,
    int assetsPort,
    int edgePort) {

  static StackConfig load(Path emulatorsDir, Map<String, String> env) throws IOException {
    JsonObject firebase = read(emulatorsDir.resolve("firebase.json")).getAsJsonObject("emulators");
    JsonObject stack = read(emulatorsDir.resolve("stack.json"));
    return new StackConfig(
        env.getOrDefault("MISE_PROJECT_ID", stack.get("projectId").getAsString()),
        env.getOrDefault("MISE_REGION", stack.get("region").getAsString()),
        port(env, "MISE_FIRESTORE_PORT", firebase, "firestore"),
        port(env, "MISE_PUBSUB_PORT", firebase, "pubsub"),
        port(env, "MISE_AUTH_PORT", firebase, "auth"),
        port(env, "MISE_TASKS_PORT", stack, "tasks"),
        port(env, "MISE_GEMINI_PORT", stack, "gemini"),
        port(env, "MISE_ASSETS_PORT", stack, "assets"),
        port(env, "MISE_EDGE_PORT", stack, "edge"));
  }

  String host(int port) {
    return "127.0.0.1:" + port;
  }

  private static int port(Map<String, String> env, String variable, JsonObject json, String key) {
    String override = env.get(variable);
    if (override != null && !override.isBlank()) {
      try {
        return Integer.parseInt(override.trim());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(variable + " must be a port number, was " + override);
      }
    }
    return json.getAsJsonObject(key).get("port").getAsInt();
  }

  private static JsonObject read(Path file) throws IOException {
    return JsonParser.parseString(Files.readString(file)).getAsJsonObject();
  }
}
