package dev.mise.common.events;

import java.util.Map;

/**
 * Port to the message bus that triggers event functions (Pub/Sub in the cloud and locally through
 * its emulator; Eventarc delivers the messages as CloudEvents).
 */
public interface EventBus {

  /**
   * Publishes a message and waits until the bus has accepted it.
   *
   * @return the message id the bus assigned
   * @throws EventBusUnavailableException when the bus or topic cannot take the message now
   */
  String publish(String topic, byte[] data, Map<String, String> attributes);
}
