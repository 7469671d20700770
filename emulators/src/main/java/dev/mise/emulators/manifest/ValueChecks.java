package dev.mise.emulators.manifest;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks of single manifest values that several sections share (formats, ranges, environment
 * variables, service accounts), each recording a problem with its JSON path.
 */
final class ValueChecks {

  static final int MAX_HTTP_TIMEOUT_SECONDS = 3600;
  private static final Pattern MEMORY = Pattern.compile("([0-9]{1,6})(Mi|Gi)");
  static final Pattern TIMEOUT = Pattern.compile("([0-9]{1,6})s");
  private static final Pattern SECONDS = Pattern.compile("[0-9]+(\\.[0-9]+)?s");
  private static final Pattern ENV_NAME = Pattern.compile("[A-Z_][A-Z0-9_]*");
  private static final Pattern SERVICE_ACCOUNT =
      Pattern.compile("[a-z0-9][a-z0-9-]*@[a-z0-9.-]+\\.gserviceaccount\\.com");
  // startup.
  private static final Set<String> RESERVED_ENV =
      Set.of(
          "PORT",
          "K_SERVICE",
          "K_REVISION",
          "K_CONFIGURATION",
          "FUNCTION_TARGET",
          "FUNCTION_SIGNATURE_TYPE");
  // Stands in for ${project} when checking the shape of names that use it.
  private static final String SAMPLE_PROJECT = "sample-project";

  private final Manifest m;
  private final Set<String> functionNames = new HashSet<>();
  private final List<String> problems = new ArrayList<>();

  ValueChecks(Manifest manifest) {
    this.m = manifest;
    manifest.functions().forEach(fn -> functionNames.add(fn.name()));
  }

  List<String> problems() {
    return problems;
  }

  private static final java.util.Set<String> LOCAL_ONLY_ENV =
      java.util.Set.of("GOOGLE_GEMINI_BASE_URL", "ASSETS_DIR");

  void env(String at, Map<String, String> env) {
    for (Map.Entry<String, String> e : env.entrySet()) {
      String p = at + "." + e.getKey();
      envName(p, e.getKey());
      String value = e.getValue();
      if (value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0) {
        problem(p, "must be one line");
      }
      List<Placeholders.Reference> refs;
      try {
        refs = Placeholders.references(value);
      } catch (IllegalArgumentException ex) {
        problem(p, ex.getMessage());
        continue;
      }
      for (Placeholders.Reference ref : refs) {
        if (!ref.isKnownKind()) {
          problem(
              p,
              "unknown placeholder ${" + ref.name() + "} (known: project, region, url:<function>)");
        } else if (ref.isUrl() && !functionNames.contains(ref.functionName())) {
          problem(p, "${" + ref.name() + "} names no function of this manifest");
        }
      }
    }
  }

  void envName(String at, String name) {
    if (!ENV_NAME.matcher(name).matches()) {
      problem(at, "is not an environment variable name (A-Z, 0-9, _)");
    } else if (RESERVED_ENV.contains(name) || name.startsWith("X_GOOGLE_")) {
      problem(at, "is reserved by Cloud Functions");
    } else if (name.endsWith("_EMULATOR_HOST") || LOCAL_ONLY_ENV.contains(name)) {
      // These switch a function to emulators, stand-ins or unsigned tokens: only the local
      // stack may set them, so a deploy can never carry one.
      problem(at, "is set by the local stack only and must never be deployed");
    }
  }

  void serviceAccount(String at, String value) {
    if (value != null && placeholdersWithoutUrls(at, value)) {
      matches(
          at, sample(value), SERVICE_ACCOUNT, "a service account e-mail (…gserviceaccount.com)");
    }
  }

  /** Only ${project} and ${region} make sense in names; a URL cannot be part of one. */
  boolean placeholdersWithoutUrls(String at, String value) {
    try {
      for (Placeholders.Reference ref : Placeholders.references(value)) {
        if (!ref.name().equals("project") && !ref.name().equals("region")) {
          problem(at, "may only use ${project} and ${region}, not ${" + ref.name() + "}");
          return false;
        }
      }
      return true;
    } catch (IllegalArgumentException e) {
      problem(at, e.getMessage());
      return false;
    }
  }

  String sample(String value) {
    String region =
        m.defaults() != null && m.defaults().region() != null
            ? m.defaults().region()
            : "europe-west1";
    return value.replace("${project}", SAMPLE_PROJECT).replace("${region}", region);
  }

  void memory(String at, String value) {
    Matcher mm = MEMORY.matcher(value);
    if (!mm.matches()) {
      problem(at, "must look like 256Mi or 1Gi");
      return;
    }
    long mebibytes = Long.parseLong(mm.group(1)) * (mm.group(2).equals("Gi") ? 1024 : 1);
    if (mebibytes < 128 || mebibytes > 32 * 1024) {
      problem(at, "must be between 128Mi and 32Gi");
    }
  }

  void timeout(String at, String value, int maxSeconds) {
    Matcher tm = TIMEOUT.matcher(value);
    if (!tm.matches()) {
      problem(at, "must be whole seconds like 60s");
    } else if (Long.parseLong(tm.group(1)) < 1 || Long.parseLong(tm.group(1)) > maxSeconds) {
      problem(at, "must be between 1s and " + maxSeconds + "s for this trigger");
    }
  }

  boolean seconds(String at, String value) {
    if (!SECONDS.matcher(value).matches()) {
      problem(at, "must be seconds like 0.5s or 30s");
      return false;
    }
    if (new BigDecimal(value.substring(0, value.length() - 1)).scale() > 9) {
      problem(at, "has more than nanosecond precision");
      return false;
    }
    return true;
  }

  boolean required(String at, Object value) {
    if (value == null) {
      problem(at, "is required");
      return false;
    }
    return true;
  }

  boolean matches(String at, String value, Pattern pattern, String expected) {
    if (!pattern.matcher(value).matches()) {
      problem(at, "must be " + expected + ", was '" + value + "'");
      return false;
    }
    return true;
  }

  boolean between(String at, int value, int min, int max) {
    if (value < min || value > max) {
      problem(at, "must be between " + min + " and " + max + ", was " + value);
      return false;
    }
    return true;
  }

  void atLeast(String at, int value, int min) {
    if (value < min) {
      problem(at, "must be at least " + min + ", was " + value);
    }
  }

  void unique(String at, String name, Set<String> seen, String kind) {
    if (!seen.add(name)) {
      problem(at, "another " + kind + " is already named '" + name + "'");
    }
  }

  void problem(String at, String message) {
    problems.add(at + ": " + message);
  }
}
