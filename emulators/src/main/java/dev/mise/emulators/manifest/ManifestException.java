package dev.mise.emulators.manifest;

import java.util.List;

/**
 * The manifest cannot be used: each problem names the JSON path it is about, e.g. {@code
 * $.functions[1].timeout: must look like 60s}, so a broken manifest is fixed in one pass.
 */
public final class ManifestException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final List<String> problems;

  public ManifestException(List<String> problems) {
    super(
        problems.size() == 1
            ? "invalid manifest: " + problems.getFirst()
            : "invalid manifest:\n  " + String.join("\n  ", problems));
    this.problems = List.copyOf(problems);
  }

  public ManifestException(String problem) {
    this(List.of(problem));
  }

  public List<String> problems() {
    return problems;
  }
}
