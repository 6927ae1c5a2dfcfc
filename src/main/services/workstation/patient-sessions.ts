import { randomUUID } from 'node:crypto';

/**
 * Open patients and the work in flight for them. Switching patient aborts the previous
 * patient's requests all the way down to their sockets.
 */
export class PatientSessions {
  private readonly open = new Map<string, AbortController>();

  start(): { openId: string; signal: AbortSignal } {
    const openId = randomUUID();
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
