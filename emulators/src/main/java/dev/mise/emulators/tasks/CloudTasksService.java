package dev.mise.emulators.tasks;

import com.google.cloud.tasks.v2.CloudTasksGrpc;
import com.google.cloud.tasks.v2.CreateQueueRequest;
import com.google.cloud.tasks.v2.CreateTaskRequest;
import com.google.cloud.tasks.v2.DeleteQueueRequest;
import com.google.cloud.tasks.v2.DeleteTaskRequest;
import com.google.cloud.tasks.v2.GetQueueRequest;
import com.google.cloud.tasks.v2.GetTaskRequest;
import com.google.cloud.tasks.v2.ListQueuesRequest;
import com.google.cloud.tasks.v2.ListQueuesResponse;
import com.google.cloud.tasks.v2.ListTasksRequest;
import com.google.cloud.tasks.v2.ListTasksResponse;
import com.google.cloud.tasks.v2.PauseQueueRequest;
import com.google.cloud.tasks.v2.PurgeQueueRequest;
import com.google.cloud.tasks.v2.Queue;
import com.google.cloud.tasks.v2.ResumeQueueRequest;
import com.google.cloud.tasks.v2.RunTaskRequest;
import com.google.cloud.tasks.v2.Task;
import com.google.cloud.tasks.v2.UpdateQueueRequest;
import com.google.protobuf.Empty;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Cloud Tasks v2 gRPC surface. Each call checks its request, delegates to {@link Queues}, and
 * answers either the result or the status code the real service gives. IAM calls stay
 * UNIMPLEMENTED.
 */
final class CloudTasksService extends CloudTasksGrpc.CloudTasksImplBase {

  private static final int MAX_QUEUE_PAGE = 9800;
  private static final int MAX_TASK_PAGE = 1000;
  private static final Pattern STATE_FILTER =
      Pattern.compile("\\s*state\\s*[:=]\\s*\"?([A-Z_]+)\"?\\s*");

  private final Queues queues;

  CloudTasksService(Queues queues) {
    this.queues = queues;
  }

  @Override
  public void listQueues(ListQueuesRequest request, StreamObserver<ListQueuesResponse> response) {
    answer(
        response,
        () -> {
          List<Queue> all = queues.listQueues(request.getParent());
          if (!request.getFilter().isBlank()) {
            Queue.State state = stateFilter(request.getFilter());
            all = all.stream().filter(q -> q.getState() == state).toList();
          }
          Page page =
              Page.of(all.size(), request.getPageSize(), request.getPageToken(), MAX_QUEUE_PAGE);
          return ListQueuesResponse.newBuilder()
              .addAllQueues(all.subList(page.from(), page.to()))
              .setNextPageToken(page.nextToken())
              .build();
        });
  }

  /** The emulator understands the one filter commonly used, {@code state: PAUSED}. */
  private static Queue.State stateFilter(String filter) {
    Matcher m = STATE_FILTER.matcher(filter);
    if (m.matches()) {
      try {
        return Queue.State.valueOf(m.group(1));
      } catch (IllegalArgumentException e) {
        // falls through to the error below
      }
    }
    throw ApiErrors.invalidArgument(
        "The emulator supports only filters of the form 'state: PAUSED', not: " + filter);
  }

  @Override
  public void getQueue(GetQueueRequest request, StreamObserver<Queue> response) {
    answer(response, () -> queues.getQueue(request.getName()));
  }

  @Override
  public void createQueue(CreateQueueRequest request, StreamObserver<Queue> response) {
    answer(response, () -> queues.createQueue(request.getParent(), request.getQueue()));
  }

  @Override
  public void updateQueue(UpdateQueueRequest request, StreamObserver<Queue> response) {
    answer(response, () -> queues.updateQueue(request.getQueue(), request.getUpdateMask()));
  }

  @Override
  public void deleteQueue(DeleteQueueRequest request, StreamObserver<Empty> response) {
    answer(
        response,
        () -> {
          queues.deleteQueue(request.getName());
          return Empty.getDefaultInstance();
        });
  }

  @Override
  public void purgeQueue(PurgeQueueRequest request, StreamObserver<Queue> response) {
    answer(response, () -> queues.purgeQueue(request.getName()));
  }

  @Override
  public void pauseQueue(PauseQueueRequest request, StreamObserver<Queue> response) {
    answer(response, () -> queues.setState(request.getName(), Queue.State.PAUSED));
  }

  @Override
  public void resumeQueue(ResumeQueueRequest request, StreamObserver<Queue> response) {
    answer(response, () -> queues.setState(request.getName(), Queue.State.RUNNING));
  }

  @Override
  public void listTasks(ListTasksRequest request, StreamObserver<ListTasksResponse> response) {
    answer(
        response,
        () -> {
          List<Task> all = queues.listTasks(request.getParent(), request.getResponseView());
          Page page =
              Page.of(all.size(), request.getPageSize(), request.getPageToken(), MAX_TASK_PAGE);
          return ListTasksResponse.newBuilder()
              .addAllTasks(all.subList(page.from(), page.to()))
              .setNextPageToken(page.nextToken())
              .build();
        });
  }

  @Override
  public void getTask(GetTaskRequest request, StreamObserver<Task> response) {
    answer(response, () -> queues.getTask(request.getName(), request.getResponseView()));
  }

  @Override
  public void createTask(CreateTaskRequest request, StreamObserver<Task> response) {
    answer(
        response,
        () -> queues.createTask(request.getParent(), request.getTask(), request.getResponseView()));
  }

  @Override
  public void deleteTask(DeleteTaskRequest request, StreamObserver<Empty> response) {
    answer(
        response,
        () -> {
          queues.deleteTask(request.getName());
          return Empty.getDefaultInstance();
        });
  }

  @Override
  public void runTask(RunTaskRequest request, StreamObserver<Task> response) {
    answer(response, () -> queues.runTask(request.getName(), request.getResponseView()));
  }

  private static <T> void answer(StreamObserver<T> response, Supplier<T> call) {
    T result;
    try {
      result = call.get();
    } catch (StatusRuntimeException e) {
      response.onError(e);
      return;
    } catch (RuntimeException e) {
      response.onError(
          Status.INTERNAL.withDescription("emulator bug: " + e).withCause(e).asRuntimeException());
      return;
    }
    response.onNext(result);
    response.onCompleted();
  }

  /** A page of a list call; the token is the offset of the next page. */
  private record Page(int from, int to, String nextToken) {
    static Page of(int total, int pageSize, String token, int maxPageSize) {
      if (pageSize < 0) {
        throw ApiErrors.invalidArgument("page_size must not be negative");
      }
      int from;
      try {
        from = token.isEmpty() ? 0 : Integer.parseInt(token);
      } catch (NumberFormatException e) {
        throw ApiErrors.invalidArgument("Invalid page_token: " + token);
      }
      if (from < 0 || from > total) {
        throw ApiErrors.invalidArgument("Invalid page_token: " + token);
      }
      int size = pageSize == 0 ? maxPageSize : Math.min(pageSize, maxPageSize);
      int to = Math.min(total, from + size);
      return new Page(from, to, to < total ? Integer.toString(to) : "");
    }
  }
}
