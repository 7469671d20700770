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
    int edgePort,
    int portOffset) {

  static StackConfig load(Path emulatorsDir, Map<String, String> env) throws IOException {
    int offset = offset(env);
    JsonObject firebase = read(emulatorsDir.resolve("firebase.json")).getAsJsonObject("emulators");
    JsonObject stack = read(emulatorsDir.resolve("stack.json"));
    return new StackConfig(
        env.getOrDefault("MISE_PROJECT_ID", stack.get("projectId").getAsString()),
        env.getOrDefault("MISE_REGION", stack.get("region").getAsString()),
        port(env, "MISE_FIRESTORE_PORT", firebase, "firestore", offset),
        port(env, "MISE_PUBSUB_PORT", firebase, "pubsub", offset),
        port(env, "MISE_AUTH_PORT", firebase, "auth", offset),
        port(env, "MISE_TASKS_PORT", stack, "tasks", offset),
        port(env, "MISE_GEMINI_PORT", stack, "gemini", offset),
        port(env, "MISE_ASSETS_PORT", stack, "assets", offset),
        port(env, "MISE_EDGE_PORT", stack, "edge", offset),
        offset);
  }

  /** Where a function of the manifest listens: its {@code local.port} plus the offset. */
  int functionPort(int manifestPort) {
    return manifestPort + portOffset;
  }

  String host(int port) {
    return "127.0.0.1:" + port;
  }

  private static int offset(Map<String, String> env) {
    String value = env.getOrDefault("MISE_PORT_OFFSET", "0").trim();
    try {
      return value.isEmpty() ? 0 : Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("MISE_PORT_OFFSET must be a whole number, was " + value);
    }
  }

  private static int port(
      Map<String, String> env, String variable, JsonObject json, String key, int offset) {
    String override = env.get(variable);
    if (override != null && !override.isBlank()) {
      try {
        return Integer.parseInt(override.trim());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(variable + " must be a port number, was " + override);
      }
    }
    return json.getAsJsonObject(key).get("port").getAsInt() + offset;
  }

  private static JsonObject read(Path file) throws IOException {
    return JsonParser.parseString(Files.readString(file)).getAsJsonObject();
  }
}
