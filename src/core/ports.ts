/**
 * What core services need from the outside world, as interfaces. The host gives real
 * implementations (Node's fetch, VS Code storage); tests give small in-memory fakes.
 */

export type HttpResult =
  | { readonly kind: 'ok'; readonly status: number; readonly body: unknown; readonly headers: Readonly<Record<string, string>> }
  | { readonly kind: 'status'; readonly status: number; readonly bodyText: string; readonly headers: Readonly<Record<string, string>> }
  | { readonly kind: 'unparsable'; readonly status: number; readonly detail: string }
  | { readonly kind: 'too-large'; readonly limitBytes: number }
  | { readonly kind: 'redirect'; readonly status: number; readonly location: string }
  | { readonly kind: 'timeout'; readonly afterMs: number }
  | { readonly kind: 'network'; readonly detail: string }
  | { readonly kind: 'aborted' };

export interface HttpRequest {
  readonly method: 'GET' | 'PUT' | 'PATCH' | 'POST';
  readonly url: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** Serialized as JSON. */
  readonly json?: unknown;
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
}

export interface HttpClient {
  /** Never throws: every outcome is a value. 2xx bodies are parsed as JSON; redirects are not followed. */
  request(request: HttpRequest): Promise<HttpResult>;
}

export interface Clock {
  now(): number;
}

export interface KeyValueStore {
  get<T>(key: string): T | undefined;
  set(key: string, value: unknown): Promise<void>;
  /**
   * Reads, changes and writes one key as one step: another window's write to the same key cannot
   * land between the read and the write and be lost. `undefined` deletes the key.
   */
  update<T>(key: string, change: (current: T | undefined) => T | undefined): Promise<void>;
}

export type Listener<T> = (value: T) => void;

/** A tiny event source for core services (the host adapts it to vscode.Event). */
export class Emitter<T> {
  private readonly listeners = new Set<Listener<T>>();
  readonly event = (listener: Listener<T>): { dispose(): void } => {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  };
  fire(value: T): void {
    for (const listener of [...this.listeners]) listener(value);
  }
}
