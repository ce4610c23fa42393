import { describe, expect, it } from 'vitest';
import { LiveSequence } from './live-sequence';

describe('live feed sequence bookkeeping', () => {
  it('starts without `since` and reloads the snapshot when the first connection is ready', () => {
    const sequence = new LiveSequence();
    expect(sequence.handshake()).toEqual({});
    expect(sequence.ready({ seq: 40, replayed: 0 })).toBe(true);
    expect(sequence.lastSeq).toBe(40);
  });

  it('resumes from the last sequence seen and does not reload when the replay caught up', () => {
    const sequence = new LiveSequence();
    sequence.handshake();
    sequence.ready({ seq: 40, replayed: 0 });
    expect(sequence.accept(41)).toBe(true);
    expect(sequence.accept(42)).toBe(true);
    expect(sequence.handshake()).toEqual({ since: 42 });
    expect(sequence.accept(43)).toBe(true);
    expect(sequence.ready({ seq: 43, replayed: 1 })).toBe(false);
    expect(sequence.lastSeq).toBe(43);
  });

  it('drops a message it has already seen', () => {
    const sequence = new LiveSequence();
    sequence.handshake();
    sequence.ready({ seq: 10, replayed: 0 });
    expect(sequence.accept(11)).toBe(true);
    expect(sequence.accept(11)).toBe(false);
    expect(sequence.accept(9)).toBe(false);
  });

  it('continues after the resync point once the server says the gap cannot be replayed', () => {
    const sequence = new LiveSequence();
    sequence.handshake();
    sequence.ready({ seq: 10, replayed: 0 });
    sequence.handshake();
    expect(sequence.resync({ reason: 'too-many', message: 'reload', seq: 20_000 })).toBe(true);
    expect(sequence.accept(19_999)).toBe(false);
    expect(sequence.accept(20_001)).toBe(true);
    expect(sequence.handshake()).toEqual({ since: 20_001 });
  });
});
