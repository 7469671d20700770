package dev.mise.common.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.mise.common.http.ProblemException;
import dev.mise.common.testing.FakeHttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class StepResponsesTest {
  @Test
  void handledDeliveriesAre200AndOthers503WithRetryAfter() throws Exception {
    FakeHttpResponse done = new FakeHttpResponse();
    StepResponses.write(new StepOutcome.Done("{}", true), done);
    assertEquals(200, done.status());
    assertEquals(true, done.json().get("memoized").getAsBoolean());

    FakeHttpResponse failed = new FakeHttpResponse();
    StepResponses.write(new StepOutcome.Failed("blocked", "no"), failed);
    assertEquals(200, failed.status());

    ProblemException busy =
        assertThrows(
            ProblemException.class,
            () ->
                StepResponses.write(
                    new StepOutcome.Busy(Duration.ofSeconds(40)), new FakeHttpResponse()));
    assertEquals(503, busy.problem().status());
    assertEquals("40", busy.headers().get("Retry-After"));
    assertEquals(
        503,
        assertThrows(
                ProblemException.class,
                () -> StepResponses.write(new StepOutcome.Retry("x"), new FakeHttpResponse()))
            .problem()
            .status());
    assertThrows(
        StepResponses.StepRetryException.class,
        () -> StepResponses.requireAcknowledged(new StepOutcome.Retry("x")));
  }
}
