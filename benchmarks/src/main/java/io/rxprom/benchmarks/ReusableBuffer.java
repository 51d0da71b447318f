package io.rxprom.benchmarks;

import java.io.ByteArrayOutputStream;

/**
 * A byte sink reused across scrapes: {@link #reset()} keeps the array, so once it has grown to
 * the size of one scrape no benchmark op allocates in it. Not thread-safe (one per thread).
 */
final class ReusableBuffer extends ByteArrayOutputStream {
  ReusableBuffer(int capacity) {
    super(capacity);
  }

  /** The bytes written since the last reset, without copying them. */
  byte[] array() {
    return buf;
  }
}
