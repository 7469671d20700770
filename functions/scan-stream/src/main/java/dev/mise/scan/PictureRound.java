package dev.mise.scan;

import dev.mise.common.models.ModelException;
import dev.mise.scan.images.DishPictures;
import dev.mise.scan.menu.MenuItem;
import dev.mise.scan.session.ImageState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The recommended dishes' pictures, generated in parallel and handed over in the order they finish.
 * A failure is a picture's own ({@code failed} with a code), never the round's.
 */
final class PictureRound {

  private final DishPictures pictures;
  private final ExecutorService work;
  private final Duration imageTimeout;

  PictureRound(DishPictures pictures, ExecutorService work, Duration imageTimeout) {
    this.pictures = pictures;
    this.work = work;
    this.imageTimeout = imageTimeout;
  }

  /** Draws every dish, calling {@code finished} on this thread as each ends; returns the ms. */
  long draw(String sessionId, List<MenuItem> dishes, Consumer<ImageState> finished) {
    long start = System.nanoTime();
    CompletionService<ImageState> done = new ExecutorCompletionService<>(work);
    List<String> waiting = new ArrayList<>();
    for (MenuItem dish : dishes) {
      done.submit(() -> drawOne(sessionId, dish));
      waiting.add(dish.id());
    }
    // Each call has its own deadline; this bound only guards against a call that ignores it.
    long deadline = System.nanoTime() + imageTimeout.multipliedBy(2).toNanos();
    while (!waiting.isEmpty()) {
      ImageState state;
      try {
        Future<ImageState> next =
            done.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        if (next == null) {
          break;
        }
        state = next.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      } catch (ExecutionException e) {
        continue; // drawOne does not throw
      }
      waiting.remove(state.itemId());
      finished.accept(state);
    }
    for (String itemId : waiting) {
      finished.accept(
          ImageState.failed(itemId, "timeout", ScanProblems.imageErrorMessage("timeout")));
    }
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
  }

  private ImageState drawOne(String sessionId, MenuItem dish) {
    long start = System.nanoTime();
    String code;
    try {
      String url = pictures.generate(sessionId, dish);
      return ImageState.ready(
          dish.id(), url, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
    } catch (ModelException e) {
      code = ScanProblems.imageErrorCode(e);
    } catch (DishPictures.NoPicture e) {
      code = "no-image";
    } catch (DishPictures.StorageFailed e) {
      code = "storage-failed";
    } catch (RuntimeException e) {
      code = "internal";
    }
    return ImageState.failed(dish.id(), code, ScanProblems.imageErrorMessage(code));
  }
}
