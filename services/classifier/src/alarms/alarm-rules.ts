import type { AlarmEventKind, AlarmSeverity, AlarmState } from '@hydra/contracts';

/** The verdict classes alarms listen to. */
export const BAD_LABEL = 'Bad';
export const GOOD_LABEL = 'Good';

/** The newest row of a plot type's alarm story. */
export interface AlarmSnapshot {
  alarmId: string;
  state: AlarmState;
  severity: AlarmSeverity;
  /** When the alarm last became active. */
  since: Date;
  shelvedUntil: Date | null;
  /** While suppressed: the state the beam going off found it in, which it returns to. */
  suppressedFrom?: AlarmState | null;
}

/** One verdict of the plot type's active model, newest first in `recent`. */
export interface RecentVerdict {
  imageId: string;
  verdict: string;
  confidence: number;
  confirmed: boolean;
}

export interface AlarmPolicy {
  /** Consecutive confirmed Bad verdicts that raise the alarm (on-delay). */
  onDelay: number;
  /** Consecutive Good verdicts that clear it (off-delay). */
  offDelay: number;
  severity: AlarmSeverity;
  enabled: boolean;
  /** The longest a person may shelve the alarm for. */
  maxShelfMs: number;
}

/** What to record and publish; `alarmId` null means "a new alarm". */
export interface AlarmTransition {
  event: AlarmEventKind;
  state: AlarmState;
  alarmId: string | null;
  severity: AlarmSeverity;
  since: Date;
  verdict: RecentVerdict | null;
  shelvedUntil?: Date | null;
}

const ACTIVE: AlarmState[] = ['active-unacknowledged', 'active-acknowledged', 'returned-unacknowledged'];

export function isActive(state: AlarmState): boolean {
  return ACTIVE.includes(state);
}

function streak(recent: RecentVerdict[], matches: (verdict: RecentVerdict) => boolean): number {
  const broken = recent.findIndex((verdict) => !matches(verdict));
  return broken === -1 ? recent.length : broken;
}

/**
 * The transitions the newest verdicts and the run condition call for, after ISA-18.2: raise after
 * `onDelay` confirmed Bad in a row; an unacknowledged alarm latches (returns, but stays until
 * acknowledged); an acknowledged one clears after `offDelay` Good in a row. Shelved and disabled
 * alarms do nothing until unshelved (or their shelf time ends) or enabled; while the beam is off,
 * alarms are suppressed. Pure: the caller records and publishes.
 */
export function evaluateAlarm(
  current: AlarmSnapshot | null,
  recent: RecentVerdict[],
  policy: AlarmPolicy,
  beamOn: boolean,
  now: Date,
): AlarmTransition[] {
  const transitions: AlarmTransition[] = [];
  let state: AlarmState = current?.state ?? 'normal';
  let since = current?.since ?? now;
  const alarmId = current?.alarmId ?? null;
  const severity = current?.severity ?? policy.severity;
  const move = (event: AlarmEventKind, next: AlarmState, verdict: RecentVerdict | null = null) => {
    transitions.push({ event, state: next, alarmId, severity, since, verdict });
    state = next;
  };

  if (state === 'shelved' && current?.shelvedUntil && current.shelvedUntil <= now)
    move('unshelved', 'normal');
  if (state === 'shelved' || state === 'disabled') return transitions;
  if (!beamOn) {
    if (isActive(state)) move('suppressed', 'suppressed');
    return transitions;
  }
  // An unacknowledged alarm stays latched through a beam-off period; only a person ends it.
  if (state === 'suppressed') {
    const from = current?.suppressedFrom;
    move('unsuppressed', from && isActive(from) ? from : 'normal');
  }
  if (!policy.enabled) return transitions;

  const newest = recent[0] ?? null;
  const bad = streak(recent, (verdict) => verdict.verdict === BAD_LABEL && verdict.confirmed);
  const good = streak(recent, (verdict) => verdict.verdict === GOOD_LABEL);
  if ((state === 'normal' || state === 'returned-unacknowledged') && bad >= policy.onDelay) {
    since = now;
    transitions.push({
      event: 'raised',
      state: 'active-unacknowledged',
      // A returned alarm that goes bad again is the same unacknowledged alarm.
      alarmId: state === 'normal' ? null : alarmId,
      severity: policy.severity,
      since,
      verdict: newest,
    });
  } else if (state === 'active-unacknowledged' && good >= policy.offDelay) {
    move('returned', 'returned-unacknowledged', newest);
  } else if (state === 'active-acknowledged' && good >= policy.offDelay) {
    move('cleared', 'normal', newest);
  }
  return transitions;
}

/**
 * Evaluates verdicts the alarm has not read yet one at a time, oldest first, each with the window
 * of verdicts that ended with it (`read`: the ones before them, newest first). So a streak counts
 * even when newer verdicts were stored before the alarm had its turn: B B B G G in one batch raise
 * the alarm and then return it, as they would one by one. `newId` names an alarm raised on the way.
 */
export function evaluateInOrder(
  current: AlarmSnapshot | null,
  read: RecentVerdict[],
  unread: RecentVerdict[],
  policy: AlarmPolicy,
  beamOn: boolean,
  now: Date,
  newId: () => string,
): AlarmTransition[] {
  const window = Math.max(policy.onDelay, policy.offDelay);
  const transitions: AlarmTransition[] = [];
  let snapshot = current;
  let recent = read.slice(0, window);
  for (const verdict of unread) {
    recent = [verdict, ...recent].slice(0, window);
    for (const transition of evaluateAlarm(snapshot, recent, policy, beamOn, now)) {
      const alarmId = transition.alarmId ?? newId();
      transitions.push({ ...transition, alarmId });
      snapshot = {
        alarmId,
        state: transition.state,
        severity: transition.severity,
        since: transition.since,
        shelvedUntil: transition.shelvedUntil ?? null,
        suppressedFrom: transition.state === 'suppressed' ? (snapshot?.state ?? null) : null,
      };
    }
  }
  return transitions;
}

/** What a person may do to a plot type's alarm. */
export type AlarmAction =
  | { kind: 'acknowledge' }
  | { kind: 'shelve'; until: Date }
  | { kind: 'unshelve' }
  | { kind: 'disable' }
  | { kind: 'enable' };

/** Thrown when an action makes no sense in the alarm's state (HTTP 409). */
export class AlarmActionError extends Error {
  override readonly name = 'AlarmActionError';
}

/** The transition a person's action makes, or AlarmActionError with the reason. */
export function applyAlarmAction(
  current: AlarmSnapshot | null,
  action: AlarmAction,
  policy: AlarmPolicy,
  now: Date,
): AlarmTransition {
  const state = current?.state ?? 'normal';
  const base = {
    alarmId: current?.alarmId ?? null,
    severity: current?.severity ?? policy.severity,
    since: current?.since ?? now,
    verdict: null,
  };
  switch (action.kind) {
    case 'acknowledge':
      if (state === 'active-unacknowledged')
        return { ...base, event: 'acknowledged', state: 'active-acknowledged' };
      // A returned alarm needs nothing but the acknowledgement to end.
      if (state === 'returned-unacknowledged') return { ...base, event: 'acknowledged', state: 'normal' };
      throw new AlarmActionError(`nothing to acknowledge: the alarm is ${state}`);
    case 'shelve':
      if (action.until <= now) throw new AlarmActionError('a shelf time must end in the future');
      if (action.until.getTime() - now.getTime() > policy.maxShelfMs)
        throw new AlarmActionError(
          `an alarm may be shelved for at most ${formatHours(policy.maxShelfMs)} (ALARM_MAX_SHELF_HOURS); ` +
            `${action.until.toISOString()} is ${formatHours(action.until.getTime() - now.getTime())} away`,
        );
      if (state === 'disabled') throw new AlarmActionError('a disabled alarm cannot be shelved');
      return { ...base, event: 'shelved', state: 'shelved', shelvedUntil: action.until };
    case 'unshelve':
      if (state !== 'shelved') throw new AlarmActionError(`the alarm is ${state}, not shelved`);
      return { ...base, event: 'unshelved', state: 'normal' };
    case 'disable':
      if (state === 'disabled') throw new AlarmActionError('the alarm is already disabled');
      return { ...base, event: 'disabled', state: 'disabled' };
    case 'enable':
      if (state !== 'disabled') throw new AlarmActionError(`the alarm is ${state}, not disabled`);
      return { ...base, event: 'enabled', state: 'normal' };
  }
}

function formatHours(ms: number): string {
  return `${Number((ms / 3_600_000).toFixed(1))} h`;
}
