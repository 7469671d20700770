package dev.mise.common.http;

import dev.mise.common.logging.Log;
import java.util.Optional;

/**
 * What the top-level handler knows about the request it is serving: its id (echoed to the client
 * and set as every problem's {@code instance}), its Cloud Trace resource when the caller sent one,
 * and a log that stamps both on every line.
 */
public record RequestContext(String requestId, Optional<String> trace, Log log) {}
