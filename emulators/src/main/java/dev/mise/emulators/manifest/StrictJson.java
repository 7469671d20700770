package dev.mise.emulators.manifest;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonPrimitive;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import java.io.IOException;
import java.io.StringReader;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Binds JSON to the manifest's records with no guessing: unknown keys, duplicate keys, nulls and
 * wrong types are errors naming the JSON path ({@code $.functions[0].local.port}). Gson's own
 * binding would skip unknown keys and read {@code "2"} as the number 2, so a typo in the manifest
 * would silently deploy a default. Keys named {@code $comment} are allowed anywhere, for notes.
 */
final class StrictJson {

  private static final String COMMENT_KEY = "$comment";

  /** Types the manifest writes as a string with a grammar of its own. */
  private static final Map<Class<?>, Function<String, Object>> STRING_TYPES =
      Map.of(Trigger.class, Trigger::parse, Access.class, Access::parse);

  private StrictJson() {}

  static <T> T parse(String json, Class<T> type) {
    JsonElement tree;
    try {
      JsonReader reader = new JsonReader(new StringReader(json));
      reader.setStrictness(Strictness.STRICT);
      tree = read(reader);
      if (reader.peek() != JsonToken.END_DOCUMENT) {
        throw new ManifestException("$: unexpected content after the JSON document");
      }
    } catch (IOException | IllegalStateException | JsonParseException e) {
      throw new ManifestException("not valid JSON: " + e.getMessage());
    }
    return type.cast(bind(tree, type, "$"));
  }

  /** Reads a tree like gson's JsonParser, but refuses a key given twice in one object. */
  private static JsonElement read(JsonReader reader) throws IOException {
    switch (reader.peek()) {
      case BEGIN_OBJECT -> {
        JsonObject object = new JsonObject();
        reader.beginObject();
        while (reader.hasNext()) {
          String key = reader.nextName();
          if (object.has(key)) {
            throw new ManifestException(reader.getPath() + ": key given twice");
          }
          object.add(key, read(reader));
        }
        reader.endObject();
        return object;
      }
      case BEGIN_ARRAY -> {
        JsonArray array = new JsonArray();
        reader.beginArray();
        while (reader.hasNext()) {
          array.add(read(reader));
        }
        reader.endArray();
        return array;
      }
      case STRING -> {
        return new JsonPrimitive(reader.nextString());
      }
      case NUMBER -> {
        return new JsonPrimitive(new BigDecimal(reader.nextString()));
      }
      case BOOLEAN -> {
        return new JsonPrimitive(reader.nextBoolean());
      }
      case NULL -> {
        reader.nextNull();
        return JsonNull.INSTANCE;
      }
      default -> throw new ManifestException(reader.getPath() + ": unexpected " + reader.peek());
    }
  }

  private static Object bind(JsonElement json, Type type, String path) {
    if (json.isJsonNull()) {
      throw new ManifestException(path + ": null is not allowed (leave the key out instead)");
    }
    if (type instanceof ParameterizedType generic) {
      Type raw = generic.getRawType();
      Type[] args = generic.getActualTypeArguments();
      if (raw == List.class) {
        return bindList(json, args[0], path);
      }
      if (raw == Map.class && args[0] == String.class) {
        return bindMap(json, args[1], path);
      }
    }
    if (type instanceof Class<?> cls) {
      if (cls.isRecord()) {
        return bindRecord(json, cls, path);
      }
      if (cls == String.class) {
        return string(json, path);
      }
      if (STRING_TYPES.containsKey(cls)) {
        try {
          return STRING_TYPES.get(cls).apply(string(json, path));
        } catch (IllegalArgumentException e) {
          throw new ManifestException(path + ": " + e.getMessage());
        }
      }
      if (cls == Boolean.class) {
        if (json.isJsonPrimitive() && json.getAsJsonPrimitive().isBoolean()) {
          return json.getAsBoolean();
        }
        throw new ManifestException(path + ": must be true or false");
      }
      if (cls == Integer.class || cls == Long.class || cls == Double.class) {
        return number(json, cls, path);
      }
    }
    throw new IllegalStateException("the manifest model uses an unsupported type " + type);
  }

  private static Object bindRecord(JsonElement json, Class<?> cls, String path) {
    if (!json.isJsonObject()) {
      throw new ManifestException(path + ": must be an object");
    }
    JsonObject object = json.getAsJsonObject();
    RecordComponent[] components = cls.getRecordComponents();
    Set<String> known = new TreeSet<>();
    for (RecordComponent component : components) {
      known.add(component.getName());
    }
    for (String key : object.keySet()) {
      if (!known.contains(key) && !key.equals(COMMENT_KEY)) {
        throw new ManifestException(
            path + "." + key + ": unknown key (known here: " + String.join(", ", known) + ")");
      }
    }
    Object[] values = new Object[components.length];
    for (int i = 0; i < components.length; i++) {
      RecordComponent component = components[i];
      JsonElement value = object.get(component.getName());
      values[i] =
          value == null
              ? absent(component.getType())
              : bind(value, component.getGenericType(), path + "." + component.getName());
    }
    try {
      Constructor<?> constructor =
          cls.getDeclaredConstructor(
              Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new));
      return constructor.newInstance(values);
    } catch (InvocationTargetException e) {
      throw new ManifestException(path + ": " + e.getCause().getMessage());
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot construct " + cls, e);
    }
  }

  /** A missing list or map is empty, so the model never holds a null collection. */
  private static Object absent(Class<?> type) {
    if (type == List.class) {
      return List.of();
    }
    if (type == Map.class) {
      return Map.of();
    }
    return null;
  }

  private static List<Object> bindList(JsonElement json, Type element, String path) {
    if (!json.isJsonArray()) {
      throw new ManifestException(path + ": must be an array");
    }
    List<Object> list = new ArrayList<>();
    JsonArray array = json.getAsJsonArray();
    for (int i = 0; i < array.size(); i++) {
      list.add(bind(array.get(i), element, path + "[" + i + "]"));
    }
    return Collections.unmodifiableList(list);
  }

  private static Map<String, Object> bindMap(JsonElement json, Type value, String path) {
    if (!json.isJsonObject()) {
      throw new ManifestException(path + ": must be an object");
    }
    Map<String, Object> map = new LinkedHashMap<>();
    for (Map.Entry<String, JsonElement> entry : json.getAsJsonObject().entrySet()) {
      if (!entry.getKey().equals(COMMENT_KEY)) {
        map.put(entry.getKey(), bind(entry.getValue(), value, path + "." + entry.getKey()));
      }
    }
    return Collections.unmodifiableMap(map);
  }

  private static String string(JsonElement json, String path) {
    if (json.isJsonPrimitive() && json.getAsJsonPrimitive().isString()) {
      return json.getAsString();
    }
    throw new ManifestException(path + ": must be a string");
  }

  private static Object number(JsonElement json, Class<?> type, String path) {
    if (!(json.isJsonPrimitive() && json.getAsJsonPrimitive().isNumber())) {
      throw new ManifestException(path + ": must be a number");
    }
    BigDecimal value = json.getAsBigDecimal();
    try {
      if (type == Integer.class) {
        return value.intValueExact();
      }
      if (type == Long.class) {
        return value.longValueExact();
      }
    } catch (ArithmeticException e) {
      throw new ManifestException(path + ": must be a whole number in range, was " + value);
    }
    return value.doubleValue();
  }
}
