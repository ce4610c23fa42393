/** A glyph per verdict, so a verdict is never told by colour alone. */
const ICONS: Record<string, string> = { Good: '✔', Bad: '✖', NoData: '∅', NoModel: '?' };

export function verdictIcon(verdict: string | undefined): string {
  return verdict === undefined ? '…' : (ICONS[verdict] ?? '●');
}

/** Black or white text, whichever reads better on `hex` (WCAG relative luminance). */
export function textOn(hex: string): string {
  const channel = (offset: number) => {
    const value = parseInt(hex.slice(offset, offset + 2), 16) / 255;
    return value <= 0.03928 ? value / 12.92 : ((value + 0.055) / 1.055) ** 2.4;
  };
  const luminance = 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
  return luminance > 0.4 ? '#111' : '#fff';
}

export const percent = (value: number) => `${Math.round(value * 100)}%`;
