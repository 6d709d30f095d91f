import type { Socket } from 'socket.io';
import { ConsoleSessions, parseBearer, Principal, TokenIssuer } from '@vigil/auth';
import { crossSiteOrigin, sessionCookieOf } from '../auth/request-credentials';

export interface SocketData {
  principal: Principal;
}

/**
 * socket.io handshake authentication (io.use). Nest guards do not run on connection, so this is
 * where sockets are authenticated: a token (`auth.token` or an Authorization header) or the
 * console's session cookie from our own origin. A refused handshake reaches the client as
 * `connect_error` and the socket never joins a room or receives an event.
 */
export function socketAuthMiddleware(tokens: TokenIssuer, sessions: ConsoleSessions) {
  return (socket: Socket, next: (err?: Error) => void): void => {
    const auth = (socket.handshake.auth ?? {}) as { token?: unknown };
    const secret = typeof auth.token === 'string' ? auth.token : parseBearer(socket.handshake.headers.authorization);
    const cookie = secret ? null : sessionCookieOf(socket.handshake.headers);
    if (!secret && !cookie) {
      next(new Error('unauthorized: sign in, or pass your API token as auth.token'));
      return;
    }
    if (cookie && crossSiteOrigin(socket.handshake.headers)) {
      next(new Error('unauthorized: a connection from another site was refused'));
      return;
    }
    const verified = secret ? tokens.verify(secret) : sessions.verify(cookie);
    verified.then(
      (principal) => {
        if (!principal) return next(new Error(secret ? 'unauthorized: the token is unknown, revoked or expired' : 'unauthorized: your session has ended; sign in again'));
        (socket.data as SocketData).principal = principal;
        next();
      },
      () => next(new Error('unavailable: could not verify the credentials, retry shortly')),
    );
  };
}
