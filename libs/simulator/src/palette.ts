/** Stops of ROOT's default "kBird" palette, the colours physicists expect on a 2D map. */
const BIRD: [number, number, number][] = [
  [53, 42, 135],
  [15, 92, 221],
  [18, 125, 216],
  [7, 156, 207],
  [21, 177, 180],
  [89, 189, 140],
  [165, 190, 107],
  [225, 185, 82],
  [252, 206, 46],
  [249, 251, 14],
];

/** The palette colour at t in [0, 1], as `#rrggbb`. */
export function birdColour(t: number): string {
  const clamped = Math.min(1, Math.max(0, t)) * (BIRD.length - 1);
  const low = Math.floor(clamped);
  const high = Math.min(BIRD.length - 1, low + 1);
  const fraction = clamped - low;
  const [r0, g0, b0] = BIRD[low] as [number, number, number];
  const [r1, g1, b1] = BIRD[high] as [number, number, number];
  const channel = (a: number, b: number) =>
    Math.round(a + (b - a) * fraction)
      .toString(16)
      .padStart(2, '0');
  return `#${channel(r0, r1)}${channel(g0, g1)}${channel(b0, b1)}`;
}
