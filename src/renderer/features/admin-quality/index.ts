export { QualityPanel } from './QualityPanel.tsx';
