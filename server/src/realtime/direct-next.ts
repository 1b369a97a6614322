// Direct delivery of a subscription's `next` messages, past graphql-ws's per-event loop.
//
// graphql-ws runs one loop per subscription: it awaits the result stream's next(), then `onNext`,
// then builds the message object, validates it, stringifies it and awaits `send`. For a metrics tick
// that is thousands of loops resumed at once, each for one small message (bench/metrics fan-out:
// 2,000 subscribers), and after the socket writes it was the largest cost of the fan-out.
//
// The binding (graphql-ws-server.ts) offers each subscription a sink that writes a `next` message
// of a given payload JSON straight to its socket. A result stream (prepared-subscribe.ts) may use
// it, inside a pending next() call, for results that need nothing of graphql-ws's loop: no errors
// (`onNext` only formats errors here) and a payload it serialises itself. It hands anything else to
// the loop by resolving that next(); graphql-ws asks for the next result only after sending it, so
// the messages of one subscription keep their order. The bytes are those graphql-ws would send.

/** Writes `next` messages of one subscription to its socket. */
export interface DirectNext {
  /**
   * Sends one `next` message whose payload is `payloadJson` (an ExecutionResult as JSON). True if
   * the socket keeps up; false if it has more than its high-water mark queued, and then `drained`
   * is called once this message is written: send nothing more before that.
   */
  send(payloadJson: string, drained: () => void): boolean;
}

// Keyed by the execution arguments graphql-ws builds for one subscription and passes, as the same
// object, to the `context` option and then to `subscribe`.
const sinks = new WeakMap<object, DirectNext>();

export function offerDirectNext(executionArgs: object, sink: DirectNext): void {
  sinks.set(executionArgs, sink);
}

export function directNextFor(executionArgs: object): DirectNext | undefined {
  return sinks.get(executionArgs);
}
