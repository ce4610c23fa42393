type Rgb = [number, number, number];

/** Colour scales a ROOT user meets on 2D maps: kBird (the default since ROOT 6.04), kViridis, the old kRainBow, greys. */
const PALETTES = {
  bird: [
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
  ],
  viridis: [
    [68, 1, 84],
    [72, 40, 120],
    [62, 74, 137],
    [49, 104, 142],
    [38, 130, 142],
    [31, 158, 137],
    [53, 183, 121],
    [109, 205, 89],
    [180, 222, 44],
    [253, 231, 37],
  ],
  rainbow: [
    [0, 0, 255],
    [0, 128, 255],
    [0, 255, 255],
    [0, 255, 128],
    [0, 255, 0],
    [128, 255, 0],
    [255, 255, 0],
    [255, 128, 0],
    [255, 0, 0],
  ],
  grey: [
    [235, 235, 235],
    [20, 20, 20],
  ],
} satisfies Record<string, Rgb[]>;

export type PaletteName = keyof typeof PALETTES;
export const PALETTE_NAMES = Object.keys(PALETTES) as PaletteName[];

/** The colour of `palette` at t in [0, 1], as `#rrggbb`. */
export function paletteColour(palette: PaletteName, t: number): string {
  const stops: Rgb[] = PALETTES[palette];
  const clamped = Math.min(1, Math.max(0, t)) * (stops.length - 1);
  const low = Math.floor(clamped);
  const high = Math.min(stops.length - 1, low + 1);
  const fraction = clamped - low;
  const [r0, g0, b0] = stops[low] as Rgb;
  const [r1, g1, b1] = stops[high] as Rgb;
  const channel = (a: number, b: number) =>
    Math.round(a + (b - a) * fraction)
      .toString(16)
      .padStart(2, '0');
  return `#${channel(r0, r1)}${channel(g0, g1)}${channel(b0, b1)}`;
}

/** The kBird colour at t in [0, 1], as `#rrggbb`: the colours physicists expect on a 2D map. */
export function birdColour(t: number): string {
  return paletteColour('bird', t);
}
