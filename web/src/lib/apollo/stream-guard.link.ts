import { ApolloLink } from '@apollo/client';

// Where @apollo/client-react-streaming puts the controller of the stream that carries a query's results
// from the server to the browser (PreloadQuery from server components; SSR to browser hydration).
const TEE_CONTROLLER_KEY = Symbol.for('apollo.tee.readableStreamController');

const guarded = new WeakSet<object>();

/**
 * Workaround for apollographql/apollo-client-integrations#561 (open for 0.14.5): when the reader of
 * that stream goes away first (the browser closed the tab, navigated, or Next dropped a prefetch), a
 * later result makes `controller.enqueue()` throw inside an rxjs subscriber, which Node reports as an
 * uncaughtException. Nobody is reading any more, so the chunk can be dropped. This link sits after
 * the integration's TeeToReadableStreamLink and makes the controller's enqueue/close ignore a closed
 * stream before any result flows. Remove it once the integration guards these calls itself.
 */
export const streamGuardLink = new ApolloLink((operation, forward) => {
  const getController: unknown = (operation.getContext() as Record<PropertyKey, unknown>)[TEE_CONTROLLER_KEY];
  if (typeof getController === 'function') {
    const controller: unknown = getController();
    if (isController(controller) && !guarded.has(controller)) {
      guarded.add(controller);
      const enqueue = controller.enqueue.bind(controller);
      const close = controller.close.bind(controller);
      controller.enqueue = (chunk?: unknown) => {
        try {
          enqueue(chunk);
        } catch {
          // The stream was closed or cancelled by its reader.
        }
      };
      controller.close = () => {
        try {
          close();
        } catch {
          // Already closed.
        }
      };
    }
  }
  return forward(operation);
});

function isController(value: unknown): value is ReadableStreamDefaultController<unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { enqueue?: unknown }).enqueue === 'function' &&
    typeof (value as { close?: unknown }).close === 'function'
  );
}
