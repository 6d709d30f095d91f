import type { Socket } from 'socket.io';
import { parseBearer, Principal, TokenIssuer } from '@vigil/auth';

export interface SocketData {
  principal: Principal;
}

/**
 * socket.io handshake authentication (io.use). Nest guards do not run on connection, so this is
 * where sockets are authenticated; a refused handshake reaches the client as `connect_error`
 * and the socket never joins a room or receives an event.
 */
export function socketAuthMiddleware(tokens: TokenIssuer) {
  return (socket: Socket, next: (err?: Error) => void): void => {
    const auth = (socket.handshake.auth ?? {}) as { token?: unknown };
    const secret = typeof auth.token === 'string' ? auth.token : parseBearer(socket.handshake.headers.authorization);
    if (!secret) {
      next(new Error('unauthorized: pass your API token as auth.token'));
      return;
    }
    tokens.verify(secret).then(
      (principal) => {
        if (!principal) return next(new Error('unauthorized: the token is unknown, revoked or expired'));
        (socket.data as SocketData).principal = principal;
        next();
      },
      () => next(new Error('unavailable: could not verify the token, retry shortly')),
    );
  };
}
