import { io, Socket } from 'socket.io-client';

/** Connects like a dashboard does and resolves once the server has welcomed the socket. */
export async function connectSocket(url: string, auth: Record<string, unknown>, listen?: (socket: Socket) => void): Promise<Socket> {
  const socket = io(url, { auth, transports: ['websocket'], reconnection: false, forceNew: true });
  listen?.(socket);
  await new Promise<void>((resolve, reject) => {
    socket.once('welcome', () => resolve());
    socket.once('connect_error', reject);
  });
  return socket;
}

/** Polls `probe` until it returns a value, or fails naming what it waited for. */
export async function until<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined> | T | undefined, everyMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
