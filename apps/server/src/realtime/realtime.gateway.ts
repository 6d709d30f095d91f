import { Inject, Logger, OnModuleDestroy } from '@nestjs/common';
import { OnGatewayConnection, OnGatewayInit, WebSocketGateway, WebSocketServer } from '@nestjs/websockets';
import type { Server, Socket } from 'socket.io';
import { TokenIssuer } from '@vigil/auth';
import type { VigilConfig } from '@vigil/config';
import { Database } from '@vigil/persistence';
import { CameraStatusEvent, ClientToServerEvents, roomForRole, ServerToClientEvents } from '@vigil/contracts';
import { AppEvents } from '../core/app-events';
import { VIGIL_CONFIG } from '../core/core.module';
import { SocketData, socketAuthMiddleware } from './socket-auth.middleware';

type VigilServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
type VigilSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

/** Revocations made by another process are noticed by this re-check. */
const RECHECK_MS = 30_000;

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
  ) {}

  afterInit(server: VigilServer): void {
    server.use(socketAuthMiddleware(this.tokens));
    this.unsubscribe = this.events.on('token.revoked', (tokenId) => this.disconnectToken(tokenId));
    this.recheck = setInterval(() => void this.dropRevoked(), RECHECK_MS);
    this.recheck.unref();
  }

  handleConnection(socket: VigilSocket): void {
    const { principal } = socket.data;
    void socket.join(roomForRole(principal.role));
    socket.emit('welcome', { role: principal.role, tokenName: principal.name, serverVersion: this.config.version });
    this.logger.debug({ role: principal.role, tokenId: principal.tokenId }, 'socket connected');
  }

  /** Camera health goes to the roles that watch cameras. */
  emitCameraStatus(event: CameraStatusEvent): void {
    this.server.to([roomForRole('admin'), roomForRole('security')]).emit('camera.status', event);
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
