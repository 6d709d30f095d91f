import { Injectable } from '@nestjs/common';
import { EventEmitter } from 'node:events';

/** In-process notice that a token was revoked, so live sockets using it are cut at once. */
@Injectable()
export class TokenRevocations {
  private readonly emitter = new EventEmitter();

  announce(tokenId: string): void {
    this.emitter.emit('revoked', tokenId);
  }

  subscribe(listener: (tokenId: string) => void): () => void {
    this.emitter.on('revoked', listener);
    return () => this.emitter.off('revoked', listener);
  }
}
