package dev.mise.emulators.tasks;

import com.google.protobuf.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** Conversions between protobuf's time types and java.time. */
final class Protos {

  private Protos() {}

  static Duration duration(com.google.protobuf.Duration d) {
    return Duration.ofSeconds(d.getSeconds(), d.getNanos());
  }

  static com.google.protobuf.Duration duration(Duration d) {
    return com.google.protobuf.Duration.newBuilder()
        .setSeconds(d.getSeconds())
        .setNanos(d.getNano())
        .build();
  }

  static Instant instant(Timestamp t) {
    return Instant.ofEpochSecond(t.getSeconds(), t.getNanos());
  }

  /** Truncated to microseconds, as the service stores times. */
  static Timestamp timestamp(Instant i) {
    Instant micros = i.truncatedTo(ChronoUnit.MICROS);
    return Timestamp.newBuilder()
        .setSeconds(micros.getEpochSecond())
        .setNanos(micros.getNano())
        .build();
  }
}
