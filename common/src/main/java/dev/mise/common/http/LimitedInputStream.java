package dev.mise.common.http;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Passes a body through until it grows past a limit, then answers 413 at once: the rest of the body
 * is never read, so an oversized upload costs the server only {@code limit} bytes.
 */
public final class LimitedInputStream extends FilterInputStream {
  private final long limit;
  private long count;

  public LimitedInputStream(InputStream in, long limit) {
    super(in);
    this.limit = limit;
  }

  /** Bytes read so far. */
  public long count() {
    return count;
  }

  @Override
  public int read() throws IOException {
    int b = super.read();
    if (b >= 0) {
      advance(1);
    }
    return b;
  }

  @Override
  public int read(byte[] buffer, int offset, int length) throws IOException {
    int n = super.read(buffer, offset, length);
    if (n > 0) {
      advance(n);
    }
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    long skipped = super.skip(n);
    advance(skipped);
    return skipped;
  }

  @Override
  public boolean markSupported() {
    return false;
  }

  private void advance(long n) {
    count += n;
    if (count > limit) {
      throw ProblemException.tooLarge("The body may hold at most " + limit + " bytes.");
    }
  }
}
