import { randomUUID } from 'node:crypto';
import { alarmSubject, Subjects, streamSubjects } from '../subjects';
import { parseEvent, schemaForSubject } from './registry';

const envelope = () => ({ id: randomUUID(), occurredAt: new Date().toISOString() });
const imageNew = () => ({
  ...envelope(),
  imageId: randomUUID(),
  plotType: 'FCAL_occupancy',
  runPeriod: '2026-01',
  runNumber: 123456,
  chunk: 7,
  capturedAt: '2026-11-26T20:00:00.000Z',
  sha256: 'a'.repeat(64),
  storageKey: `images/FCAL_occupancy/123456/${'a'.repeat(64)}.png`,
  width: 800,
  height: 600,
});

describe('event registry', () => {
  it('accepts a well-formed image.new payload', () => {
    const parsed = parseEvent(Subjects.imageNew, imageNew());
    expect(parsed.ok).toBe(true);
  });

  it('names the missing field of a malformed payload', () => {
    const { sha256: _dropped, ...payload } = imageNew();
    const parsed = parseEvent(Subjects.imageNew, payload);
    expect(parsed).toEqual({ ok: false, error: expect.stringContaining('sha256') });
  });

  it('rejects a plot type that could break a subject or a storage path', () => {
    const parsed = parseEvent(Subjects.imageNew, { ...imageNew(), plotType: '../etc' });
    expect(parsed.ok).toBe(false);
  });

  it('refuses a beam current the run_condition column cannot hold, instead of dead-lettering it later', () => {
    const condition = (beamCurrent: number) =>
      parseEvent(Subjects.runCondition, { ...envelope(), beamOn: true, beamCurrent, by: 'daq' });
    expect(condition(120).ok).toBe(true);
    expect(condition(1e39)).toEqual({ ok: false, error: expect.stringContaining('beamCurrent') });
  });

  it('validates every alarm.<event>.<plotType> subject with the alarm schema', () => {
    const alarm = {
      ...envelope(),
      alarmId: randomUUID(),
      event: 'raised',
      plotType: 'CDC_timing',
      severity: 'major',
      state: 'active-unacknowledged',
      since: new Date().toISOString(),
      imageId: randomUUID(),
      verdict: 'Bad',
      confidence: 0.97,
      by: null,
    };
    expect(parseEvent(alarmSubject('raised', 'CDC_timing'), alarm).ok).toBe(true);
    expect(parseEvent(alarmSubject('raised', 'CDC_timing'), { ...alarm, state: 'on fire' }).ok).toBe(false);
  });

  it('refuses a subject it does not know', () => {
    expect(parseEvent('image.deleted', imageNew())).toEqual({
      ok: false,
      error: 'no schema for subject "image.deleted"',
    });
  });

  it('has a schema for every subject, and the stream captures each of them', () => {
    const captured = streamSubjects().map((pattern) => pattern.replace('.>', '.'));
    for (const subject of Object.values(Subjects)) {
      expect(schemaForSubject(subject)).toBeDefined();
      expect(captured.some((prefix) => subject.startsWith(prefix))).toBe(true);
    }
  });
});
