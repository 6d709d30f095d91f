import { Inject, Logger, OnModuleDestroy } from '@nestjs/common';
import { OnGatewayConnection, OnGatewayInit, WebSocketGateway, WebSocketServer } from '@nestjs/websockets';
import type { Server, Socket } from 'socket.io';
import { ConsoleSessions, TokenIssuer } from '@vigil/auth';
import type { VigilConfig } from '@vigil/config';
import { Database } from '@vigil/persistence';
import {
  AlertAckReply, AlertEvent, AlertStatusEvent, AttendanceEvent, CameraStatusEvent, ClientToServerEvents, KpiBreachEvent, ReviewItemEvent, roomForRole,
  ServerToClientEvents,
} from '@vigil/contracts';
import type { RefreshRunView } from '@vigil/contracts';
import { AlertBacklog } from './alert-backlog';
import { planReplay } from './replay-window';
import { SocketOwners, socketLimitMiddleware } from './socket-owners';
import { toAlertEvent } from '../alerts/alert.view';
import { AlertsService } from '../alerts/alerts.service';
import { AppEvents } from '../core/app-events';
import { isSeq } from '../platform/seq';
import { VIGIL_CONFIG } from '../core/core.module';
import { SocketData, socketAuthMiddleware } from './socket-auth.middleware';

type VigilServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
type VigilSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

/** Revocations made by another process are noticed by this re-check. */
const RECHECK_MS = 30_000;
const ALERTS_ROOM = 'alerts';
const ALERT_ROLES: readonly string[] = ['admin', 'security'];
/** The `alerts.more` count stops here ("at least"), so a client far behind costs one bounded count. */
const SKIPPED_COUNT_CAP = 10_000;

/** `auth.offset`: a non-negative integer (number or decimal string); anything else means none. */
export function parseOffset(raw: unknown): string | null {
  if (typeof raw === 'number' && Number.isSafeInteger(raw) && raw >= 0) return String(raw);
  if (isSeq(raw)) return raw.replace(/^0+(?=\d)/, '');
  return null;
}

/**
 * The socket.io endpoint (default namespace, path /socket.io). Thin on purpose: authenticate,
 * join the role's room, and emit only through the typed event map. Publishers of alerts,
 * attendance and camera status use `server` via RealtimeGateway.emitToRoles.
 */
@WebSocketGateway({ path: '/socket.io', serveClient: false })
export class RealtimeGateway implements OnGatewayInit, OnGatewayConnection, OnModuleDestroy {
  @WebSocketServer() server!: VigilServer;
  private readonly logger = new Logger('Realtime');
  private recheck?: NodeJS.Timeout;
  private unsubscribe?: () => void;
  private readonly owners = new SocketOwners();
  private readonly backlogs = new WeakMap<VigilSocket, AlertBacklog>();

  constructor(
    @Inject(VIGIL_CONFIG) private readonly config: VigilConfig,
    private readonly tokens: TokenIssuer,
    private readonly sessions: ConsoleSessions,
    private readonly db: Database,
    private readonly events: AppEvents,
    private readonly alerts: AlertsService,
  ) {}

  afterInit(server: VigilServer): void {
    server.use(socketAuthMiddleware(this.tokens, this.sessions));
    server.use(socketLimitMiddleware(this.owners, this.config.socketsPerPrincipal));
    const offRevoked = this.events.on('token.revoked', (tokenId) => this.disconnectWhere((p) => p.tokenId === tokenId));
    const offEnded = this.events.on('access.ended', ({ userId, sessionIds, wholeUser }) =>
      this.disconnectWhere((p) => (wholeUser && p.userId === userId) || (p.sessionId !== null && sessionIds.includes(p.sessionId))),
    );
    const offStatus = this.events.on('alert.status-changed', (id, by, reason) => void this.pushAlertStatus(id, by, reason));
    this.unsubscribe = () => {
      offRevoked();
      offEnded();
      offStatus();
    };
    this.recheck = setInterval(() => void this.dropRevoked(), RECHECK_MS);
    this.recheck.unref();
  }

  async handleConnection(socket: VigilSocket): Promise<void> {
    const { principal } = socket.data;
    void socket.join(roomForRole(principal.role));
    socket.emit('welcome', { role: principal.role, tokenName: principal.name, serverVersion: this.config.version });
    this.logger.debug({ role: principal.role, tokenId: principal.tokenId, userId: principal.userId }, 'socket connected');
    if (ALERT_ROLES.includes(principal.role)) {
      await this.catchUp(socket).catch((error: unknown) => {
        this.logger.warn({ err: error }, 'alert replay failed; disconnecting so the client retries');
        socket.disconnect(true);
      });
    }
  }

  /**
   * Replays alerts after the client's `auth.offset`, then joins the live alerts room and replays
   * once more what committed meanwhile. Each replay is bounded: the newest VIGIL_SOCKET_REPLAY_MAX
   * alerts, in seq order, preceded by `alerts.more` when older ones are left out. A client may see
   * an alert twice around the switch (it de-duplicates by id). Without an offset: live only.
   */
  private async catchUp(socket: VigilSocket): Promise<void> {
    const offset = parseOffset((socket.handshake.auth as { offset?: unknown } | undefined)?.offset);
    if (offset === null) {
      await socket.join(ALERTS_ROOM);
      return;
    }
    const cursor = await this.replayWindow(socket, offset);
    if (!socket.connected) return;
    await socket.join(ALERTS_ROOM);
    await this.replayWindow(socket, cursor);
  }

  /** One bounded replay after `offset`; returns the offset it reached. */
  private async replayWindow(socket: VigilSocket, offset: string): Promise<string> {
    const max = this.config.socketReplayMax;
    const plan = planReplay(offset, await this.db.repos.alerts.newestAfter(offset, max + 1), max);
    if (!socket.connected) return offset;
    if (plan.skipped) {
      const count = await this.db.repos.alerts.countBetween(plan.skipped.afterSeq, plan.skipped.throughSeq, SKIPPED_COUNT_CAP);
      socket.emit('alerts.more', { ...plan.skipped, count, atLeast: count >= SKIPPED_COUNT_CAP });
    }
    for (const row of plan.window) if (!this.sendAlert(socket, toAlertEvent(row))) break;
    return plan.cursor;
  }

  /** Pushes a committed alert to every caught-up security/admin socket. */
  emitAlert(event: AlertEvent): void {
    const room = this.server.sockets.adapter.rooms.get(ALERTS_ROOM);
    for (const id of [...(room ?? [])]) {
      const socket = this.server.sockets.sockets.get(id);
      if (socket) this.sendAlert(socket, event);
    }
  }

  /**
   * One socket, one alert. Sent per socket (not to the room) so that an `{ acknowledge: true }`
   * reply is attributed to the person behind that socket. No timer per alert: the answer settles
   * the socket's backlog, and a socket past VIGIL_SOCKET_UNACKED_MAX unanswered alerts is told why
   * and disconnected (socket.io drops its pending callbacks with it). Returns false when not sent.
   */
  private sendAlert(socket: VigilSocket, event: AlertEvent): boolean {
    if (!socket.connected) return false;
    let backlog = this.backlogs.get(socket);
    if (!backlog) this.backlogs.set(socket, (backlog = new AlertBacklog(this.config.socketUnackedMax)));
    if (!backlog.take()) {
      this.logger.warn({ tokenId: socket.data.principal.tokenId, unacknowledged: backlog.unacknowledged }, 'socket left too many alerts unanswered; disconnecting it');
      socket.emit('closing', {
        reason: 'alert-backlog',
        message: `${backlog.unacknowledged} alerts are unanswered (the limit); reconnect with auth.offset to receive the rest`,
      });
      socket.disconnect(true);
      return false;
    }
    socket.emit('alert', event, (reply?: AlertAckReply) => {
      backlog.settle();
      if (reply?.acknowledge !== true) return;
      this.alerts.act(socket.data.principal, event.id, 'acknowledge').catch((e: unknown) =>
        // Already acknowledged/resolved (409) is normal when several consoles answer.
        this.logger.debug({ err: e, alertId: event.id }, 'socket acknowledgement not applied'),
      );
    });
    return true;
  }

  /** Who and why come with the change (a token's name, or 'system' for the escalator): no audit read. */
  private async pushAlertStatus(id: string, by: string, reason?: 'unacknowledged'): Promise<void> {
    try {
      const row = await this.alerts.findById(id);
      if (!row) return;
      const at = row.status === 'acknowledged' ? row.acknowledgedAt : row.status === 'resolved' ? row.resolvedAt : row.escalatedAt;
      const event: AlertStatusEvent = {
        id: row.id,
        seq: row.seq,
        status: row.status,
        at: new Date(at ?? Date.now()).toISOString(),
        by,
        ...(reason ? { reason } : {}),
      };
      this.server.to(ALERTS_ROOM).emit('alert.status', event);
    } catch (error) {
      this.logger.warn({ err: error, alertId: id }, 'alert status not pushed');
    }
  }

  /** Attendance goes to admins and security (kiosks get their own answer over HTTP). */
  emitAttendance(event: AttendanceEvent): void {
    this.server.to([roomForRole('admin'), roomForRole('security')]).emit('attendance', event);
  }

  /** Camera health goes to the roles that watch cameras. */
  emitCameraStatus(event: CameraStatusEvent): void {
    this.server.to([roomForRole('admin'), roomForRole('security')]).emit('camera.status', event);
  }

  /** New review items go to the roles that work the queue. */
  emitReviewItem(event: ReviewItemEvent): void {
    this.server.to([roomForRole('reviewer'), roomForRole('admin')]).emit('review.item', event);
  }

  /** A newly missed KPI target goes to reviewers and admins. */
  emitKpiBreach(event: KpiBreachEvent): void {
    this.server.to([roomForRole('reviewer'), roomForRole('admin')]).emit('kpi.breach', event);
  }

  emitRefreshProgress(run: RefreshRunView): void {
    this.server.to(roomForRole('admin')).emit('refresh.progress', run);
  }

  onModuleDestroy(): void {
    if (this.recheck) clearInterval(this.recheck);
    this.unsubscribe?.();
  }

  private disconnectWhere(ended: (principal: SocketData['principal']) => boolean): void {
    for (const socket of this.server.sockets.sockets.values()) {
      if (socket.data.principal && ended(socket.data.principal)) socket.disconnect(true);
    }
  }

  /**
   * The safety net for revocations made by another process (or a missed event): tokens revoked,
   * expired or whose owner was disabled, and sessions ended, expired or whose user was disabled.
   * Connected consoles keep their sessions from idling out.
   */
  private async dropRevoked(): Promise<void> {
    try {
      const principals = [...this.server.sockets.sockets.values()].map((s) => s.data.principal).filter(Boolean);
      const tokenIds = [...new Set(principals.map((p) => p.tokenId).filter((id): id is string => id !== null))];
      const sessionIds = [...new Set(principals.map((p) => p.sessionId).filter((id): id is string => id !== null))];
      const deadTokens = new Set(await this.db.repos.tokens.unusable(tokenIds));
      const deadSessions = new Set(await this.sessions.unusable(sessionIds));
      this.disconnectWhere((p) => (p.tokenId !== null && deadTokens.has(p.tokenId)) || (p.sessionId !== null && deadSessions.has(p.sessionId)));
      await this.sessions.touch(sessionIds.filter((id) => !deadSessions.has(id)));
    } catch (error) {
      this.logger.warn({ err: error }, 'token and session re-check failed; will retry');
    }
  }
}
