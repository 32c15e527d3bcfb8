import type { Logger, LogLevel } from './logger.js';

/** Event name -> payload. Payloads are plain fields, so the logger can print them as they are. */
export type EventMap = { [name: string]: Record<string, unknown> };
type Listener<P> = (payload: P) => void;

/**
 * A typed event emitter (as graphile-worker's event map): the store, the agent and the
 * coordinator say what happened as typed events; the logger is one subscriber and tests
 * are others, so tests assert on events and their fields, not on log text.
 */
export class TypedEvents<M extends EventMap> {
  readonly #listeners = new Map<keyof M, Set<Listener<never>>>();
  readonly #any = new Set<(name: keyof M, payload: M[keyof M]) => void>();

  /** Calls `fn` for each `name` event until the returned function is called. */
  on<K extends keyof M>(name: K, fn: Listener<M[K]>): () => void {
    let set = this.#listeners.get(name);
    if (!set) this.#listeners.set(name, (set = new Set()));
    set.add(fn as Listener<never>);
    return () => set.delete(fn as Listener<never>);
  }

  /** Calls `fn` for every event. */
  onAny(fn: (name: keyof M, payload: M[keyof M]) => void): () => void {
    this.#any.add(fn);
    return () => this.#any.delete(fn);
  }

  /** The next `name` event whose payload passes `where` (for tests and waits). */
  next<K extends keyof M>(name: K, where: (payload: M[K]) => boolean = () => true, signal?: AbortSignal): Promise<M[K]> {
    return new Promise((resolve, reject) => {
      const off = this.on(name, (payload) => {
        if (!where(payload)) return;
        off();
        resolve(payload);
      });
      signal?.addEventListener(
        'abort',
        () => {
          off();
          reject(signal.reason);
        },
        { once: true },
      );
    });
  }

  emit<K extends keyof M>(name: K, payload: M[K]): void {
    for (const fn of this.#listeners.get(name) ?? []) this.#call(() => (fn as Listener<M[K]>)(payload), name);
    for (const fn of this.#any) this.#call(() => fn(name, payload), name);
  }

  // A subscriber that throws must not break the component that emits (a transaction, a tick).
  #call(fn: () => void, name: keyof M): void {
    try {
      fn();
    } catch (error) {
      process.emitWarning(`a listener of ${String(name)} threw: ${(error as Error)?.message ?? String(error)}`, 'GitfleetEventListener');
    }
  }
}

/** The level each event is logged at: every event of a map must have one (the compiler checks). */
export type EventLevels<M extends EventMap> = { readonly [K in keyof M]: LogLevel };

/** Subscribes `logger` to every event of `events`, each at its level. Returns the unsubscribe. */
export function logEvents<M extends EventMap>(events: TypedEvents<M>, logger: Logger, levels: EventLevels<M>): () => void {
  return events.onAny((name, payload) => logger[levels[name]](String(name), payload));
}
