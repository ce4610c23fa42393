/** An axis: its range and whether it is logarithmic. */
export interface Scale {
  low: number;
  high: number;
  log: boolean;
}

/** A labelled tick: where along the axis (0…1), its text, and a power of ten drawn as a superscript. */
export interface ScaleTick {
  at: number;
  text: string;
  exponent?: string;
}

/** Where `value` falls along `scale`, 0…1 inside it; values a log scale cannot show give -Infinity. */
export function fractionAlong(scale: Scale, value: number): number {
  if (!scale.log) return (value - scale.low) / (scale.high - scale.low);
  if (value <= 0) return -Infinity;
  return (Math.log10(value) - Math.log10(scale.low)) / (Math.log10(scale.high) - Math.log10(scale.low));
}

/** Round-number ticks (1, 2, 5 × 10ⁿ apart) or, on a log scale, decades written 10ⁿ as ROOT does. */
export function scaleTicks(scale: Scale): ScaleTick[] {
  if (scale.log) {
    const ticks: ScaleTick[] = [];
    for (let power = Math.ceil(Math.log10(scale.low)); power <= Math.floor(Math.log10(scale.high)); power++) {
      const at = fractionAlong(scale, 10 ** power);
      ticks.push(
        power === 0 || power === 1
          ? { at, text: String(10 ** power) }
          : { at, text: '10', exponent: String(power) },
      );
    }
    return ticks;
  }
  const rough = (scale.high - scale.low) / 5;
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const step = ([1, 2, 5, 10].find((factor) => factor * magnitude >= rough) ?? 10) * magnitude;
  const decimals = Math.max(0, -Math.floor(Math.log10(step)));
  const ticks: ScaleTick[] = [];
  for (let value = Math.ceil(scale.low / step) * step; value <= scale.high + step * 1e-9; value += step) {
    ticks.push({ at: fractionAlong(scale, value), text: value.toFixed(decimals) });
  }
  return ticks;
}
