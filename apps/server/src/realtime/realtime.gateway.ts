import { Inject, Logger, OnModuleDestroy } from '@nestjs/common';
import { OnGatewayConnection, OnGatewayInit, WebSocketGateway, WebSocketServer } from '@nestjs/websockets';
import type { Server, Socket } from 'socket.io';
import { TokenIssuer } from '@vigil/auth';
import type { VigilConfig } from '@vigil/config';
import { Database } from '@vigil/persistence';
import {
  AlertAckReply, AlertEvent, AlertStatusEvent, AttendanceEvent, CameraStatusEvent, ClientToServerEvents, KpiBreachEvent, ReviewItemEvent, roomForRole,
  ServerToClientEvents,
} from '@vigil/contracts';
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
const REPLAY_BATCH = 500;
const ACK_TIMEOUT_MS = 10_000;

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

  constructor(
    @Inject(VIGIL_CONFIG) private readonly config: VigilConfig,
    private readonly tokens: TokenIssuer,
    private readonly db: Database,
    private readonly events: AppEvents,
    private readonly alerts: AlertsService,
  ) {}

  afterInit(server: VigilServer): void {
    server.use(socketAuthMiddleware(this.tokens));
    const offRevoked = this.events.on('token.revoked', (tokenId) => this.disconnectToken(tokenId));
    const offStatus = this.events.on('alert.status-changed', (id, by, reason) => void this.pushAlertStatus(id, by, reason));
    this.unsubscribe = () => {
      offRevoked();
      offStatus();
    };
    this.recheck = setInterval(() => void this.dropRevoked(), RECHECK_MS);
    this.recheck.unref();
  }

  async handleConnection(socket: VigilSocket): Promise<void> {
    const { principal } = socket.data;
    void socket.join(roomForRole(principal.role));
    socket.emit('welcome', { role: principal.role, tokenName: principal.name, serverVersion: this.config.version });
    this.logger.debug({ role: principal.role, tokenId: principal.tokenId }, 'socket connected');
    if (ALERT_ROLES.includes(principal.role)) {
      await this.catchUp(socket).catch((error: unknown) => {
        this.logger.warn({ err: error }, 'alert replay failed; disconnecting so the client retries');
        socket.disconnect(true);
      });
    }
  }

  /**
   * Replays alerts after the client's `auth.offset`, in seq order, then joins the live alerts room
   * and replays once more what committed meanwhile. A client may thus see an alert twice around
   * the switch (it de-duplicates by id) but never misses one. Without an offset: live only.
   */
  private async catchUp(socket: VigilSocket): Promise<void> {
    const offset = parseOffset((socket.handshake.auth as { offset?: unknown } | undefined)?.offset);
    if (offset === null) {
      await socket.join(ALERTS_ROOM);
      return;
    }
    let cursor = offset;
    for (let round = 0; round < 2; round++) {
      for (;;) {
        const rows = await this.db.repos.alerts.after(cursor, REPLAY_BATCH);
        for (const row of rows) this.sendAlert(socket, toAlertEvent(row));
        if (rows.length > 0) cursor = rows[rows.length - 1]!.seq;
        if (rows.length < REPLAY_BATCH || !socket.connected) break;
      }
      if (round === 0) await socket.join(ALERTS_ROOM);
    }
  }

  /** Pushes a committed alert to every caught-up security/admin socket. */
  emitAlert(event: AlertEvent): void {
    const room = this.server.sockets.adapter.rooms.get(ALERTS_ROOM);
    for (const id of room ?? []) {
      const socket = this.server.sockets.sockets.get(id);
      if (socket) this.sendAlert(socket, event);
    }
  }

  /**
   * One socket, one alert. Sent per socket (not to the room) so that an `{ acknowledge: true }`
   * reply is attributed to the person behind that socket.
   */
  private sendAlert(socket: VigilSocket, event: AlertEvent): void {
    socket.timeout(ACK_TIMEOUT_MS).emit('alert', event, (error: Error | null, reply?: AlertAckReply) => {
      if (error || reply?.acknowledge !== true) return;
      this.alerts.act(socket.data.principal, event.id, 'acknowledge').catch((e: unknown) =>
        // Already acknowledged/resolved (409) is normal when several consoles answer.
        this.logger.debug({ err: e, alertId: event.id }, 'socket acknowledgement not applied'),
      );
    });
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

  onModuleDestroy(): void {
    if (this.recheck) clearInterval(this.recheck);
    this.unsubscribe?.();
  }

  private disconnectToken(tokenId: string): void {
    for (const socket of this.server.sockets.sockets.values()) {
      if (socket.data.principal?.tokenId === tokenId) socket.disconnect(true);
    }
  }

  private async dropRevoked(): Promise<void> {
    try {
      const ids = [...new Set([...this.server.sockets.sockets.values()].map((s) => s.data.principal?.tokenId).filter(Boolean))] as string[];
      for (const id of await this.db.repos.tokens.unusable(ids)) this.disconnectToken(id);
    } catch (error) {
      this.logger.warn({ err: error }, 'token re-check failed; will retry');
    }
  }
}
