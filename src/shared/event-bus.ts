import { EventEmitter } from 'node:events';

/**
 * A typed in-process publish/subscribe bus. Services publish domain events;
 * `realtime/` (and anything else) subscribes. Listeners that throw are
 * reported to `onListenerError` and never break the publisher.
 */
export interface EventBus<Events extends { [K in keyof Events]: unknown }> {
  publish<K extends keyof Events & string>(type: K, payload: Events[K]): void;
  subscribe<K extends keyof Events & string>(type: K, listener: (payload: Events[K]) => void): () => void;
}

export function createEventBus<Events extends { [K in keyof Events]: unknown }>(
  onListenerError: (error: unknown, type: string) => void,
): EventBus<Events> {
  const emitter = new EventEmitter();
  emitter.setMaxListeners(100);
  return {
    publish(type, payload) {
      for (const listener of emitter.listeners(type)) {
        try {
          (listener as (value: unknown) => void)(payload);
        } catch (error) {
          onListenerError(error, type);
        }
      }
    },
    subscribe(type, listener) {
      emitter.on(type, listener);
      return () => emitter.off(type, listener);
    },
  };
}
