// What the tabs of one browser share, in memory: a FIFO lock standing in
// for the Web Locks API, a localStorage, and a clock that only moves
// forward (so "after" is never decided by two calls in one millisecond).

import type { CrossTabEnvironment, LockManagerLike, StorageLike } from '@gatehouse/client';

export class FifoLocks implements LockManagerLike {
  private tails = new Map<string, Promise<unknown>>();
  requests = 0;

  request<T>(name: string, callback: () => Promise<T>): Promise<T> {
    this.requests += 1;
    const previous = this.tails.get(name) ?? Promise.resolve();
    const run = previous.then(callback, callback);
    this.tails.set(name, run.catch(() => undefined));
    return run;
  }
}

export class MemoryStorage implements StorageLike {
  private items = new Map<string, string>();
  getItem(key: string): string | null {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string): void {
    this.items.set(key, value);
  }
}

/** One browser: every tab created from it shares its locks, storage and clock. */
export class FakeBrowser {
  readonly locks = new FifoLocks();
  readonly storage = new MemoryStorage();
  private tick = 0;
  readonly now = () => ++this.tick;

  tab(options: { withLocks?: boolean } = {}): CrossTabEnvironment {
    return {
      locks: options.withLocks === false ? null : this.locks,
      storage: this.storage,
      channel: null,
      now: this.now,
    };
  }
}
