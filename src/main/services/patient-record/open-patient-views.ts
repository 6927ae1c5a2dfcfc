import { randomUUID } from 'node:crypto';

/**
 * Open patients and the work in flight for them. Switching patient aborts the previous
 * patient's requests all the way down to their sockets.
 */
const MAX_OPEN = 20;

export class OpenPatientViews {
  private readonly open = new Map<string, AbortController>();

  start(requestedId?: string): { viewId: string; signal: AbortSignal } {
    const viewId = requestedId ?? randomUUID();
    // Re-opening under the same id supersedes the earlier load.
    this.close(viewId);
    // A renderer that never closes what it opened must not grow main without bound.
    if (this.open.size >= MAX_OPEN) this.close(this.open.keys().next().value!);
    const controller = new AbortController();
    this.open.set(viewId, controller);
    return { viewId, signal: controller.signal };
  }

  isOpen(viewId: string): boolean {
    return this.open.has(viewId);
  }

  close(viewId: string): boolean {
    const controller = this.open.get(viewId);
    if (!controller) return false;
    controller.abort(new Error('patient closed'));
    this.open.delete(viewId);
    return true;
  }

  closeAll(): void {
    for (const id of [...this.open.keys()]) this.close(id);
  }
}
