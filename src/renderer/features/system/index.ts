export { SystemView } from './SystemView.tsx';
