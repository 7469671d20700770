/**
 * Bodies pass through the edge chunk by chunk: nothing here waits for a whole body. A
 * text/event-stream response therefore reaches the client event by event, an upload reaches the
 * function while the client is still sending, and a client that goes away cancels the stream,
 * which closes the upstream connection.
 */

export interface Relayed {
  body: ReadableStream<Uint8Array>;
  /** Bytes that went through, once the body has ended (or the client went away). */
  bytes: Promise<number>;
}

/**
 * Relays a body unchanged, counting it. With a known length the result keeps it
 * (FixedLengthStream), so Content-Length survives instead of turning into chunked encoding.
 */
export function relay(source: ReadableStream<Uint8Array>, length: number | null): Relayed {
  const reader = source.getReader();
  let count = 0;
  let settle!: (n: number) => void;
  const bytes = new Promise<number>((resolve) => (settle = resolve));
  const counted = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          const { done, value } = await reader.read();
          if (done) {
            controller.close();
            settle(count);
            return;
          }
          count += value.byteLength;
          controller.enqueue(value);
        } catch (error) {
          settle(count);
          controller.error(error);
        }
      },
      cancel(reason) {
        settle(count);
        return reader.cancel(reason);
      },
    },
    // No read-ahead: a chunk is pulled from upstream only when the client asks for one.
    { highWaterMark: 0 },
  );
  if (length === null) return { body: counted, bytes };
  const fixed = new FixedLengthStream(length);
  counted.pipeTo(fixed.writable).catch(() => settle(count));
  return { body: fixed.readable as ReadableStream<Uint8Array>, bytes };
}

/**
 * A request body that may carry at most `max` bytes. Past the limit `onExceeded` runs (it
 * aborts the upstream fetch, so the function sees a broken connection, never a truncated but
 * complete-looking body) and the stream stops.
 */
export function limitRequestBody(
  source: ReadableStream<Uint8Array>,
  max: number,
  onExceeded: () => void,
): ReadableStream<Uint8Array> {
  const reader = source.getReader();
  let count = 0;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { done, value } = await reader.read();
      if (done) {
        controller.close();
        return;
      }
      count += value.byteLength;
      if (count > max) {
        onExceeded();
        reader.cancel().catch(() => {});
        // Neither close (that would end the body cleanly, truncated) nor error (the runtime
        // reports the error as uncaught): the aborted fetch drops the stream.
        return new Promise<void>(() => {});
      }
      controller.enqueue(value);
    },
    cancel(reason) {
      return reader.cancel(reason);
    },
  });
}

/** Bytes [start, end] (inclusive) of a body; the rest of the source is cancelled, not read. */
export function sliceBody(
  source: ReadableStream<Uint8Array>,
  start: number,
  end: number,
): ReadableStream<Uint8Array> {
  const reader = source.getReader();
  let position = 0;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) {
          controller.close();
          return;
        }
        const from = Math.max(start - position, 0);
        const to = Math.min(end + 1 - position, value.byteLength);
        position += value.byteLength;
        if (to > from) controller.enqueue(value.subarray(from, to));
        if (position > end) {
          controller.close();
          await reader.cancel();
          return;
        }
        if (to > from) return;
      }
    },
    cancel(reason) {
      return reader.cancel(reason);
    },
  });
}
