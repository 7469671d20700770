package dev.mise.emulators.tasks;

import com.google.cloud.tasks.v2.Queue;
import com.google.protobuf.FieldMask;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A local Cloud Tasks: the v2 gRPC API on 127.0.0.1, so the unmodified google-cloud-tasks client
 * works against it (plaintext channel, no credentials), and a dispatcher that sends HTTP tasks to
 * their targets with the service's headers, rate limits, retries and name deduplication.
 *
 * <pre>{@code
 * try (TasksEmulator tasks = TasksEmulator.start(0)) {      // 0: a free port
 *   tasks.putQueue(Queue.newBuilder().setName("projects/demo-mise/locations/local/queues/q").build());
 *   // point clients at tasks.endpoint(), e.g. CLOUD_TASKS_EMULATOR_HOST=127.0.0.1:PORT
 * }
 * }</pre>
 *
 * <p>From the command line: {@code TasksEmulator --port 8123 [--name-retention 1h]}.
 */
public final class TasksEmulator implements AutoCloseable {

  /** How long a finished or deleted task's name stays refused; the service documents ~1 hour. */
  public static final Duration DEFAULT_NAME_RETENTION = Duration.ofHours(1);

  private final Server server;
  private final Queues queues;
  private final Dispatcher dispatcher;

  private TasksEmulator(Server server, Queues queues, Dispatcher dispatcher) {
    this.server = server;
    this.queues = queues;
    this.dispatcher = dispatcher;
  }

  /** Starts on 127.0.0.1 at the port (0 for a free one), logging dispatches to stdout. */
  public static TasksEmulator start(int port) throws IOException {
    return start(port, DEFAULT_NAME_RETENTION, System.out);
  }

  /**
   * Starts on 127.0.0.1 at the port (0 for a free one).
   *
   * @param nameRetention how long the name of a finished or deleted task is refused
   * @param log where the one-line-per-dispatch JSON log goes
   */
  public static TasksEmulator start(int port, Duration nameRetention, PrintStream log)
      throws IOException {
    Queues queues = new Queues(nameRetention, Clock.systemUTC(), System::nanoTime);
    DispatchLog dispatchLog = new DispatchLog(log);
    Dispatcher dispatcher = new Dispatcher(queues, dispatchLog);
    Server server =
        NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))
            .addService(new CloudTasksService(queues))
            .build();
    try {
      server.start();
    } catch (IOException e) {
      throw new IOException("Cloud Tasks emulator cannot listen on 127.0.0.1:" + port, e);
    }
    dispatcher.start();
    dispatchLog.info(
        "Cloud Tasks emulator listening on 127.0.0.1:" + server.getPort(),
        "port",
        server.getPort(),
        "name_retention",
        nameRetention.toString());
    return new TasksEmulator(server, queues, dispatcher);
  }

  public int port() {
    return server.getPort();
  }

  /** {@code 127.0.0.1:PORT}, the value for {@code CLOUD_TASKS_EMULATOR_HOST}. */
  public String endpoint() {
    return "127.0.0.1:" + port();
  }

  /**
   * Creates the queue, or updates it when it exists (the API's UpdateQueue with an empty mask): for
   * a launcher that sets up the manifest's queues and may run twice.
   */
  public Queue putQueue(Queue queue) {
    return queues.updateQueue(queue, FieldMask.getDefaultInstance());
  }

  @Override
  public void close() {
    server.shutdownNow();
    dispatcher.close();
    try {
      server.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** {@code --port N} (default 8123) and {@code --name-retention 1h|30m|90s|0s}. */
  public static void main(String[] args) throws IOException, InterruptedException {
    int port = 8123;
    Duration retention = DEFAULT_NAME_RETENTION;
    for (int i = 0; i < args.length; i++) {
      String value = i + 1 < args.length ? args[i + 1] : "";
      switch (args[i]) {
        case "--port" -> {
          port = Integer.parseInt(value);
          i++;
        }
        case "--name-retention" -> {
          retention = parseDuration(value);
          i++;
        }
        default -> {
          System.err.println("usage: TasksEmulator [--port N] [--name-retention 1h]");
          System.exit(2);
        }
      }
    }
    TasksEmulator emulator = start(port, retention, System.out);
    Runtime.getRuntime().addShutdownHook(new Thread(emulator::close, "cloud-tasks-shutdown"));
    emulator.server.awaitTermination();
  }

  private static Duration parseDuration(String value) {
    Matcher m = Pattern.compile("(\\d+)(ms|s|m|h)").matcher(value);
    if (!m.matches()) {
      throw new IllegalArgumentException("not a duration like 90s, 30m or 1h: " + value);
    }
    long amount = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "ms" -> Duration.ofMillis(amount);
      case "s" -> Duration.ofSeconds(amount);
      case "m" -> Duration.ofMinutes(amount);
      default -> Duration.ofHours(amount);
    };
  }
}
