import type { Principal } from '@vigil/auth';

/** The socket.io rooms a live socket is cut through when its credential stops working. */
export const tokenRoom = (tokenId: string): string => `token:${tokenId}`;
export const sessionRoom = (sessionId: string): string => `session:${sessionId}`;
export const userRoom = (userId: string): string => `user:${userId}`;

/**
 * The credential rooms a socket joins: its token, its console session, and its person (a signed-in
 * user, or the owner of a device token), so a revocation on any api process cuts it through the
 * adapter (`server.in(rooms).disconnectSockets(true)`).
 */
export function credentialRooms(principal: Principal): string[] {
  return [
    ...(principal.tokenId !== null ? [tokenRoom(principal.tokenId)] : []),
    ...(principal.sessionId !== null ? [sessionRoom(principal.sessionId)] : []),
    ...(principal.userId !== null ? [userRoom(principal.userId)] : []),
  ];
}

/**
 * The rooms to cut when console sessions end: those sessions, and when the whole account stopped
 * working (disabled) every socket of the person, its device tokens included.
 */
export function endedAccessRooms(ended: { userId: string; sessionIds: readonly string[]; wholeUser: boolean }): string[] {
  return [...ended.sessionIds.map(sessionRoom), ...(ended.wholeUser ? [userRoom(ended.userId)] : [])];
}
