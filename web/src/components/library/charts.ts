import { TitleComponent } from 'echarts/components';
import { use } from 'echarts/core';

// The Library's charts need titles (the confusion matrix's row and column names) besides what
// ../charts/echarts.ts registers; `use` adds to the same registry.
use([TitleComponent]);

export { VChart } from '../charts/echarts';

/** Colours every Library chart shares, per theme (the series always also carry names and legends). */
export function chartColours(dark: boolean) {
  return {
    text: dark ? '#d6d8dc' : '#2c2f36',
    muted: dark ? '#8c9099' : '#6b7078',
    line: dark ? '#3a3e46' : '#d9dce1',
    train: dark ? '#7fb3ff' : '#2f6fd6',
    validation: dark ? '#ffb870' : '#d9730d',
    correct: dark ? '#5fce8a' : '#1f9d55',
    wrong: dark ? '#ff7b7b' : '#d23c3c',
    cell: dark ? '#1f2228' : '#f6f7f9',
  };
}
