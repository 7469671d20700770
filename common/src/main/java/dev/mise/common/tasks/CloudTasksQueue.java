package dev.mise.common.tasks;

import com.google.api.gax.core.NoCredentialsProvider;
import com.google.api.gax.grpc.InstantiatingGrpcChannelProvider;
import com.google.api.gax.rpc.ApiException;
import com.google.cloud.tasks.v2.CloudTasksClient;
import com.google.cloud.tasks.v2.CloudTasksSettings;
import com.google.cloud.tasks.v2.HttpMethod;
import com.google.cloud.tasks.v2.HttpRequest;
import com.google.cloud.tasks.v2.OidcToken;
import com.google.cloud.tasks.v2.QueueName;
import com.google.cloud.tasks.v2.Task;
import com.google.cloud.tasks.v2.TaskName;
import com.google.protobuf.ByteString;
import com.google.protobuf.Duration;
import com.google.protobuf.Timestamp;
import dev.mise.common.config.Env;
import io.grpc.ManagedChannelBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * {@link TaskQueue} on Google Cloud Tasks, through the google-cloud-tasks client. Queues are named
 * {@code projects/<GOOGLE_CLOUD_PROJECT>/locations/<CLOUD_TASKS_LOCATION>/queues/<queue>}. When
 * {@code CLOUD_TASKS_EMULATOR_HOST} ({@code host:port}) is set the client talks plaintext, without
 * credentials, to that emulator (the local stack's); otherwise it uses the default credentials. The
 * client is created on the first enqueue and released by {@link #close()}.
 */
public final class CloudTasksQueue implements TaskQueue, AutoCloseable {

  public static final String LOCATION_VARIABLE = "CLOUD_TASKS_LOCATION";
  public static final String EMULATOR_VARIABLE = "CLOUD_TASKS_EMULATOR_HOST";

  private final String project;
  private final String location;
  private final String emulatorHost;
  private CloudTasksClient client;
  private boolean closed;

  /** For the runtime: project, location and emulator from the environment, checked now. */
  public CloudTasksQueue() {
    this(Env.system());
  }

  public CloudTasksQueue(Env env) {
    this(
        env.projectId(),
        env.require(LOCATION_VARIABLE),
        env.optional(EMULATOR_VARIABLE).orElse(null));
  }

  /**
   * @param emulatorHost {@code host:port} of a Cloud Tasks emulator, or null for Google Cloud
   */
  public CloudTasksQueue(String project, String location, String emulatorHost) {
    this.project = project;
    this.location = location;
    this.emulatorHost = emulatorHost == null ? null : emulatorHost.replaceFirst("^https?://", "");
  }

  @Override
  public Enqueued enqueue(TaskRequest task) {
    String queue = QueueName.of(project, location, task.queue()).toString();
    try {
      client().createTask(queue, toTask(task));
      return Enqueued.CREATED;
    } catch (ApiException e) {
      String what =
          "task " + (task.taskId() == null ? "(unnamed)" : task.taskId()) + " in " + queue;
      return switch (e.getStatusCode().getCode()) {
        case ALREADY_EXISTS -> Enqueued.DUPLICATE;
        case UNAVAILABLE, DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED ->
            throw new TaskQueueException("Cloud Tasks cannot take " + what + " now", e);
        case INVALID_ARGUMENT ->
            throw new IllegalArgumentException(
                "Cloud Tasks refused " + what + ": " + e.getMessage(), e);
        default ->
            throw new IllegalStateException(
                "Cloud Tasks refused "
                    + what
                    + " ("
                    + e.getStatusCode().getCode()
                    + "): "
                    + e.getMessage(),
                e);
      };
    }
  }

  private Task toTask(TaskRequest request) {
    HttpRequest.Builder http =
        HttpRequest.newBuilder()
            .setUrl(request.url())
            .setHttpMethod(HttpMethod.valueOf(request.method()))
            .putAllHeaders(request.headers())
            .setBody(ByteString.copyFrom(request.body()));
    if (request.oidcServiceAccount() != null) {
      OidcToken.Builder token =
          OidcToken.newBuilder().setServiceAccountEmail(request.oidcServiceAccount());
      if (request.oidcAudience() != null) {
        token.setAudience(request.oidcAudience());
      }
      http.setOidcToken(token);
    }
    Task.Builder task = Task.newBuilder().setHttpRequest(http);
    if (request.taskId() != null) {
      task.setName(TaskName.of(project, location, request.queue(), request.taskId()).toString());
    }
    if (request.scheduleTime() != null) {
      task.setScheduleTime(
          Timestamp.newBuilder()
              .setSeconds(request.scheduleTime().getEpochSecond())
              .setNanos(request.scheduleTime().getNano()));
    }
    if (request.dispatchDeadline() != null) {
      task.setDispatchDeadline(
          Duration.newBuilder()
              .setSeconds(request.dispatchDeadline().getSeconds())
              .setNanos(request.dispatchDeadline().getNano()));
    }
    return task.build();
  }

  private synchronized CloudTasksClient client() {
    if (closed) {
      throw new IllegalStateException("CloudTasksQueue is closed");
    }
    if (client == null) {
      try {
        client = CloudTasksClient.create(settings());
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot create the Cloud Tasks client", e);
      }
    }
    return client;
  }

  // gax declares the channel configurator over the raw ManagedChannelBuilder.
  @SuppressWarnings("rawtypes")
  private CloudTasksSettings settings() throws IOException {
    CloudTasksSettings.Builder settings = CloudTasksSettings.newBuilder();
    if (emulatorHost != null) {
      settings
          .setEndpoint(emulatorHost)
          .setCredentialsProvider(NoCredentialsProvider.create())
          .setTransportChannelProvider(
              InstantiatingGrpcChannelProvider.newBuilder()
                  .setEndpoint(emulatorHost)
                  .setChannelConfigurator(ManagedChannelBuilder::usePlaintext)
                  .build());
    }
    return settings.build();
  }

  @Override
  public synchronized void close() {
    closed = true;
    if (client != null) {
      client.close();
      client = null;
    }
  }

  @Override
  public String toString() {
    return "CloudTasksQueue[projects/"
        + project
        + "/locations/"
        + location
        + (emulatorHost == null ? "" : ", emulator " + emulatorHost)
        + "]";
  }
}
