import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { ConsoleSessions, Principal } from '@vigil/auth';
import { Database } from '@vigil/persistence';
import { AppEvents } from '../core/app-events';
import { RealtimeGateway } from '../realtime/realtime.gateway';
import { endedAccessRooms, tokenRoom } from './socket-rooms';

/** The safety net's period: revocations nobody announced (the CLI, a lost event, expiry). */
const RECHECK_MS = 30_000;

/**
 * Live sockets stop when their credential does. A revocation or sign-out made by an api process
 * cuts the credential's rooms on every api process at once (through the socket adapter); every
 * RECHECK_MS this process also re-checks its own sockets' tokens and sessions in the database
 * (revoked, expired, owner disabled, session ended), and keeps connected consoles' sessions from
 * idling out.
 */
@Injectable()
export class SocketRevocation implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('SocketRevocation');
  private timer?: NodeJS.Timeout;
  private readonly off: Array<() => void> = [];

  constructor(
    private readonly gateway: RealtimeGateway,
    private readonly db: Database,
    private readonly sessions: ConsoleSessions,
    private readonly events: AppEvents,
  ) {}

  onApplicationBootstrap(): void {
    this.off.push(
      this.events.on('token.revoked', (tokenId) => this.gateway.disconnectRooms([tokenRoom(tokenId)])),
      this.events.on('access.ended', (ended) => this.gateway.disconnectRooms(endedAccessRooms(ended))),
    );
    this.timer = setInterval(() => void this.recheck(), RECHECK_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
    for (const off of this.off.splice(0)) off();
  }

  /** Cuts this process's sockets whose token or session no longer works; touches the live sessions. */
  async recheck(): Promise<void> {
    try {
      const sockets = this.gateway.localSockets().filter((s) => s.data.principal);
      const principals: Principal[] = sockets.map((s) => s.data.principal);
      const tokenIds = [...new Set(principals.map((p) => p.tokenId).filter((id): id is string => id !== null))];
      const sessionIds = [...new Set(principals.map((p) => p.sessionId).filter((id): id is string => id !== null))];
      const deadTokens = new Set(await this.db.repos.tokens.unusable(tokenIds));
      const deadSessions = new Set(await this.sessions.unusable(sessionIds));
      const dead = sockets.filter(({ data: { principal: p } }) => (p.tokenId !== null && deadTokens.has(p.tokenId)) || (p.sessionId !== null && deadSessions.has(p.sessionId)));
      for (const socket of dead) socket.disconnect(true);
      // Said, because it means a revocation was not announced (the CLI, or Redis down): the cut came late.
      if (dead.length > 0) this.logger.log({ sockets: dead.length }, 're-check cut sockets whose token or session stopped working');
      await this.sessions.touch(sessionIds.filter((id) => !deadSessions.has(id)));
    } catch (error) {
      this.logger.warn({ err: error }, 'token and session re-check failed; will retry');
    }
  }
}
