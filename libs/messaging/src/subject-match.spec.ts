import { subjectMatches } from './subject-match';

describe('subjectMatches', () => {
  it.each([
    ['image.new', 'image.new', true],
    ['image.new', 'image.classified', false],
    ['alarm.>', 'alarm.raised.CDC_timing', true],
    ['alarm.>', 'alarm', false],
    ['alarm.*.CDC_timing', 'alarm.cleared.CDC_timing', true],
    ['alarm.*', 'alarm.raised.CDC_timing', false],
    ['image.new.extra', 'image.new', false],
  ])('%s against %s is %s', (pattern, subject, expected) => {
    expect(subjectMatches(pattern, subject)).toBe(expected);
  });
});
