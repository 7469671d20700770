package dev.mise.emulators.tasks;

import com.google.rpc.Code;
import com.google.rpc.Status;

/** The {@code google.rpc.Status} an attempt's HTTP answer is recorded as (the usual mapping). */
final class RpcCodes {

  private RpcCodes() {}

  /** The status for the target's HTTP answer. */
  static Status ofHttp(int http) {
    Code code;
    if (http >= 200 && http < 300) {
      code = Code.OK;
    } else {
      code =
          switch (http) {
            case 400 -> Code.INVALID_ARGUMENT;
            case 401 -> Code.UNAUTHENTICATED;
            case 403 -> Code.PERMISSION_DENIED;
            case 404 -> Code.NOT_FOUND;
            case 409 -> Code.ABORTED;
            case 429 -> Code.RESOURCE_EXHAUSTED;
            case 501 -> Code.UNIMPLEMENTED;
            case 503 -> Code.UNAVAILABLE;
            case 504 -> Code.DEADLINE_EXCEEDED;
            default -> http < 500 ? Code.FAILED_PRECONDITION : Code.INTERNAL;
          };
    }
    return Status.newBuilder().setCode(code.getNumber()).setMessage("HTTP " + http).build();
  }

  /**
   * The status of an attempt that got no answer: the dispatch deadline passed, or no connection.
   */
  static Status ofNoResponse(boolean deadlinePassed, String detail) {
    Code code = deadlinePassed ? Code.DEADLINE_EXCEEDED : Code.UNAVAILABLE;
    return Status.newBuilder().setCode(code.getNumber()).setMessage(detail).build();
  }
}
