import type { LiveReady, LiveResync } from '@hydra/contracts';

/**
 * The live feed's bookkeeping of stream sequences: what to ask for on (re)connect, which messages
 * are new, and when the REST snapshot must be reloaded. Pure, so its rules are tested alone.
 */
export class LiveSequence {
  private last: number | null = null;
  /** What the current connection's handshake asked to resume from (null: nothing, a fresh start). */
  private resumedFrom: number | null = null;

  /** The last sequence seen; null before the first connection is ready. */
  get lastSeq(): number | null {
    return this.last;
  }

  /** `auth.since` for the next handshake: the server replays everything after it. */
  handshake(): { since?: number } {
    this.resumedFrom = this.last;
    return this.last === null ? {} : { since: this.last };
  }

  /** A live message: true when it is new, false for one already seen (a replay overlapping live). */
  accept(seq: number): boolean {
    if (this.last !== null && seq <= this.last) return false;
    this.last = seq;
    return true;
  }

  /**
   * `live:ready`: caught up to `seq`. True when the REST snapshot must be (re)loaded, i.e. this
   * connection did not resume, so whatever happened before it is only in the snapshot.
   */
  ready(ready: LiveReady): boolean {
    this.last = Math.max(this.last ?? 0, ready.seq);
    return this.resumedFrom === null;
  }

  /** `live:resync`: the missed events are gone; reload the snapshot, then continue after `seq`. */
  resync(resync: LiveResync): true {
    this.last = resync.seq;
    return true;
  }
}
