export { TimeSeriesChart } from './TimeSeriesChart.tsx';
export { colorIndexOf } from './time-series-options.ts';
export { ReadStatus, ReloadBar } from './ReadStatus.tsx';
export { RangeChoice } from './RangeChoice.tsx';
