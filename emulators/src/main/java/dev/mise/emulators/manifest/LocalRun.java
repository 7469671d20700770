package dev.mise.emulators.manifest;

/**
 * How the local stack runs a function: the port its invoker listens on (JSON key {@code local}).
 */
public record LocalRun(Integer port) {}
