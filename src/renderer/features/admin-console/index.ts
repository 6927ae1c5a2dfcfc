export { AdminConsole } from './AdminConsole.tsx';
