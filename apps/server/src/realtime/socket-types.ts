import type { BroadcastOperator, Server, Socket } from 'socket.io';
import type { ClientToServerEvents, ServerToClientEvents } from '@vigil/contracts';
import type { SocketData } from './socket-auth.middleware';

export type VigilServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
export type VigilSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

/** Events that go to rooms; `alert` carries an acknowledgement and is sent per socket (AlertDelivery). */
export type RoomEvent = Exclude<keyof ServerToClientEvents, 'alert'>;
export type PayloadOf<E extends keyof ServerToClientEvents> = Parameters<ServerToClientEvents[E]>[0];
export type RoomEmitter = BroadcastOperator<ServerToClientEvents, SocketData>;
