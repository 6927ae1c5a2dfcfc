export { Worklist } from './Worklist.tsx';
export { WorklistBack } from './WorklistBack.tsx';
export { NewSinceMark } from './NewSinceMark.tsx';
export { forgetLastLook, rememberLastLook } from './last-look.ts';

/** Ward doctors and nurses start from the ward list. */
export const startsFromWorklist = (roles: readonly string[] | undefined): boolean =>
  (roles ?? []).some((r) => r === 'ward-doctor' || r === 'nurse');
