package dev.mise.common.models;

import com.google.genai.errors.ApiException;
import java.io.IOException;
import java.io.InterruptedIOException;

/** Sorts what the SDK throws into {@link ModelException} kinds a step can act on. */
final class GeminiErrors {

  private GeminiErrors() {}

  static ModelException map(String model, RuntimeException error) {
    if (error instanceof ModelException modelException) {
      return modelException;
    }
    if (error instanceof ApiException api) {
      return new ModelException(kindOf(api.code()), describe(model, api), error);
    }
    // okhttp's call timeout surfaces as an InterruptedIOException ("timeout"), a stalled read as
    // its subclass SocketTimeoutException; both somewhere down the cause chain.
    for (Throwable cause = error; cause != null; cause = cause.getCause()) {
      if (cause instanceof InterruptedIOException) {
        return new ModelException(
            ModelException.Kind.TIMEOUT, model + ": no answer within the call's deadline", error);
      }
    }
    for (Throwable cause = error; cause != null; cause = cause.getCause()) {
      if (cause instanceof IOException) {
        return new ModelException(
            ModelException.Kind.UNAVAILABLE, model + ": " + cause.getMessage(), error);
      }
    }
    return new ModelException(
        ModelException.Kind.INVALID_REQUEST, model + ": " + error.getMessage(), error);
  }

  static ModelException.Kind kindOf(int httpStatus) {
    if (httpStatus == 429) {
      return ModelException.Kind.RATE_LIMITED;
    }
    if (httpStatus == 408 || httpStatus == 504) {
      return ModelException.Kind.TIMEOUT;
    }
    return httpStatus >= 500
        ? ModelException.Kind.UNAVAILABLE
        : ModelException.Kind.INVALID_REQUEST;
  }

  private static String describe(String model, ApiException api) {
    return model + ": HTTP " + api.code() + " " + api.status() + ": " + api.message();
  }
}
