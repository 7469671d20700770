package dev.mise.common.config;

/** A configuration variable is missing or malformed; the message names it. */
public class ConfigException extends RuntimeException {
  private final String variable;

  public ConfigException(String variable, String problem) {
    super("Configuration error: " + variable + " " + problem);
    this.variable = variable;
  }

  public String variable() {
    return variable;
  }
}
