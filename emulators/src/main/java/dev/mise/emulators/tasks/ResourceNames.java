package dev.mise.emulators.tasks;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The resource names of the Cloud Tasks API, checked as the service checks them: {@code
 * projects/P/locations/L}, {@code .../queues/Q} (Q: letters, digits, hyphens, at most 100) and
 * {@code .../tasks/T} (T: letters, digits, hyphens, underscores, at most 500).
 */
final class ResourceNames {

  private static final String LOCATION = "projects/[A-Za-z0-9.:-]+/locations/[A-Za-z0-9-]+";
  private static final Pattern LOCATION_NAME = Pattern.compile(LOCATION);
  private static final Pattern QUEUE_NAME =
      Pattern.compile("(" + LOCATION + ")/queues/([A-Za-z0-9-]{1,100})");
  private static final Pattern TASK_NAME =
      Pattern.compile("(" + LOCATION + "/queues/[A-Za-z0-9-]{1,100})/tasks/([A-Za-z0-9_-]{1,500})");

  private ResourceNames() {}

  static String location(String name) {
    if (!LOCATION_NAME.matcher(name).matches()) {
      throw ApiErrors.invalidArgument(
          "Invalid location name '"
              + name
              + "': expected projects/PROJECT_ID/locations/LOCATION_ID");
    }
    return name;
  }

  static String queue(String name) {
    queueMatch(name);
    return name;
  }

  /** The queue id, the last segment of a valid queue name. */
  static String queueId(String queueName) {
    return queueMatch(queueName).group(2);
  }

  /** The location a valid queue name belongs to. */
  static String parentOfQueue(String queueName) {
    return queueMatch(queueName).group(1);
  }

  static String parentOfTask(String taskName) {
    return taskMatch(taskName).group(1);
  }

  static String taskId(String taskName) {
    return taskMatch(taskName).group(2);
  }

  private static Matcher queueMatch(String name) {
    Matcher m = QUEUE_NAME.matcher(name);
    if (!m.matches()) {
      throw ApiErrors.invalidArgument(
          "Invalid queue name '"
              + name
              + "': expected projects/PROJECT_ID/locations/LOCATION_ID/queues/QUEUE_ID, QUEUE_ID of"
              + " letters, digits and hyphens, at most 100 characters");
    }
    return m;
  }

  private static Matcher taskMatch(String name) {
    Matcher m = TASK_NAME.matcher(name);
    if (!m.matches()) {
      throw ApiErrors.invalidArgument(
          "Invalid task name '"
              + name
              + "': expected projects/PROJECT_ID/locations/LOCATION_ID/queues/QUEUE_ID/tasks/TASK_ID,"
              + " TASK_ID of letters, digits, hyphens and underscores, at most 500 characters");
    }
    return m;
  }
}
