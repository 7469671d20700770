package dev.mise.emulators.tasks;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/** The gRPC errors the real service answers, with messages that say what was wrong. */
final class ApiErrors {

  private ApiErrors() {}

  static StatusRuntimeException invalidArgument(String message) {
    return Status.INVALID_ARGUMENT.withDescription(message).asRuntimeException();
  }

  static StatusRuntimeException notFound(String what) {
    return Status.NOT_FOUND
        .withDescription("Requested entity was not found: " + what)
        .asRuntimeException();
  }

  static StatusRuntimeException alreadyExists(String what) {
    return Status.ALREADY_EXISTS
        .withDescription("Requested entity already exists: " + what)
        .asRuntimeException();
  }

  static StatusRuntimeException unimplemented(String message) {
    return Status.UNIMPLEMENTED.withDescription(message).asRuntimeException();
  }
}
