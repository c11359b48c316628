import { EventEmitter } from 'node:events';

type Listener<T> = (event: T) => void;

/** EventEmitter with typed event names and payloads; `subscribe` returns a disposer. */
export class TypedEmitter<Events extends object> extends EventEmitter {
  override on<K extends keyof Events & string>(event: K, listener: Listener<Events[K]>): this {
    return super.on(event, listener);
  }

  override once<K extends keyof Events & string>(event: K, listener: Listener<Events[K]>): this {
    return super.once(event, listener);
  }

  override off<K extends keyof Events & string>(event: K, listener: Listener<Events[K]>): this {
    return super.off(event, listener);
  }

  override emit<K extends keyof Events & string>(event: K, payload: Events[K]): boolean {
    return super.emit(event, payload);
  }

  /**
   * Emits to each listener in turn; a listener that throws does not stop the others or the caller.
   * Its error is passed to `listener:error` listeners, or printed as a process warning.
   */
  emitSafely<K extends keyof Events & string>(event: K, payload: Events[K]): void {
    for (const listener of this.rawListeners(event)) {
      try {
        (listener as Listener<Events[K]>).call(this, payload);
      } catch (error) {
        if (this.listenerCount('listener:error') > 0) {
          super.emit('listener:error', { event, error });
        } else {
          process.emitWarning(`A ${event} listener threw: ${String(error)}`, 'ListenerError');
        }
      }
    }
  }

  subscribe<K extends keyof Events & string>(event: K, listener: Listener<Events[K]>): () => void {
    super.on(event, listener);
    return () => {
      super.off(event, listener);
    };
  }
}
