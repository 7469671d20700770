package dev.mise.emulators.manifest;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The values behind the manifest's placeholders: {@code ${project}}, {@code ${region}} and {@code
 * ${url:<function>}}. {@link #cloud} gives the URLs Cloud Functions assigns, {@link #local} the
 * ones the local stack listens on; {@link #of} lets a launcher with remapped ports give its own.
 *
 * <pre>{@code
 * Map<String, String> env = manifest.resolveEnv(fn, Placeholders.local("demo-mise", "europe-west1"));
 * }</pre>
 */
public record Placeholders(String project, String region, Function<FunctionSpec, String> urlOf) {

  /** {@code https://<region>-<project>.cloudfunctions.net/<name>}: a 2nd gen function's URL. */
  public static Placeholders cloud(String project, String region) {
    return new Placeholders(
        project,
        region,
        fn -> "https://" + region + "-" + project + ".cloudfunctions.net/" + fn.name());
  }

  /** {@code http://127.0.0.1:<local.port>}: where the local stack runs each function. */
  public static Placeholders local(String project, String region) {
    return new Placeholders(project, region, fn -> "http://127.0.0.1:" + fn.localPort());
  }

  public static Placeholders of(
      String project, String region, Function<FunctionSpec, String> urlOf) {
    return new Placeholders(project, region, urlOf);
  }

  /**
   * Replaces every placeholder in {@code template}; functions are looked up in {@code manifest}.
   */
  public String resolve(String template, Manifest manifest) {
    StringBuilder out = new StringBuilder();
    int at = 0;
    for (Reference ref : references(template)) {
      out.append(template, at, ref.start());
      out.append(
          switch (ref.name()) {
            case "project" -> project;
            case "region" -> region;
            default -> urlOf.apply(manifest.requireFunction(ref.functionName()));
          });
      at = ref.end();
    }
    return out.append(template.substring(at)).toString();
  }

  /**
   * One {@code ${...}} in a template: {@code name} is what stands between the braces. A {@code $}
   * not followed by {@code {} is plain text.
   */
  record Reference(String name, int start, int end) {

    boolean isUrl() {
      return name.startsWith("url:");
    }

    String functionName() {
      return name.substring("url:".length());
    }

    boolean isKnownKind() {
      return name.equals("project") || name.equals("region") || isUrl();
    }
  }

  /** The placeholders in {@code template}, in order; an unclosed {@code ${} is an error. */
  static List<Reference> references(String template) {
    List<Reference> refs = new ArrayList<>();
    int from = 0;
    while (true) {
      int start = template.indexOf("${", from);
      if (start < 0) {
        return refs;
      }
      int close = template.indexOf('}', start);
      if (close < 0) {
        throw new IllegalArgumentException("has '${' without a closing '}'");
      }
      refs.add(new Reference(template.substring(start + 2, close), start, close + 1));
      from = close + 1;
    }
  }
}
