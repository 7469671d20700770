package dev.mise.common.http;

import java.util.List;

/**
 * A JSON document did not fit its type: malformed, an unknown field, a wrong type, a missing field.
 * Each error carries a JSON pointer into the document. {@link #toProblem()} makes it a 400 for an
 * HTTP client; a step validating model output handles it as it sees fit.
 */
public class JsonBindingException extends Exception {
  private final transient List<Problem.FieldError> errors;

  public JsonBindingException(String message, List<Problem.FieldError> errors) {
    super(message + describe(errors));
    this.errors = List.copyOf(errors);
  }

  public List<Problem.FieldError> errors() {
    return errors;
  }

  /** A 400 problem listing the errors. */
  public ProblemException toProblem() {
    return ProblemException.validation(
        "The JSON body does not match what this endpoint takes.", errors);
  }

  private static String describe(List<Problem.FieldError> errors) {
    StringBuilder text = new StringBuilder();
    for (Problem.FieldError error : errors.subList(0, Math.min(5, errors.size()))) {
      text.append("; ").append(error.pointer().isEmpty() ? "(root)" : error.pointer());
      text.append(": ").append(error.detail());
    }
    return text.toString();
  }
}
