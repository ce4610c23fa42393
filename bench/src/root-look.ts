import type { RootStyleOptions } from '@hydra/simulator';

/**
 * `--root <json>` of the benches that draw root-style plots. Left empty, every plot gets its own
 * canvas size, palette, scale and stats box (a test of robustness); a real plot type has one look,
 * which these options fix.
 */
export const ROOT_LOOK_OPTION = [
  '--root <json>',
  'root-style options; one look per plot type, as a real one has: {"sizes":[{"width":640,"height":480}],"palette":"bird","logScale":false,"statsBox":true}; {} draws a look per plot',
  '{}',
] as const;

export function rootLook(json: string): RootStyleOptions {
  const parsed: unknown = JSON.parse(json);
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new Error(`--root must be a JSON object, not ${json}`);
  return parsed as RootStyleOptions;
}
