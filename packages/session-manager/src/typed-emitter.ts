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

  subscribe<K extends keyof Events & string>(event: K, listener: Listener<Events[K]>): () => void {
    super.on(event, listener);
    return () => {
      super.off(event, listener);
    };
  }
}
