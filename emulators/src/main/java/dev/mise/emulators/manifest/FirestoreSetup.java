package dev.mise.emulators.manifest;

import java.util.List;

/**
 * Firestore settings deploy.sh applies (JSON key {@code firestore}): the database (created in
 * {@code location}, default the deploy region, when missing), TTL policies, and composite or vector
 * indexes. The emulator needs none of them.
 */
public record FirestoreSetup(
    String database, String location, List<TtlPolicy> ttl, List<Index> indexes) {

  public static final String DEFAULT_DATABASE = "(default)";

  /**
   * Documents of {@code collectionGroup} are deleted once the timestamp in {@code field} passes.
   */
  public record TtlPolicy(String collectionGroup, String field) {}

  /**
   * A composite index; {@code queryScope} is {@code collection} (default) or {@code
   * collection-group}.
   */
  public record Index(String collectionGroup, String queryScope, List<IndexField> fields) {}

  /**
   * One field of an index, with exactly one of {@code order} ({@code ascending}/{@code
   * descending}), {@code arrayConfig} ({@code contains}) or {@code vectorDimension} (a flat vector
   * index for {@code findNearest}).
   */
  public record IndexField(
      String path, String order, String arrayConfig, Integer vectorDimension) {}
}
