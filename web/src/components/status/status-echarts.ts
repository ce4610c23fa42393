import { HeatmapChart } from 'echarts/charts';
import { CalendarComponent, TitleComponent, VisualMapComponent } from 'echarts/components';
import { use } from 'echarts/core';

// The Status page's extra ECharts modules (the bar chart and the rest are in charts/echarts.ts).
use([HeatmapChart, CalendarComponent, VisualMapComponent, TitleComponent]);

export { VChart } from '../charts/echarts';
