// What the tabs of one browser share to refresh once between them: an
// exclusive lock (Web Locks API) and a "last refresh completed at" marker
// (localStorage, echoed on a BroadcastChannel for browsers where storage
// is unavailable). Every piece is optional: without Web Locks each tab
// refreshes on its own and gatehouse's grace window (SPEC §4, F9) makes
// the racing refreshes converge on one token.

/** The part of `navigator.locks` used here. */
export interface LockManagerLike {
  request<T>(name: string, callback: () => Promise<T>): Promise<T>;
}

/** The part of `localStorage` used here. */
export interface StorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

/** The part of `BroadcastChannel` used here. */
export interface ChannelLike {
  postMessage(message: unknown): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
}

/**
 * Overrides for the browser facilities; `null` turns one off. Left
 * undefined, each is taken from the global scope when it exists.
 */
export interface CrossTabEnvironment {
  locks?: LockManagerLike | null;
  storage?: StorageLike | null;
  channel?: ChannelLike | null;
  /** Wall-clock milliseconds shared by the tabs; default `Date.now`. */
  now?: () => number;
}

const MARKER_MESSAGE_TYPE = 'gatehouse:refreshed';

export class CrossTabCoordination {
  private readonly lockName: string;
  private readonly markerKey: string;
  private readonly locks: LockManagerLike | null;
  private readonly storage: StorageLike | null;
  private readonly channel: ChannelLike | null;
  readonly now: () => number;
  // Latest completion heard on the channel: the fallback for browsers
  // whose storage throws (private modes, disabled storage).
  private heardRefreshedAt = 0;

  constructor(lockName: string, env: CrossTabEnvironment = {}) {
    this.lockName = lockName;
    this.markerKey = `${lockName}:refreshed-at`;
    this.now = env.now ?? Date.now;
    this.locks = env.locks !== undefined ? env.locks : defaultLocks();
    this.storage = env.storage !== undefined ? env.storage : defaultStorage();
    this.channel = env.channel !== undefined ? env.channel : defaultChannel(lockName);
    this.channel?.addEventListener('message', (event) => {
      const data = event.data as { type?: unknown; at?: unknown } | null;
      if (data?.type === MARKER_MESSAGE_TYPE && typeof data.at === 'number') {
        this.heardRefreshedAt = Math.max(this.heardRefreshedAt, data.at);
      }
    });
  }

  /** Runs `task` while holding the cross-tab lock, or at once without one. */
  exclusive<T>(task: () => Promise<T>): Promise<T> {
    return this.locks ? this.locks.request(this.lockName, task) : task();
  }

  /** True iff some tab completed a refresh after the time `sentAt`. */
  refreshedSince(sentAt: number): boolean {
    return this.lastRefreshedAt() > sentAt;
  }

  /** Records, for every tab, that a refresh completed now. */
  markRefreshed(): void {
    const at = this.now();
    this.heardRefreshedAt = Math.max(this.heardRefreshedAt, at);
    try {
      this.storage?.setItem(this.markerKey, String(at));
    } catch {
      // Storage full or forbidden: the channel still carries the news.
    }
    try {
      this.channel?.postMessage({ type: MARKER_MESSAGE_TYPE, at });
    } catch {
      // A closed channel only costs other tabs one redundant refresh.
    }
  }

  private lastRefreshedAt(): number {
    let stored = 0;
    try {
      stored = Number(this.storage?.getItem(this.markerKey) ?? 0) || 0;
    } catch {
      stored = 0;
    }
    return Math.max(stored, this.heardRefreshedAt);
  }
}

function defaultLocks(): LockManagerLike | null {
  const nav = (globalThis as { navigator?: { locks?: unknown } }).navigator;
  const locks = nav?.locks as
    | { request?: (name: string, callback: () => Promise<unknown>) => Promise<unknown> }
    | undefined;
  if (!locks || typeof locks.request !== 'function') return null;
  return {
    request: <T>(name: string, callback: () => Promise<T>) =>
      locks.request!(name, callback) as Promise<T>,
  };
}

function defaultStorage(): StorageLike | null {
  try {
    // Reading the property itself throws where storage is forbidden.
    const storage = (globalThis as { localStorage?: StorageLike }).localStorage;
    return storage ?? null;
  } catch {
    return null;
  }
}

function defaultChannel(name: string): ChannelLike | null {
  const Channel = (globalThis as { BroadcastChannel?: new (name: string) => unknown })
    .BroadcastChannel;
  if (typeof Channel !== 'function') return null;
  try {
    const channel = new Channel(name) as ChannelLike & { unref?: () => void };
    // Outside browsers (server rendering, tests) an open channel would keep
    // the process alive.
    channel.unref?.();
    return channel;
  } catch {
    return null;
  }
}
