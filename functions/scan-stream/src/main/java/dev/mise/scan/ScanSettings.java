package dev.mise.scan;

import dev.mise.common.config.Env;
import dev.mise.common.sse.SseStream;
import java.time.Duration;
import java.util.Map;

/**
 * The scanner's configuration, read from the environment when an instance starts.
 *
 * @param visionModel {@code SCAN_VISION_MODEL}, default {@code gemini-2.5-flash}
 * @param imageModel {@code SCAN_IMAGE_MODEL}, default {@code gemini-2.5-flash-image}
 * @param visionTimeout {@code SCAN_VISION_TIMEOUT}, default 30 s per call (a repair is another)
 * @param imageTimeout {@code SCAN_IMAGE_TIMEOUT}, default 60 s per picture
 * @param maxConcurrentScans {@code SCAN_MAX_CONCURRENT_PER_USER}, default 2
 * @param dailyQuota {@code SCAN_DAILY_QUOTA}, scans a user may start per UTC day, default 50
 * @param lease {@code SCAN_LEASE}, how long a running scan holds a concurrency slot at most
 * @param stream {@code SSE_RETRY} (default 3 s) and {@code SSE_HEARTBEAT} (default 15 s)
 * @param nearLookupWait {@code SCAN_NEAR_LOOKUP_WAIT}: how long the near-duplicate lookup may take
 * @param resumeMaxWait {@code SCAN_RESUME_MAX_WAIT}: how long a resume follows a running scan
 * @param resumePoll {@code SCAN_RESUME_POLL}: how often a resume reads the session document
 * @param staleAfter {@code SCAN_STALE_AFTER}: a running session not updated for this long is lost
 * @param retention {@code SCAN_RETENTION}: how long sessions and cache entries are kept (default 30
 *     days, as the bucket keeps {@code gen/} pictures; the manifest's TTL policies delete them)
 */
public record ScanSettings(
    String visionModel,
    String imageModel,
    Duration visionTimeout,
    Duration imageTimeout,
    int maxConcurrentScans,
    int dailyQuota,
    Duration lease,
    SseStream.Options stream,
    Duration nearLookupWait,
    Duration resumeMaxWait,
    Duration resumePoll,
    Duration staleAfter,
    Duration retention) {

  public static ScanSettings from(Env env) {
    return new ScanSettings(
        env.get("SCAN_VISION_MODEL", "gemini-2.5-flash"),
        env.get("SCAN_IMAGE_MODEL", "gemini-2.5-flash-image"),
        env.getDuration("SCAN_VISION_TIMEOUT", Duration.ofSeconds(30)),
        env.getDuration("SCAN_IMAGE_TIMEOUT", Duration.ofSeconds(60)),
        env.getInt("SCAN_MAX_CONCURRENT_PER_USER", 2),
        env.getInt("SCAN_DAILY_QUOTA", 50),
        env.getDuration("SCAN_LEASE", Duration.ofMinutes(5)),
        new SseStream.Options(
            env.getDuration("SSE_RETRY", Duration.ofSeconds(3)),
            env.getDuration("SSE_HEARTBEAT", Duration.ofSeconds(15))),
        env.getDuration("SCAN_NEAR_LOOKUP_WAIT", Duration.ofSeconds(3)),
        env.getDuration("SCAN_RESUME_MAX_WAIT", Duration.ofMinutes(4)),
        env.getDuration("SCAN_RESUME_POLL", Duration.ofMillis(250)),
        env.getDuration("SCAN_STALE_AFTER", Duration.ofMinutes(3)),
        env.getDuration("SCAN_RETENTION", Duration.ofDays(30)));
  }

  /** The defaults, as with an empty environment. */
  public static ScanSettings defaults() {
    return from(new Env(Map.of()));
  }
}
