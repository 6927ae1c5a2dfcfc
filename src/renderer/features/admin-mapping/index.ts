export { MappingPanel } from './MappingPanel.tsx';
