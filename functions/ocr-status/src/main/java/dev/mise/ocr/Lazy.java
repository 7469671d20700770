package dev.mise.ocr;

import java.util.function.Supplier;

/** A value made on first use and kept: how functions create their clients (never statically). */
final class Lazy<T> implements Supplier<T> {
  private final Supplier<T> factory;
  private T value;

  Lazy(Supplier<T> factory) {
    this.factory = factory;
  }

  static <T> Lazy<T> of(Supplier<T> factory) {
    return new Lazy<>(factory);
  }

  static <T> Lazy<T> ready(T value) {
    Lazy<T> lazy = new Lazy<>(() -> value);
    lazy.value = value;
    return lazy;
  }

  @Override
  public synchronized T get() {
    if (value == null) {
      value = factory.get();
    }
    return value;
  }
}
