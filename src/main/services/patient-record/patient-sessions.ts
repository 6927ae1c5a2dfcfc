import { randomUUID } from 'node:crypto';

/**
 * Open patients and the work in flight for them. Switching patient aborts the previous
 * patient's requests all the way down to their sockets.
 */
const MAX_OPEN = 20;

export class PatientSessions {
  private readonly open = new Map<string, AbortController>();

  start(requestedId?: string): { openId: string; signal: AbortSignal } {
    const openId = requestedId ?? randomUUID();
    // Re-opening under the same id supersedes the earlier load.
    this.close(openId);
    // A renderer that never closes what it opened must not grow main without bound.
    if (this.open.size >= MAX_OPEN) this.close(this.open.keys().next().value!);
    const controller = new AbortController();
    this.open.set(openId, controller);
    return { openId, signal: controller.signal };
  }

  isOpen(openId: string): boolean {
    return this.open.has(openId);
  }

  close(openId: string): boolean {
    const controller = this.open.get(openId);
    if (!controller) return false;
    controller.abort(new Error('patient closed'));
    this.open.delete(openId);
    return true;
  }

  closeAll(): void {
    for (const id of [...this.open.keys()]) this.close(id);
  }
}
