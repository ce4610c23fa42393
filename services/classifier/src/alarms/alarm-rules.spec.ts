import type { AlarmState } from '@hydra/contracts';
import {
  type AlarmPolicy,
  type AlarmSnapshot,
  AlarmActionError,
  applyAlarmAction,
  evaluateAlarm,
  evaluateInOrder,
  type RecentVerdict,
} from './alarm-rules';

const policy: AlarmPolicy = {
  onDelay: 3,
  offDelay: 2,
  severity: 'major',
  enabled: true,
  maxShelfMs: 24 * 3_600_000,
};
const now = new Date('2026-11-26T12:00:00Z');

/** Verdicts newest first: 'B' confirmed Bad, 'b' unconfirmed Bad, 'G' Good, 'N' NoData. */
function verdicts(pattern: string): RecentVerdict[] {
  return [...pattern].map((code, index) => ({
    imageId: `image-${index}`,
    verdict: { B: 'Bad', b: 'Bad', G: 'Good', N: 'NoData' }[code] as string,
    confidence: 0.9,
    confirmed: code !== 'b',
  }));
}

function alarm(
  state: AlarmState,
  shelvedUntil: Date | null = null,
  suppressedFrom: AlarmState | null = null,
): AlarmSnapshot {
  return {
    alarmId: 'a1',
    state,
    severity: 'major',
    since: new Date('2026-11-26T11:00:00Z'),
    shelvedUntil,
    suppressedFrom,
  };
}

const events = (current: AlarmSnapshot | null, pattern: string, beamOn = true, custom = policy) =>
  evaluateAlarm(current, verdicts(pattern), custom, beamOn, now).map(
    ({ event, state }) => `${event}→${state}`,
  );

describe('evaluateAlarm', () => {
  it.each([
    [null, 'BBB', ['raised→active-unacknowledged']],
    [null, 'BB', []],
    [null, 'BBbB', []],
    [null, 'BBNB', []],
    [alarm('active-unacknowledged'), 'BBBB', []],
    [alarm('active-unacknowledged'), 'GGB', ['returned→returned-unacknowledged']],
    [alarm('active-unacknowledged'), 'GB', []],
    [alarm('active-acknowledged'), 'GG', ['cleared→normal']],
    [alarm('active-acknowledged'), 'GNG', []],
    [alarm('returned-unacknowledged'), 'GGG', []],
    [alarm('returned-unacknowledged'), 'BBB', ['raised→active-unacknowledged']],
    [alarm('normal'), 'BBB', ['raised→active-unacknowledged']],
    [alarm('disabled'), 'BBBB', []],
    [alarm('shelved', new Date('2026-11-26T13:00:00Z')), 'BBBB', []],
    [
      alarm('shelved', new Date('2026-11-26T11:30:00Z')),
      'BBB',
      ['unshelved→normal', 'raised→active-unacknowledged'],
    ],
  ] as const)('%j after %s → %j', (current, pattern, expected) => {
    expect(events(current, pattern)).toEqual(expected);
  });

  it('suppresses active alarms and raises nothing while the beam is off', () => {
    expect(events(alarm('active-unacknowledged'), 'BBB', false)).toEqual(['suppressed→suppressed']);
    expect(events(null, 'BBBBB', false)).toEqual([]);
    expect(events(alarm('suppressed'), 'BBB', false)).toEqual([]);
    expect(events(alarm('suppressed'), 'BBB')).toEqual([
      'unsuppressed→normal',
      'raised→active-unacknowledged',
    ]);
  });

  it('returns an alarm to the state the beam going off found it in: the latch survives suppression', () => {
    expect(events(alarm('suppressed', null, 'returned-unacknowledged'), 'GGG')).toEqual([
      'unsuppressed→returned-unacknowledged',
    ]);
    expect(events(alarm('suppressed', null, 'active-unacknowledged'), 'BBB')).toEqual([
      'unsuppressed→active-unacknowledged',
    ]);
    expect(events(alarm('suppressed', null, 'active-unacknowledged'), 'GG')).toEqual([
      'unsuppressed→active-unacknowledged',
      'returned→returned-unacknowledged',
    ]);
    expect(events(alarm('suppressed', null, 'active-acknowledged'), 'GG')).toEqual([
      'unsuppressed→active-acknowledged',
      'cleared→normal',
    ]);
    const [back] = evaluateAlarm(alarm('suppressed', null, 'returned-unacknowledged'), [], policy, true, now);
    expect(back).toMatchObject({ alarmId: 'a1', since: new Date('2026-11-26T11:00:00Z') });
  });

  it('raises nothing for a plot type whose alarm is switched off in its settings', () => {
    expect(events(null, 'BBBB', true, { ...policy, enabled: false })).toEqual([]);
  });

  it('starts a new alarm from normal but keeps the id of a returned one that goes bad again', () => {
    const [fresh] = evaluateAlarm(alarm('normal'), verdicts('BBB'), policy, true, now);
    expect(fresh).toMatchObject({ alarmId: null, since: now, verdict: { imageId: 'image-0' } });
    const [again] = evaluateAlarm(alarm('returned-unacknowledged'), verdicts('BBB'), policy, true, now);
    expect(again?.alarmId).toBe('a1');
  });
});

describe('evaluateInOrder', () => {
  /** Unread verdicts oldest first, after `read` (newest first), with numbered alarm ids. */
  const inOrder = (current: AlarmSnapshot | null, read: string, unread: string, beamOn = true) => {
    let next = 0;
    return evaluateInOrder(
      current,
      verdicts(read),
      verdicts(unread).map((verdict, index) => ({ ...verdict, imageId: `unread-${index}` })),
      policy,
      beamOn,
      now,
      () => `new-${++next}`,
    ).map(({ event, state, alarmId, verdict }) => `${event}→${state} ${alarmId} ${verdict?.imageId ?? '-'}`);
  };

  it('raises on a streak that newer verdicts already broke, then lets them return the alarm', () => {
    // The newest two are Good: read all at once, they would hide the three Bad before them.
    expect(inOrder(null, '', 'BBBGG')).toEqual([
      'raised→active-unacknowledged new-1 unread-2',
      'returned→returned-unacknowledged new-1 unread-4',
    ]);
  });

  it('continues the streak the read verdicts began', () => {
    expect(inOrder(null, 'BB', 'BG')).toEqual(['raised→active-unacknowledged new-1 unread-0']);
    expect(inOrder(null, 'GBB', 'BG')).toEqual([]);
    expect(inOrder(alarm('active-acknowledged'), 'G', 'GB')).toEqual(['cleared→normal a1 unread-0']);
  });

  it('keeps the id of a returned alarm that goes bad again within the same verdicts', () => {
    expect(inOrder(alarm('active-unacknowledged'), '', 'GGBBB')).toEqual([
      'returned→returned-unacknowledged a1 unread-1',
      'raised→active-unacknowledged a1 unread-4',
    ]);
  });

  it('suppresses once while the beam is off, and an expired shelf ends once', () => {
    expect(inOrder(alarm('active-unacknowledged'), '', 'BBBB', false)).toEqual([
      'suppressed→suppressed a1 -',
    ]);
    expect(inOrder(alarm('shelved', new Date('2026-11-26T11:30:00Z')), 'BB', 'GBBB')).toEqual([
      'unshelved→normal a1 -',
      'raised→active-unacknowledged new-1 unread-3',
    ]);
  });
});

describe('applyAlarmAction', () => {
  it('acknowledges: active stays active but acknowledged, returned ends', () => {
    expect(applyAlarmAction(alarm('active-unacknowledged'), { kind: 'acknowledge' }, policy, now).state).toBe(
      'active-acknowledged',
    );
    expect(
      applyAlarmAction(alarm('returned-unacknowledged'), { kind: 'acknowledge' }, policy, now).state,
    ).toBe('normal');
    expect(() => applyAlarmAction(null, { kind: 'acknowledge' }, policy, now)).toThrow(AlarmActionError);
  });

  it('shelves until a future time, and unshelves', () => {
    const until = new Date('2026-11-26T14:00:00Z');
    expect(
      applyAlarmAction(alarm('active-unacknowledged'), { kind: 'shelve', until }, policy, now),
    ).toMatchObject({ event: 'shelved', state: 'shelved', shelvedUntil: until, alarmId: 'a1' });
    expect(() => applyAlarmAction(null, { kind: 'shelve', until: now }, policy, now)).toThrow('future');
    expect(applyAlarmAction(alarm('shelved', until), { kind: 'unshelve' }, policy, now).state).toBe('normal');
  });

  it('shelves for the longest time allowed at most (ISA-18.2 shelving is time-limited)', () => {
    const limit = new Date(now.getTime() + policy.maxShelfMs);
    expect(applyAlarmAction(null, { kind: 'shelve', until: limit }, policy, now).shelvedUntil).toEqual(limit);
    expect(() =>
      applyAlarmAction(null, { kind: 'shelve', until: new Date('9999-12-31T00:00:00Z') }, policy, now),
    ).toThrow(/at most 24 h .*ALARM_MAX_SHELF_HOURS/);
    expect(() =>
      applyAlarmAction(null, { kind: 'shelve', until: new Date(limit.getTime() + 1000) }, policy, now),
    ).toThrow(AlarmActionError);
  });

  it('disables and enables', () => {
    expect(applyAlarmAction(null, { kind: 'disable' }, policy, now).state).toBe('disabled');
    expect(() =>
      applyAlarmAction(
        alarm('disabled'),
        { kind: 'shelve', until: new Date(now.getTime() + 60_000) },
        policy,
        now,
      ),
    ).toThrow('a disabled alarm cannot be shelved');
    expect(applyAlarmAction(alarm('disabled'), { kind: 'enable' }, policy, now).state).toBe('normal');
  });
});
