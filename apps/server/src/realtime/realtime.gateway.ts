import { Inject, Logger } from '@nestjs/common';
import { OnGatewayConnection, OnGatewayInit, WebSocketGateway, WebSocketServer } from '@nestjs/websockets';
import { ConsoleSessions, TokenIssuer } from '@vigil/auth';
import type { VigilConfig } from '@vigil/config';
import { roomForRole } from '@vigil/contracts';
import type { Role } from '@vigil/domain';
import { credentialRooms } from '../auth/socket-rooms';
import { VIGIL_CONFIG } from '../core/core.module';
import { SocketAdapter } from './socket-adapter';
import { socketAuthMiddleware } from './socket-auth.middleware';
import { SocketOwners, socketLimitMiddleware } from './socket-owners';
import type { PayloadOf, RoomEmitter, RoomEvent, VigilServer, VigilSocket } from './socket-types';

/** What a feature does with a new socket of its roles (the alert feed replays); a failure disconnects it. */
export type ConnectionHandler = (socket: VigilSocket) => Promise<void>;

/**
 * The socket.io endpoint (default namespace, path /socket.io), thin on purpose: authenticate
 * (handshake middleware), join rooms (the role's, and the credential rooms revocations cut
 * through), and emit typed events. What is sent belongs to the features: the alert feed (replay,
 * acknowledgement), socket revocation (auth), the outbox relays.
 *
 * Two reaches: `emitToRoles`/`emitToRoom`/`disconnectRooms` reach every api process through the
 * adapter (for what happens in one process: a status change, a KPI breach, a revocation);
 * `emitToRolesLocal` and the per-socket sends reach this process's sockets only (for what every
 * api process relays itself from the database's outbox tables, which the adapter must not repeat).
 */
@WebSocketGateway({ path: '/socket.io', serveClient: false })
export class RealtimeGateway implements OnGatewayInit, OnGatewayConnection {
  @WebSocketServer() server!: VigilServer;
  private readonly logger = new Logger('Realtime');
  private readonly owners = new SocketOwners();
  private readonly handlers: Array<{ roles: readonly Role[]; handle: ConnectionHandler }> = [];

  constructor(
    @Inject(VIGIL_CONFIG) private readonly config: VigilConfig,
    private readonly tokens: TokenIssuer,
    private readonly sessions: ConsoleSessions,
    private readonly adapter: SocketAdapter,
  ) {}

  afterInit(server: VigilServer): void {
    this.adapter.attach(server);
    server.use(socketAuthMiddleware(this.tokens, this.sessions));
    server.use(socketLimitMiddleware(this.owners, this.config.socketsPerPrincipal));
  }

  /** Registers what to do with each new socket of these roles (features call it at module init). */
  onConnection(roles: readonly Role[], handle: ConnectionHandler): void {
    this.handlers.push({ roles, handle });
  }

  async handleConnection(socket: VigilSocket): Promise<void> {
    const { principal } = socket.data;
    void socket.join([roomForRole(principal.role), ...credentialRooms(principal)]);
    socket.emit('welcome', { role: principal.role, tokenName: principal.name, serverVersion: this.config.version });
    this.logger.debug({ role: principal.role, tokenId: principal.tokenId, userId: principal.userId }, 'socket connected');
    for (const { roles, handle } of this.handlers) {
      if (!roles.includes(principal.role) || !socket.connected) continue;
      await handle(socket).catch((error: unknown) => {
        this.logger.warn({ err: error }, 'socket set-up failed; disconnecting so the client retries');
        socket.disconnect(true);
      });
    }
  }

  /** To these roles' sockets on every api process. */
  emitToRoles<E extends RoomEvent>(roles: readonly Role[], event: E, payload: PayloadOf<E>): void {
    this.emitVia(this.server.to(roles.map(roomForRole)), event, payload);
  }

  /** To these roles' sockets on this api process only. */
  emitToRolesLocal<E extends RoomEvent>(roles: readonly Role[], event: E, payload: PayloadOf<E>): void {
    this.emitVia(this.server.local.to(roles.map(roomForRole)), event, payload);
  }

  /** To a room's sockets on every api process. */
  emitToRoom<E extends RoomEvent>(room: string, event: E, payload: PayloadOf<E>): void {
    this.emitVia(this.server.to(room), event, payload);
  }

  /** This process's sockets in a room (for per-socket sends). */
  localSocketsIn(room: string): VigilSocket[] {
    const ids = this.server.sockets.adapter.rooms.get(room);
    return [...(ids ?? [])].map((id) => this.server.sockets.sockets.get(id)).filter((s): s is VigilSocket => s !== undefined);
  }

  /** Every socket of this process. */
  localSockets(): VigilSocket[] {
    return [...this.server.sockets.sockets.values()];
  }

  /**
   * Closes the sockets in these rooms on every api process: this process's at once (even with
   * Redis down: the adapter would only cut them when its own request came back), the others'
   * through the adapter.
   */
  disconnectRooms(rooms: readonly string[]): void {
    if (rooms.length === 0) return;
    this.server.local.in([...rooms]).disconnectSockets(true);
    this.server.in([...rooms]).disconnectSockets(true);
  }

  private emitVia<E extends RoomEvent>(target: RoomEmitter, event: E, payload: PayloadOf<E>): void {
    (target.emit as (event: E, payload: PayloadOf<E>) => boolean)(event, payload);
  }
}
