package dev.mise.scan;

import dev.mise.common.http.Problem;
import dev.mise.common.models.ModelException;

/** How failures after the stream started reach the client: problem documents and image errors. */
final class ScanProblems {

  private ScanProblems() {}

  /** The problem of a failed vision call. */
  static Problem visionFailed(ModelException e) {
    return switch (e.kind()) {
      case RATE_LIMITED ->
          Problem.of(
              503,
              "model-busy",
              "Menu reader busy",
              "Too many scans right now; try again shortly.");
      case UNAVAILABLE ->
          Problem.of(503, "model-unavailable", "Menu reader unavailable", "Try again in a moment.");
      case TIMEOUT ->
          Problem.of(
              504, "model-timeout", "Menu reader timed out", "Try again, or a sharper photo.");
      case BLOCKED ->
          Problem.of(422, "content-blocked", "Photo refused", "The photo could not be processed.");
      case INVALID_REQUEST ->
          Problem.of(422, "image-rejected", "Photo unreadable", "The photo could not be read.");
    };
  }

  static Problem noDishes() {
    return Problem.of(
        422, "no-dishes-found", "No menu found", "No dishes could be read from the photo.");
  }

  static Problem internal() {
    return Problem.of(
        500,
        "internal",
        "Internal error",
        "Something went wrong on our side. Quote the request id if you report it.");
  }

  static Problem abandoned() {
    return Problem.of(
        410, "scan-abandoned", "Scan abandoned", "The client left before the scan started.");
  }

  static Problem sessionLost() {
    return Problem.of(
        504, "session-lost", "Scan lost", "The scan stopped before it finished; scan again.");
  }

  /** The error code of an image failure. */
  static String imageErrorCode(ModelException e) {
    return switch (e.kind()) {
      case RATE_LIMITED -> "model-busy";
      case UNAVAILABLE -> "model-unavailable";
      case TIMEOUT -> "model-timeout";
      case BLOCKED -> "content-blocked";
      case INVALID_REQUEST -> "model-rejected";
    };
  }

  static String imageErrorMessage(String code) {
    return switch (code) {
      case "model-busy" -> "The picture service is busy.";
      case "model-timeout", "timeout" -> "The picture took too long.";
      case "content-blocked" -> "The picture was refused by the safety filter.";
      case "no-image" -> "No picture came back for this dish.";
      case "storage-failed" -> "The picture could not be stored.";
      default -> "The picture could not be made.";
    };
  }
}
