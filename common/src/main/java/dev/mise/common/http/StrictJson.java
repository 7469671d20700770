package dev.mise.common.http;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import com.google.gson.Strictness;
import com.google.gson.TypeAdapter;
import com.google.gson.annotations.SerializedName;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import com.google.gson.stream.JsonWriter;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Strict JSON for untrusted input (request bodies, model output): the syntax must be strict JSON
 * with no duplicate keys, and the document must fit the target type exactly. Unknown fields, wrong
 * types, out-of-range numbers and missing required fields (all but {@link OptionalField}) are
 * reported together, each with a JSON pointer, in one {@link JsonBindingException}. Records are
 * built through their canonical constructor, so a record that validates itself there reports its
 * complaint at its own pointer. Names follow {@link SerializedName} as gson does.
 *
 * <p>Supported targets: records, classes with a no-argument constructor, {@code String}, {@code
 * boolean}, integral and floating numbers, {@code BigDecimal}, enums, {@code Instant} (ISO-8601),
 * {@code List}, {@code Set}, {@code Map<String, T>} and gson's {@code JsonElement} types.
 *
 * <pre>{@code
 * record Rename(String name, @OptionalField String note) {}
 * Rename r = StrictJson.parse("{\"name\":\"x\"}", Rename.class); // throws on {"nmae":"x"}
 * }</pre>
 */
public final class StrictJson {

  private static final int MAX_ERRORS = 50;

  private static final Gson GSON =
      new GsonBuilder()
          .disableHtmlEscaping()
          .registerTypeAdapter(Instant.class, new InstantAdapter().nullSafe())
          .create();

  private StrictJson() {}

  /** A gson for writing responses and stored JSON (records, {@code Instant} as ISO-8601). */
  public static Gson gson() {
    return GSON;
  }

  /** Serializes a value with {@link #gson()}. */
  public static String write(Object value) {
    return GSON.toJson(value);
  }

  /** Parses and binds a document. */
  public static <T> T parse(String json, Class<T> type) throws JsonBindingException {
    return type.cast(parse(new StringReader(json), (Type) type));
  }

  /** Parses and binds a document to a possibly generic type. */
  public static Object parse(Reader json, Type type) throws JsonBindingException {
    return bind(parseTree(json), type);
  }

  /** Parses strict JSON into a tree, refusing duplicate keys and trailing data. */
  public static JsonElement parseTree(Reader json) throws JsonBindingException {
    JsonReader reader = new JsonReader(json);
    reader.setStrictness(Strictness.STRICT);
    try {
      JsonElement tree = readValue(reader);
      boolean trailing;
      try {
        trailing = reader.peek() != JsonToken.END_DOCUMENT;
      } catch (IOException e) {
        trailing = true; // strict mode refuses a second top-level value as malformed
      }
      if (trailing) {
        throw syntax(reader, "unexpected data after the JSON value");
      }
      return tree;
    } catch (JsonBindingException e) {
      throw e;
    } catch (IOException | IllegalStateException | NumberFormatException e) {
      throw syntax(reader, cleanMessage(e));
    }
  }

  /** Binds an already parsed tree to a type. */
  @SuppressWarnings("unchecked")
  public static <T> T bind(JsonElement tree, Class<T> type) throws JsonBindingException {
    return (T) bind(tree, (Type) type);
  }

  /** Binds an already parsed tree to a possibly generic type. */
  public static Object bind(JsonElement tree, Type type) throws JsonBindingException {
    Binder binder = new Binder();
    Object value = binder.value(tree, type, "", true);
    if (!binder.errors.isEmpty()) {
      throw new JsonBindingException("JSON does not match " + typeName(type), binder.errors);
    }
    return value;
  }

  private static JsonElement readValue(JsonReader reader) throws IOException, JsonBindingException {
    switch (reader.peek()) {
      case BEGIN_OBJECT -> {
        JsonObject object = new JsonObject();
        reader.beginObject();
        while (reader.hasNext()) {
          String name = reader.nextName();
          if (object.has(name)) {
            throw syntax(reader, "duplicate key \"" + name + "\"");
          }
          object.add(name, readValue(reader));
        }
        reader.endObject();
        return object;
      }
      case BEGIN_ARRAY -> {
        JsonArray array = new JsonArray();
        reader.beginArray();
        while (reader.hasNext()) {
          array.add(readValue(reader));
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
      default -> throw syntax(reader, "expected a JSON value");
    }
  }

  private static JsonBindingException syntax(JsonReader reader, String detail) {
    String pointer = pointerOf(reader.getPath());
    return new JsonBindingException(
        "Malformed JSON", List.of(new Problem.FieldError(pointer, "malformed JSON: " + detail)));
  }

  /** Gson's message without its advice to callers and its path (the pointer says where). */
  private static String cleanMessage(Exception e) {
    String message = e.getMessage() == null ? "syntax error" : e.getMessage();
    int see = message.indexOf("See https://");
    if (see >= 0) {
      message = message.substring(0, see).trim();
    }
    message =
        message.replace(
            "Use JsonReader.setStrictness(Strictness.LENIENT) to accept malformed JSON",
            "syntax error");
    int path = message.lastIndexOf(" path $");
    return path < 0 ? message : message.substring(0, path);
  }

  /** Turns gson's {@code $.items[1].name} into the pointer {@code /items/1/name}. */
  static String pointerOf(String jsonPath) {
    StringBuilder pointer = new StringBuilder();
    int i = jsonPath.startsWith("$") ? 1 : 0;
    while (i < jsonPath.length()) {
      char c = jsonPath.charAt(i);
      if (c == '.') {
        int end = i + 1;
        while (end < jsonPath.length()
            && jsonPath.charAt(end) != '.'
            && jsonPath.charAt(end) != '[') {
          end++;
        }
        if (end > i + 1) {
          pointer.append('/').append(escape(jsonPath.substring(i + 1, end)));
        }
        i = end;
      } else if (c == '[') {
        int end = jsonPath.indexOf(']', i);
        if (end < 0) {
          break;
        }
        pointer.append('/').append(jsonPath, i + 1, end);
        i = end + 1;
      } else {
        i++;
      }
    }
    return pointer.toString();
  }

  /** Escapes one reference token of a JSON pointer (RFC 6901). */
  public static String escape(String token) {
    return token.replace("~", "~0").replace("/", "~1");
  }

  private static String typeName(Type type) {
    return type instanceof Class<?> c ? c.getSimpleName() : type.getTypeName();
  }

  /** One binding pass; collects errors instead of stopping at the first. */
  private static final class Binder {
    final List<Problem.FieldError> errors = new ArrayList<>();

    void error(String pointer, String detail) {
      if (errors.size() < MAX_ERRORS) {
        errors.add(new Problem.FieldError(pointer, detail));
      }
    }

    Object value(JsonElement json, Type type, String pointer, boolean required) {
      if (json == null || json.isJsonNull()) {
        if (required) {
          error(pointer, json == null ? "is required" : "must not be null");
        } else if (type instanceof Class<?> c && c.isPrimitive()) {
          return primitiveDefault(c);
        }
        return null;
      }
      if (type instanceof ParameterizedType generic) {
        return generic(json, generic, pointer);
      }
      if (!(type instanceof Class<?> target)) {
        throw new IllegalArgumentException("StrictJson cannot bind to " + type);
      }
      if (JsonElement.class.isAssignableFrom(target)) {
        if (!target.isInstance(json)) {
          error(pointer, "must be " + jsonKind(target));
          return null;
        }
        return json;
      }
      if (target == String.class) {
        return isString(json) ? json.getAsString() : mismatch(pointer, "a string");
      }
      if (target == boolean.class || target == Boolean.class) {
        return json.isJsonPrimitive() && json.getAsJsonPrimitive().isBoolean()
            ? json.getAsBoolean()
            : mismatch(pointer, "true or false");
      }
      if (isNumberType(target)) {
        return number(json, target, pointer);
      }
      if (target.isEnum()) {
        return enumConstant(json, target, pointer);
      }
      if (target == Instant.class) {
        if (!isString(json)) {
          return mismatch(pointer, "an ISO-8601 timestamp string");
        }
        try {
          return Instant.parse(json.getAsString());
        } catch (DateTimeParseException e) {
          return mismatch(pointer, "an ISO-8601 timestamp such as 2025-01-31T12:00:00Z");
        }
      }
      if (target.isRecord()) {
        return record(json, target, pointer);
      }
      if (target.isArray()
          || Collection.class.isAssignableFrom(target)
          || Map.class.isAssignableFrom(target)) {
        throw new IllegalArgumentException(
            "StrictJson needs the element type of " + target + " (declare it as List<T>)");
      }
      return object(json, target, pointer);
    }

    private Object generic(JsonElement json, ParameterizedType type, String pointer) {
      Class<?> raw = (Class<?>) type.getRawType();
      Type[] args = type.getActualTypeArguments();
      if (List.class.isAssignableFrom(raw)
          || Set.class.isAssignableFrom(raw)
          || raw == Collection.class) {
        if (!json.isJsonArray()) {
          return mismatch(pointer, "an array");
        }
        Collection<Object> items =
            Set.class.isAssignableFrom(raw) ? new LinkedHashSet<>() : new ArrayList<>();
        JsonArray array = json.getAsJsonArray();
        for (int i = 0; i < array.size(); i++) {
          items.add(value(array.get(i), args[0], pointer + "/" + i, true));
        }
        return Set.class.isAssignableFrom(raw)
            ? java.util.Collections.unmodifiableSet((Set<Object>) items)
            : java.util.Collections.unmodifiableList((List<Object>) items);
      }
      if (Map.class.isAssignableFrom(raw) && args[0] == String.class) {
        if (!json.isJsonObject()) {
          return mismatch(pointer, "an object");
        }
        Map<String, Object> map = new LinkedHashMap<>();
        for (Map.Entry<String, JsonElement> entry : json.getAsJsonObject().entrySet()) {
          map.put(
              entry.getKey(),
              value(entry.getValue(), args[1], pointer + "/" + escape(entry.getKey()), true));
        }
        return java.util.Collections.unmodifiableMap(map);
      }
      throw new IllegalArgumentException("StrictJson cannot bind to " + type);
    }

    private Object record(JsonElement json, Class<?> type, String pointer) {
      if (!json.isJsonObject()) {
        return mismatch(pointer, "an object");
      }
      JsonObject object = json.getAsJsonObject();
      RecordComponent[] components = type.getRecordComponents();
      Set<String> known = new LinkedHashSet<>();
      Object[] args = new Object[components.length];
      Class<?>[] types = new Class<?>[components.length];
      int before = errors.size();
      for (int i = 0; i < components.length; i++) {
        RecordComponent component = components[i];
        String name = jsonName(component.getName(), component.getAnnotation(SerializedName.class));
        known.add(name);
        types[i] = component.getType();
        args[i] =
            value(
                object.get(name),
                component.getGenericType(),
                pointer + "/" + escape(name),
                component.getAnnotation(OptionalField.class) == null);
      }
      unknownFields(object, known, pointer);
      if (errors.size() > before) {
        return null;
      }
      try {
        Constructor<?> constructor = type.getDeclaredConstructor(types);
        constructor.setAccessible(true);
        return constructor.newInstance(args);
      } catch (InvocationTargetException e) {
        Throwable cause = e.getCause();
        if (cause instanceof IllegalArgumentException || cause instanceof NullPointerException) {
          error(pointer, cause.getMessage() == null ? "is not valid" : cause.getMessage());
          return null;
        }
        throw new IllegalStateException("constructing " + type, cause);
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException("cannot construct " + type, e);
      }
    }

    private Object object(JsonElement json, Class<?> type, String pointer) {
      if (!json.isJsonObject()) {
        return mismatch(pointer, "an object");
      }
      JsonObject object = json.getAsJsonObject();
      Object instance;
      try {
        Constructor<?> constructor = type.getDeclaredConstructor();
        constructor.setAccessible(true);
        instance = constructor.newInstance();
      } catch (ReflectiveOperationException e) {
        throw new IllegalArgumentException(
            "StrictJson needs a no-argument constructor on " + type, e);
      }
      Set<String> known = new LinkedHashSet<>();
      for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
        for (Field field : c.getDeclaredFields()) {
          int modifiers = field.getModifiers();
          if (Modifier.isStatic(modifiers) || Modifier.isTransient(modifiers)) {
            continue;
          }
          String name = jsonName(field.getName(), field.getAnnotation(SerializedName.class));
          known.add(name);
          Object value =
              value(
                  object.get(name),
                  field.getGenericType(),
                  pointer + "/" + escape(name),
                  field.getAnnotation(OptionalField.class) == null);
          if (value != null) {
            try {
              field.setAccessible(true);
              field.set(instance, value);
            } catch (IllegalAccessException e) {
              throw new IllegalStateException("cannot set " + field, e);
            }
          }
        }
      }
      unknownFields(object, known, pointer);
      return instance;
    }

    private void unknownFields(JsonObject object, Set<String> known, String pointer) {
      for (String key : object.keySet()) {
        if (!known.contains(key)) {
          error(pointer + "/" + escape(key), "is not a known field");
        }
      }
    }

    private Object number(JsonElement json, Class<?> type, String pointer) {
      if (!json.isJsonPrimitive() || !json.getAsJsonPrimitive().isNumber()) {
        return mismatch(pointer, "a number");
      }
      BigDecimal value = json.getAsBigDecimal();
      if (type == BigDecimal.class) {
        return value;
      }
      if (type == double.class
          || type == Double.class
          || type == float.class
          || type == Float.class) {
        double d = value.doubleValue();
        boolean isFloat = type == float.class || type == Float.class;
        if (Double.isInfinite(d) || (isFloat && Float.isInfinite((float) d))) {
          return mismatch(pointer, "a number in range");
        }
        return isFloat ? (Object) (float) d : (Object) d;
      }
      long whole;
      try {
        whole = value.longValueExact();
      } catch (ArithmeticException e) {
        return mismatch(pointer, "a whole number in range");
      }
      if (type == long.class || type == Long.class) {
        return whole;
      }
      if (whole < Integer.MIN_VALUE || whole > Integer.MAX_VALUE) {
        return mismatch(pointer, "a whole number in range");
      }
      return (int) whole;
    }

    private Object enumConstant(JsonElement json, Class<?> type, String pointer) {
      List<String> names = new ArrayList<>();
      if (isString(json)) {
        String text = json.getAsString();
        for (Object constant : type.getEnumConstants()) {
          String name = enumName((Enum<?>) constant);
          names.add(name);
          if (name.equals(text)) {
            return constant;
          }
        }
      } else {
        for (Object constant : type.getEnumConstants()) {
          names.add(enumName((Enum<?>) constant));
        }
      }
      return mismatch(pointer, "one of " + String.join(", ", names));
    }

    private Object mismatch(String pointer, String expected) {
      error(pointer, "must be " + expected);
      return null;
    }
  }

  private static String enumName(Enum<?> constant) {
    try {
      SerializedName name =
          constant
              .getDeclaringClass()
              .getField(constant.name())
              .getAnnotation(SerializedName.class);
      return name == null ? constant.name() : name.value();
    } catch (NoSuchFieldException e) {
      return constant.name();
    }
  }

  private static String jsonName(String javaName, SerializedName annotation) {
    return annotation == null ? javaName : annotation.value();
  }

  private static boolean isString(JsonElement json) {
    return json.isJsonPrimitive() && json.getAsJsonPrimitive().isString();
  }

  private static boolean isNumberType(Class<?> type) {
    return type == int.class
        || type == Integer.class
        || type == long.class
        || type == Long.class
        || type == double.class
        || type == Double.class
        || type == float.class
        || type == Float.class
        || type == BigDecimal.class;
  }

  private static Object primitiveDefault(Class<?> type) {
    if (type == boolean.class) {
      return false;
    }
    if (type == long.class) {
      return 0L;
    }
    if (type == double.class) {
      return 0.0;
    }
    if (type == float.class) {
      return 0.0f;
    }
    return 0;
  }

  private static String jsonKind(Class<?> type) {
    if (type == JsonObject.class) {
      return "an object";
    }
    if (type == JsonArray.class) {
      return "an array";
    }
    if (type == JsonPrimitive.class) {
      return "a string, number or boolean";
    }
    return "a JSON value";
  }

  private static final class InstantAdapter extends TypeAdapter<Instant> {
    @Override
    public void write(JsonWriter out, Instant value) throws IOException {
      out.value(value.toString());
    }

    @Override
    public Instant read(JsonReader in) throws IOException {
      return Instant.parse(in.nextString());
    }
  }
}
