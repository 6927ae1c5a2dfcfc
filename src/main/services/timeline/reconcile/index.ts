// Reconciliation of what is true of the patient across systems: problems, allergies, drugs.
export { reconciledGroup, reconcileKeys, type ReconciledGroup } from './reconcile-keys.ts';
export { createReconcileIndex, type ReconcileIndex } from './reconcile-index.ts';
export { mergeReconciled } from './merge-reconciled.ts';
export { statusClass, statusCode, type StatusClass } from './status-class.ts';
export { DRUGS, type DrugDefinition } from './drug-code-list.ts';
