import { io, Socket } from 'socket.io-client';
import type { AlertEvent, ClientToServerEvents, RoleName, ServerToClientEvents, SocketAuth } from '@vigil/contracts';
import { AlertStatus, AlertStore } from './alert-store';
import { CameraStore } from './camera-store';
import { Api, createApi, Credentials } from './http';
import { Observable } from './store';

export type VigilSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
export type Connection = 'connecting' | 'live' | 'reconnecting';

/** sessionStorage: a device token lives as long as the tab (closing it signs out). Password sessions live in an HttpOnly cookie. */
const TOKEN_KEY = 'vigil.token';

export interface Session {
  credentials: Credentials;
  role: RoleName;
  /** The signed-in person's display name, or the token's name. */
  tokenName: string;
  api: Api;
  socket: VigilSocket;
  connection: Observable<Connection>;
  alerts: AlertStore;
  cameras: CameraStore;
  /** Incremented on every `review.item` push, so the queue can reload. */
  reviewPushes: Observable<number>;
  close(): void;
}

/** How long the page waits for socket.io's own reconnection before starting afresh. */
const STUCK_MS = 8000;

export const storedToken = (): string | null => sessionStorage.getItem(TOKEN_KEY);

/** The server refused to open this session (the message says why and what to do). */
export class SessionRefused extends Error {}

/** The server refused the credentials (token unknown/revoked/expired, session ended), as opposed to being unreachable. */
export class TokenRefused extends SessionRefused {}

const ENDED_TEXT = {
  token: 'Your token stopped working (revoked or expired). Sign in with a valid token.',
  session: 'Your session has ended (signed out elsewhere, expired, or the account was disabled). Sign in again.',
} as const;

/**
 * Opens the session's one socket and resolves with the role the server's `welcome` names. The
 * same socket then carries alerts (replayed after the highest seq this page holds on every
 * reconnect), camera status and review pushes for as long as the session lasts.
 */
export function openSession(credentials: Credentials, onEnded: (reason: string) => void): { session: Promise<Session>; cancel: () => void } {
  const token = credentials.kind === 'token' ? credentials.token : undefined;
  const endedText = ENDED_TEXT[credentials.kind];
  const alertsOffset = { store: null as AlertStore | null };
  const socket: VigilSocket = io({
    path: '/socket.io',
    transports: ['websocket'],
    // A function, so every reconnect sends the offset the page holds at that moment. The first
    // connection sends none (live only): the page then loads its first screen from /api/alerts/board
    // instead of replaying the whole history.
    auth: (cb) => {
      const store = alertsOffset.store;
      cb((store ? { token, offset: store.offset() } : { token }) satisfies SocketAuth);
    },
    reconnectionDelay: 500,
    reconnectionDelayMax: 5000,
  });
  const connection = new Observable<Connection>('connecting');
  let ended = false;
  // socket.io-client stops retrying for good when a websocket opens and closes before the
  // handshake (a proxy or a half-dead network can do that): restart the connection if still down.
  let watchdog: number | undefined;
  const kick = () => {
    if (ended || socket.connected) return;
    socket.disconnect();
    socket.connect();
  };
  const end = (reason: string) => {
    if (ended) return;
    ended = true;
    window.clearInterval(watchdog);
    socket.close();
    sessionStorage.removeItem(TOKEN_KEY);
    onEnded(reason);
  };

  const session = new Promise<Session>((resolve, reject) => {
    let settled = false;
    socket.on('connect_error', (error) => {
      if (/^unauthorized/.test(error.message)) {
        if (!settled) {
          settled = true;
          socket.close();
          reject(new TokenRefused(credentials.kind === 'token' ? 'This token was not accepted: it is unknown, revoked or expired.' : ENDED_TEXT.session));
        } else {
          end(endedText);
        }
        return;
      }
      // Past the server's limit of sockets per token: say so at sign-in; once signed in, keep
      // retrying (a slot frees when another tab closes) and show Reconnecting… meanwhile.
      if (/^too many connections/.test(error.message) && !settled) {
        settled = true;
        socket.close();
        reject(new SessionRefused('This token already has as many open connections as it may: close another tab or window that uses it, then sign in again.'));
        return;
      }
      connection.set('reconnecting');
      // Refused by the server's middleware for another reason: socket.io does not retry those itself.
      if (!socket.active) window.setTimeout(() => !ended && socket.connect(), 2000);
    });
    socket.on('disconnect', (reason) => {
      connection.set('reconnecting');
      // The server cut us (token revoked, a failed replay, or alerts left unanswered past its limit
      // while the page was stalled): try again; a refused token ends the session.
      if (reason === 'io server disconnect') window.setTimeout(() => !ended && socket.connect(), 1000);
      watchdog ??= window.setInterval(kick, STUCK_MS);
    });
    socket.on('connect', () => {
      connection.set('live');
      window.clearInterval(watchdog);
      watchdog = undefined;
    });
    socket.once('welcome', (info) => {
      if (settled) return;
      settled = true;
      if (token) sessionStorage.setItem(TOKEN_KEY, token);
      const api = createApi(credentials, () => end(endedText));
      const alerts = new AlertStore();
      alertsOffset.store = alerts;
      const cameras = new CameraStore(api);
      const reviewPushes = new Observable(0);
      socket.on('alert', (event, ack) => {
        ack();
        alerts.receive(event);
      });
      // Open alerts and the newest ones, for consoles (security, admin) that receive alerts at all.
      const loadBoard = () =>
        api.get<AlertEvent[]>('/api/alerts/board?recent=100').then(
          (board) => board.forEach((event) => alerts.receive(event)),
          () => undefined, // the live feed still works; the next reconnect replays from the offset
        );
      // A reconnect after a long cut replays only the newest alerts: note what was left out, and
      // reload the board so that those still open are on screen all the same.
      socket.on('alerts.more', (event) => {
        alerts.noteSkipped(event);
        void loadBoard();
      });
      socket.on('camera.status', (event) => cameras.apply(event));
      if (info.role === 'admin' || info.role === 'security') void loadBoard();
      socket.on('review.item', () => reviewPushes.set(reviewPushes.get() + 1));
      // Pushed by servers with the alert lifecycle and KPI monitor; their event types join
      // @vigil/contracts with that work (older servers simply never send them).
      const more = socket as unknown as { on(event: string, listener: (payload: { id: string; status: AlertStatus }) => void): void };
      more.on('alert.status', (change) => alerts.applyStatus(change));
      more.on('kpi.breach', () => reviewPushes.set(reviewPushes.get() + 1));
      connection.set('live');
      resolve({
        credentials,
        role: info.role as RoleName,
        tokenName: info.tokenName,
        api,
        socket,
        connection,
        alerts,
        cameras,
        reviewPushes,
        close: () => {
          ended = true;
          window.clearInterval(watchdog);
          socket.close();
          sessionStorage.removeItem(TOKEN_KEY);
        },
      });
    });
  });
  return { session, cancel: () => socket.close() };
}
