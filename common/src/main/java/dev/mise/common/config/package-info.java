/**
 * Typed configuration from the environment.
 *
 * <pre>{@code
 * Env env = Env.system();
 * Duration ttl = env.getDuration("OCR_RETENTION", Duration.ofDays(7));
 * String project = env.projectId(); // ConfigException naming GOOGLE_CLOUD_PROJECT when unset
 * }</pre>
 */
package dev.mise.common.config;
