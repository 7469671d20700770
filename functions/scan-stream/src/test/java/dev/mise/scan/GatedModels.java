package dev.mise.scan;

import dev.mise.common.models.ModelReply;
import dev.mise.common.models.ModelRequest;
import dev.mise.common.models.Models;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.IntPredicate;

/**
 * Image calls that finish in a chosen order: none answers before all have started (so they provably
 * run at the same time), and the picture for the n-th prompt answers only once the (n-1)-th has
 * been streamed ({@code streamed} tells). Other calls go to the delegate.
 */
final class GatedModels implements Models {

  private final Models delegate;
  private final List<String> order;
  private final byte[] png;
  private final IntPredicate streamed;
  private final CountDownLatch allStarted;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger maxInFlight = new AtomicInteger();

  GatedModels(Models delegate, List<String> order, byte[] png, IntPredicate streamed) {
    this.delegate = delegate;
    this.order = order;
    this.png = png;
    this.streamed = streamed;
    this.allStarted = new CountDownLatch(order.size());
  }

  int maxInFlight() {
    return maxInFlight.get();
  }

  @Override
  public ModelReply generate(ModelRequest request) {
    if (!request.wantImage()) {
      return delegate.generate(request);
    }
    String prompt = ScanStreamTest.prompt(request);
    int position = -1;
    for (int i = 0; i < order.size(); i++) {
      if (prompt.contains(order.get(i))) {
        position = i;
      }
    }
    maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
    allStarted.countDown();
    try {
      if (!allStarted.await(20, TimeUnit.SECONDS)) {
        throw new AssertionError("the pictures did not all start");
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (position > 0 && !streamed.test(position - 1)) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("picture " + (position - 1) + " was never streamed");
        }
        Thread.sleep(2);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    } finally {
      inFlight.decrementAndGet();
    }
    return new ModelReply("", List.of(new ModelReply.Media("image/png", png)), "STOP", 0, 0);
  }

  @Override
  public ModelReply stream(ModelRequest request, Consumer<ModelReply> chunk) {
    return delegate.stream(request, chunk);
  }

  @Override
  public List<float[]> embed(String model, List<String> texts, int dimensions) {
    return delegate.embed(model, texts, dimensions);
  }
}
