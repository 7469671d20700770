package dev.mise.common.pipeline;

import java.util.Locale;
import java.util.Optional;

/** Where a job stands; stored lower case in the job document's {@code status} field. */
public enum JobStatus {
  QUEUED,
  PROCESSING,
  COMPLETED,
  FAILED;

  public String value() {
    return name().toLowerCase(Locale.ROOT);
  }

  public boolean terminal() {
    return this == COMPLETED || this == FAILED;
  }

  public static Optional<JobStatus> of(Object value) {
    if (value instanceof String text) {
      for (JobStatus status : values()) {
        if (status.value().equals(text)) {
          return Optional.of(status);
        }
      }
    }
    return Optional.empty();
  }
}
