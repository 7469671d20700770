package dev.mise.emulators.tasks;

import com.google.cloud.tasks.v2.Queue;
import com.google.cloud.tasks.v2.Task;
import com.google.protobuf.FieldMask;
import com.google.protobuf.util.FieldMaskUtil;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Every queue of the emulator and the operations of the API on them. One lock guards all state: the
 * emulator serves a developer's machine, not a fleet, and one lock keeps dispatch decisions simple
 * to reason about. {@link #changed} wakes the {@link Dispatcher} whenever something may be due.
 */
final class Queues {

  final ReentrantLock lock = new ReentrantLock();
  final Condition changed = lock.newCondition();

  private final Map<String, QueueState> byName = new TreeMap<>();
  private final Duration nameRetention;
  private final Clock clock;
  private final LongSupplier nanoTime;
  private long sequence;

  Queues(Duration nameRetention, Clock clock, LongSupplier nanoTime) {
    this.nameRetention = nameRetention;
    this.clock = clock;
    this.nanoTime = nanoTime;
  }

  Instant now() {
    return clock.instant();
  }

  long nanoTime() {
    return nanoTime.getAsLong();
  }

  Queue createQueue(String parent, Queue requested) {
    ResourceNames.location(parent);
    String name = ResourceNames.queue(requested.getName());
    if (!ResourceNames.parentOfQueue(name).equals(parent)) {
      throw ApiErrors.invalidArgument("Queue " + name + " is not in " + parent);
    }
    Queue config = QueueState.withDefaults(outputOnlyCleared(requested));
    return changing(
        () -> {
          if (byName.containsKey(name)) {
            throw ApiErrors.alreadyExists(name);
          }
          QueueState queue = new QueueState(config, nameRetention, nanoTime());
          byName.put(name, queue);
          return queue.toProto();
        });
  }

  /** UpdateQueue: updates the fields in the mask (all when empty), creating a missing queue. */
  Queue updateQueue(Queue requested, FieldMask mask) {
    String name = ResourceNames.queue(requested.getName());
    if (!mask.getPathsList().isEmpty() && !FieldMaskUtil.isValid(Queue.class, mask)) {
      throw ApiErrors.invalidArgument("update_mask names a field Queue does not have: " + mask);
    }
    return changing(
        () -> {
          QueueState queue = byName.get(name);
          Queue current =
              queue == null ? Queue.newBuilder().setName(name).build() : queue.toProto();
          Queue next = outputOnlyCleared(merged(current, requested, mask));
          if (queue == null) {
            queue = new QueueState(QueueState.withDefaults(next), nameRetention, nanoTime());
            byName.put(name, queue);
          } else {
            queue.reconfigure(next, nanoTime());
          }
          return queue.toProto();
        });
  }

  private static Queue merged(Queue current, Queue requested, FieldMask mask) {
    if (mask.getPathsList().isEmpty()) {
      return requested;
    }
    Queue.Builder into = current.toBuilder();
    FieldMaskUtil.merge(
        mask,
        requested,
        into,
        new FieldMaskUtil.MergeOptions()
            .setReplaceMessageFields(true)
            .setReplacePrimitiveFields(true)
            .setReplaceRepeatedFields(true));
    return into.build();
  }

  private static Queue outputOnlyCleared(Queue queue) {
    return queue.toBuilder()
        .clearState()
        .clearPurgeTime()
        .setRateLimits(queue.getRateLimits().toBuilder().clearMaxBurstSize())
        .build();
  }

  Queue getQueue(String name) {
    return locked(() -> queue(name).toProto());
  }

  List<Queue> listQueues(String parent) {
    ResourceNames.location(parent);
    String prefix = parent + "/queues/";
    return locked(
        () ->
            byName.values().stream()
                .filter(q -> q.name.startsWith(prefix))
                .map(QueueState::toProto)
                .toList());
  }

  void deleteQueue(String name) {
    changing(
        () -> {
          queue(name).discardAll();
          return byName.remove(name);
        });
  }

  Queue setState(String name, Queue.State state) {
    return changing(
        () -> {
          QueueState queue = queue(name);
          queue.setState(state);
          return queue.toProto();
        });
  }

  Queue purgeQueue(String name) {
    return changing(
        () -> {
          QueueState queue = queue(name);
          queue.purge(now());
          return queue.toProto();
        });
  }

  Task createTask(String parent, Task requested, Task.View view) {
    ResourceNames.queue(parent);
    if (!requested.getName().isEmpty()
        && !ResourceNames.parentOfTask(requested.getName()).equals(parent)) {
      throw ApiErrors.invalidArgument(
          "Task " + requested.getName() + " does not belong to queue " + parent);
    }
    return changing(
        () -> {
          QueueState queue = queue(parent);
          Instant now = now();
          String name = requested.getName().isEmpty() ? freshName(queue, now) : requested.getName();
          QueuedTask task = QueuedTask.accept(name, requested, now, ++sequence);
          queue.add(task, now);
          return task.toProto(view);
        });
  }

  /** A name like the service's generated ones: a large random decimal number. */
  private static String freshName(QueueState queue, Instant now) {
    String id;
    do {
      id =
          Long.toString(
              ThreadLocalRandom.current().nextLong(1_000_000_000_000_000L, Long.MAX_VALUE));
    } while (queue.hasName(id, now));
    return queue.name + "/tasks/" + id;
  }

  Task getTask(String name, Task.View view) {
    return locked(() -> task(name).toProto(view));
  }

  List<Task> listTasks(String parent, Task.View view) {
    ResourceNames.queue(parent);
    return locked(
        () -> {
          List<Task> tasks = new ArrayList<>();
          queue(parent).tasksInOrder().forEach(t -> tasks.add(t.toProto(view)));
          return tasks;
        });
  }

  void deleteTask(String name) {
    changing(
        () -> {
          QueuedTask task = task(name);
          queue(ResourceNames.parentOfTask(name)).remove(task, now());
          return task;
        });
  }

  /** RunTask: dispatch now, regardless of schedule, rate limit and pause. */
  Task runTask(String name, Task.View view) {
    return changing(
        () -> {
          QueuedTask task = task(name);
          if (!task.running) {
            task.forced = true;
            task.scheduleTime = now();
          }
          return task.toProto(view);
        });
  }

  /** The queues, for the dispatcher; call with the lock held. */
  List<QueueState> all() {
    return List.copyOf(byName.values());
  }

  private QueueState queue(String name) {
    ResourceNames.queue(name);
    QueueState queue = byName.get(name);
    if (queue == null) {
      throw ApiErrors.notFound(name);
    }
    return queue;
  }

  private QueuedTask task(String name) {
    String parent = ResourceNames.parentOfTask(name);
    return queue(parent).task(ResourceNames.taskId(name));
  }

  private <T> T locked(Supplier<T> body) {
    lock.lock();
    try {
      return body.get();
    } finally {
      lock.unlock();
    }
  }

  /** Runs a mutation and wakes the dispatcher. */
  private <T> T changing(Supplier<T> body) {
    lock.lock();
    try {
      T result = body.get();
      changed.signalAll();
      return result;
    } finally {
      lock.unlock();
    }
  }
}
