// One refresh for many failed requests. Requests that fail with an expired
// access token while a refresh is running wait for that refresh instead of
// starting their own (single flight, per tab), and a tab that finds another
// tab refreshed after its request left skips the refresh (across tabs).

import type { CrossTabCoordination } from './cross-tab.js';

/**
 * How a refresh ended:
 *  - `refreshed`: gatehouse set new cookies; retry the request;
 *  - `signed-out`: gatehouse answered 401, the session is over;
 *  - `failed`: any other answer (429, 5xx, a CSRF rejection from a
 *    misconfigured origin): the session may well be alive, so nobody is
 *    signed out, and the original 401 goes back to the caller.
 * A network error is not an outcome: it rejects, and the caller sees it.
 */
export type RefreshOutcome = 'refreshed' | 'signed-out' | 'failed';

/** When a request left: taken before sending, handed back on its 401. */
export interface SendStamp {
  /** Refreshes this tab had settled by then. */
  readonly generation: number;
  /** Wall-clock time, compared with other tabs' refresh marker. */
  readonly sentAt: number;
}

export interface RefreshCoordinatorOptions {
  /** Calls gatehouse's refresh endpoint once; rejects on network errors. */
  refresh: () => Promise<RefreshOutcome>;
  /** Called once per refresh that ends `signed-out`. */
  onSignedOut: () => void;
  crossTab: CrossTabCoordination;
}

interface Flight {
  promise: Promise<RefreshOutcome>;
  // The latest send time among the requests waiting on this flight: the
  // cross-tab skip is safe only if another tab refreshed after all of them.
  latestSentAt: number;
}

export class RefreshCoordinator {
  private readonly options: RefreshCoordinatorOptions;
  // Counts settled refreshes; a request stamped with an older count was
  // sent before the latest refresh settled, so that refresh is its answer.
  private generation = 0;
  private lastOutcome: RefreshOutcome | null = null;
  private flight: Flight | null = null;

  constructor(options: RefreshCoordinatorOptions) {
    this.options = options;
  }

  /** Take just before sending a request that may need a refresh. */
  stamp(): SendStamp {
    return { generation: this.generation, sentAt: this.options.crossTab.now() };
  }

  /**
   * The outcome of the one refresh that answers a 401 to the request
   * stamped `stamp`: a refresh that settled after it was sent, the one in
   * flight, or a new one.
   */
  refreshAfter(stamp: SendStamp): Promise<RefreshOutcome> {
    if (this.lastOutcome !== null && this.generation > stamp.generation) {
      return Promise.resolve(this.lastOutcome);
    }
    if (this.flight) {
      this.flight.latestSentAt = Math.max(this.flight.latestSentAt, stamp.sentAt);
      return this.flight.promise;
    }
    const flight: Flight = { promise: Promise.resolve('failed'), latestSentAt: stamp.sentAt };
    this.flight = flight;
    flight.promise = this.run(flight).then(
      (outcome) => {
        this.flight = null;
        this.generation += 1;
        this.lastOutcome = outcome;
        if (outcome === 'signed-out') this.options.onSignedOut();
        return outcome;
      },
      (error: unknown) => {
        // A network error settles nothing: the next 401 tries again.
        this.flight = null;
        throw error;
      },
    );
    return flight.promise;
  }

  private run(flight: Flight): Promise<RefreshOutcome> {
    const { crossTab, refresh } = this.options;
    return crossTab.exclusive(async () => {
      if (crossTab.refreshedSince(flight.latestSentAt)) return 'refreshed';
      const outcome = await refresh();
      if (outcome === 'refreshed') crossTab.markRefreshed();
      return outcome;
    });
  }
}
