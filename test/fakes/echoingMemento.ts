/**
 * VS Code 1.139's globalState as the extension host sees it: one JSON object per extension. An
 * `update` changes the window's local copy and sends the WHOLE object to the main thread a
 * moment later; the main thread keeps the last object it got and sends it back to every window
 * (the writer included), which REPLACES that window's local copy. A change made between an
 * update and the echo of another write is lost: the defect this fake reproduces.
 */
export class MainThreadStorage {
  private value: Record<string, unknown> = {};
  private readonly windows = new Set<EchoingMemento>();

  open(): EchoingMemento {
    const memento = new EchoingMemento(this, structuredClone(this.value));
    this.windows.add(memento);
    return memento;
  }

  accept(value: Record<string, unknown>): void {
    this.value = structuredClone(value);
    const echoed = structuredClone(value);
    // In order, like the main thread, and a little later than the write.
    setTimeout(() => {
      for (const window of this.windows) window.replace(structuredClone(echoed));
    }, 1);
  }
}

export class EchoingMemento {
  private flushing: Promise<void> | undefined;

  constructor(
    private readonly main: MainThreadStorage,
    private local: Record<string, unknown>,
  ) {}

  keys(): readonly string[] {
    return Object.keys(this.local);
  }

  get<T>(key: string, fallback?: T): T | undefined {
    const value = this.local[key];
    return value === undefined ? fallback : (structuredClone(value) as T);
  }

  update(key: string, value: unknown): Promise<void> {
    if (value === undefined) delete this.local[key];
    else this.local[key] = structuredClone(value);
    this.flushing ??= new Promise<void>((resolve) =>
      setTimeout(() => {
        this.flushing = undefined;
        this.main.accept(this.local);
        resolve();
      }, 0),
    );
    return this.flushing;
  }

  setKeysForSync(): void {}

  replace(value: Record<string, unknown>): void {
    this.local = value;
  }
}
