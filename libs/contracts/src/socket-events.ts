import type { RefreshRunView } from './model-versions';
import type { ScanJobView } from './scans';
import type { CameraStatusName, KpiBreachView, PersonListName, ReviewItemKind } from './views';

/** What a client sends in the socket.io handshake (`io(url, { auth })`). */
export interface SocketAuth {
  /** A device/integration token; consoles signed in with a password send none (the session cookie authenticates). */
  token?: string;
  /**
   * The highest alert seq the client already has; the server replays alerts after it (at most
   * the newest `VIGIL_SOCKET_REPLAY_MAX`, with `alerts.more` saying what it left out).
   */
  offset?: number | string;
}

export interface AlertEvent {
  /** Monotonic offset (a decimal string: bigint). Send the highest you hold as `auth.offset`. */
  seq: string;
  id: string;
  cameraId: string | null;
  personId: string | null;
  personName: string | null;
  list: PersonListName;
  score: number;
  trackId: string | null;
  at: string;
  status: 'new' | 'acknowledged' | 'resolved' | 'escalated';
  cropUrl: string | null;
  frameUrl: string | null;
  /** Retention removed the crop and frame (cropUrl and frameUrl are then null); the alert stays. */
  evidenceExpired: boolean;
}

/** An alert changed status (a person acknowledged/resolved/escalated it, or the system escalated it). */
export interface AlertStatusEvent {
  id: string;
  seq: string;
  status: AlertEvent['status'];
  at: string;
  /** Who changed it: a token's name, or 'system' for an automatic escalation. */
  by: string;
  reason?: 'unacknowledged';
}

/**
 * What a client may answer in the `alert` ack callback. A plain `ack()` is a receipt only; staff
 * consoles acknowledge the alert itself with `ack({ acknowledge: true })` (same effect and audit
 * row as POST /api/alerts/:id/ack).
 */
export interface AlertAckReply {
  acknowledge?: boolean;
}

/**
 * Sent before a replay that leaves alerts out: more than `VIGIL_SOCKET_REPLAY_MAX` came after the
 * client's offset, so only the newest ones follow. The ones left out have
 * `afterSeq < seq <= throughSeq`; page them with `GET /api/alerts?after=<afterSeq>` (the open ones
 * are also on `GET /api/alerts/board`).
 */
export interface AlertsMoreEvent {
  afterSeq: string;
  throughSeq: string;
  /** How many were left out; with `atLeast`, the count stopped there (there are more). */
  count: number;
  atLeast: boolean;
}

/** Why the server is about to close this socket (sent just before it does). */
export interface SocketClosingEvent {
  /**
   * `alert-backlog`: the client left too many `alert` events unanswered (`VIGIL_SOCKET_UNACKED_MAX`).
   * Reconnect with `auth.offset` = the highest seq held: what was not delivered is replayed.
   */
  reason: 'alert-backlog';
  message: string;
}

export interface AttendanceEvent {
  id: string;
  personId: string;
  personName: string;
  kind: 'in' | 'out';
  cameraId: string | null;
  at: string;
  score: number;
}

export interface CameraStatusEvent {
  cameraId: string;
  status: Exclude<CameraStatusName, 'disabled'>;
  at: string;
  fps: number | null;
  reason?: string;
}

/** A review item entered the queue (to reviewers and admins). Fetch it with GET /api/reviews/queue. */
export interface ReviewItemEvent {
  id: string;
  kind: ReviewItemKind;
  cameraId: string | null;
  at: string;
}

/** A KPI target is newly missed (to reviewers and admins); GET /api/health lists current breaches. */
export interface KpiBreachEvent extends KpiBreachView {
  at: string;
}

/** Server → client events. The gateway emits only through this map. */
export interface ServerToClientEvents {
  /**
   * Confirm receipt through the ack callback (`socket.on('alert', (e, ack) => ack())`); see
   * AlertAckReply. Past `VIGIL_SOCKET_UNACKED_MAX` unanswered alerts the server sends `closing` and
   * disconnects the socket.
   */
  alert: (event: AlertEvent, ack: (reply?: AlertAckReply) => void) => void;
  /** A replay after `auth.offset` left older alerts out (it sends the newest ones only). */
  'alerts.more': (event: AlertsMoreEvent) => void;
  /** The server closes this socket right after, for this reason. */
  closing: (event: SocketClosingEvent) => void;
  'alert.status': (event: AlertStatusEvent) => void;
  attendance: (event: AttendanceEvent) => void;
  'camera.status': (event: CameraStatusEvent) => void;
  'review.item': (event: ReviewItemEvent) => void;
  'kpi.breach': (event: KpiBreachEvent) => void;
  /** The model refresh run changed (started, a step, finished or failed): to admins. */
  'refresh.progress': (event: RefreshRunView) => void;
  /**
   * A scan job changed (queued, started, progress about once a second, finished, failed,
   * cancelled): to admins, the whole job as GET /api/scans/:id answers it.
   */
  'scan.progress': (event: ScanJobView) => void;
  /** Sent once after the handshake: who the server thinks you are. */
  welcome: (info: { role: string; tokenName: string; serverVersion: string }) => void;
}

export type ClientToServerEvents = Record<string, never>;

/** socket.io rooms. Every socket joins the room of its role; scoping by site comes later. */
export const roomForRole = (role: string): string => `role:${role}`;
