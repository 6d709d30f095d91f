import type { Socket } from 'socket.io';
import { allowanceKeyOf, type Principal } from '@vigil/auth';
import type { SocketData } from './socket-auth.middleware';

/** Whose sockets these are, for the per-principal limit: the principal's allowance (`allowanceKeyOf`). */
export function socketOwnerKey(principal: Principal): string {
  return allowanceKeyOf(principal);
}

/** Live sockets per owner. Admission and release are synchronous, so concurrent handshakes cannot both take the last slot. */
export class SocketOwners {
  private readonly byOwner = new Map<string, Set<string>>();

  /** Admits socket `id` unless `owner` already holds `max` sockets. Admitting the same id twice is a no-op. */
  admit(owner: string, id: string, max: number): boolean {
    const ids = this.byOwner.get(owner) ?? new Set<string>();
    if (ids.has(id)) return true;
    if (ids.size >= max) return false;
    ids.add(id);
    this.byOwner.set(owner, ids);
    return true;
  }

  /** Frees the slot of socket `id` (idempotent). */
  release(owner: string, id: string): void {
    const ids = this.byOwner.get(owner);
    if (!ids?.delete(id)) return;
    if (ids.size === 0) this.byOwner.delete(owner);
  }

  count(owner: string): number {
    return this.byOwner.get(owner)?.size ?? 0;
  }
}

/**
 * socket.io handshake middleware, after socketAuthMiddleware: refuses a socket past `max` live
 * sockets of its owner with a `connect_error` that says so. The slot is taken here (not on
 * `connection`) so that a burst of handshakes cannot overshoot, and freed when the socket
 * disconnects or, if it never got that far, when its connection closes.
 */
export function socketLimitMiddleware(owners: SocketOwners, max: number) {
  return (socket: Socket, next: (err?: Error) => void): void => {
    const { principal } = socket.data as SocketData;
    const owner = socketOwnerKey(principal);
    // Closed while the token was being verified: its 'close' has fired already, a slot would leak.
    if (socket.conn.readyState !== 'open') {
      next(new Error('unavailable: the connection closed during the handshake'));
      return;
    }
    if (!owners.admit(owner, socket.id, max)) {
      next(new Error(`too many connections: this token already has ${max} open (the limit per token); close a console tab or window that uses it, then retry`));
      return;
    }
    const release = () => owners.release(owner, socket.id);
    socket.conn.once('close', release);
    socket.once('disconnect', () => {
      socket.conn.off('close', release);
      release();
    });
    next();
  };
}
