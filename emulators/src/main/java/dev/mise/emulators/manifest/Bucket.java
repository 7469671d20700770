package dev.mise.emulators.manifest;

import java.util.List;

/**
 * A Cloud Storage bucket deploy.sh creates when missing (uniform access, public access prevented),
 * in {@code location} (default the deploy region), with lifecycle rules deleting objects under a
 * prefix after some days. The name may use {@code ${project}}, since bucket names are global.
 */
public record Bucket(String name, String location, List<LifecycleRule> lifecycle) {

  /** Delete objects whose name starts with {@code prefix} (all, when absent) after the days. */
  public record LifecycleRule(String prefix, Integer deleteAfterDays) {}
}
