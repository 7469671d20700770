package dev.mise.health;

import com.google.cloud.functions.CloudEventsFunction;
import dev.mise.common.config.Env;
import dev.mise.common.events.PubSubMessage;
import dev.mise.common.jobs.FirestoreJobStore;
import dev.mise.common.jobs.JobStore;
import dev.mise.common.logging.Log;
import io.cloudevents.CloudEvent;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Subscribed to {@code health-events}: writes each message to {@code healthEchoes/<event id>} so a
 * test (or an operator) can see the Pub/Sub → Eventarc → function → Firestore chain work. The write
 * is a create keyed by the event id, so a redelivered event changes nothing. A message with the
 * attribute {@code fail=true} throws before writing, to exercise retries and dead letters. An event
 * that is not a Pub/Sub message is logged and acknowledged: no retry could fix it.
 */
public final class EventEcho implements CloudEventsFunction {

  static final String COLLECTION = "healthEchoes";

  private final Supplier<JobStore> storeFactory;
  private final Clock clock;
  private final Log log = Log.to("health-echo");
  private JobStore store;

  /** For the runtime: Firestore from the environment, connected on the first event. */
  public EventEcho() {
    this(() -> new FirestoreJobStore(Env.system()), Clock.systemUTC());
  }

  public EventEcho(JobStore store, Clock clock) {
    this(() -> store, clock);
  }

  private EventEcho(Supplier<JobStore> storeFactory, Clock clock) {
    this.storeFactory = storeFactory;
    this.clock = clock;
  }

  @Override
  public void accept(CloudEvent event) {
    PubSubMessage message;
    try {
      message = PubSubMessage.from(event);
    } catch (IllegalArgumentException e) {
      log.with("eventId", event.getId()).error("not a Pub/Sub message; dropped", e);
      return;
    }
    Log eventLog = log.with("eventId", event.getId()).with("messageId", message.messageId());
    if ("true".equals(message.attributes().get("fail"))) {
      eventLog.warn("failing on purpose (attribute fail=true)");
      throw new IllegalStateException("message " + message.messageId() + " asked to fail");
    }
    Map<String, Object> echo = new LinkedHashMap<>();
    echo.put("eventId", event.getId());
    echo.put("messageId", message.messageId());
    echo.put("source", event.getSource().toString());
    echo.put("data", message.text());
    echo.put("attributes", message.attributes());
    echo.put("publishTime", message.publishTime());
    echo.put("subscription", message.subscription());
    echo.put("receivedAt", clock.instant());
    boolean created = store().create(COLLECTION, event.getId(), echo);
    eventLog.info(created ? "echoed" : "already echoed; redelivery ignored");
  }

  private synchronized JobStore store() {
    if (store == null) {
      store = storeFactory.get();
    }
    return store;
  }
}
