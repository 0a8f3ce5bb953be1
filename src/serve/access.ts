/** Who may call the server: loopback by default, a bearer token checked in constant time, CORS only for named origins. */
import { createHash, timingSafeEqual } from 'node:crypto';
import * as net from 'node:net';

/** The environment variable holding the token when no --token-file is given. */
export const TOKEN_ENV = 'AUTOMM_SERVE_TOKEN';

export function isLoopback(host: string): boolean {
  if (host === 'localhost') return true;
  const bare = host.replace(/^\[|\]$/g, '');
  if (net.isIPv4(bare)) return bare.startsWith('127.');
  return bare === '::1' || /^::ffff:127\./i.test(bare);
}

/**
 * Checks an Authorization header against the token. Both sides are hashed first, so the comparison
 * takes the same time whatever the header's length or how much of it matches.
 */
export function tokenChecker(token: string): (header: string | undefined) => boolean {
  const expected = digest(token);
  return (header) => {
    const given = /^Bearer\s+(.+)$/i.exec(header ?? '')?.[1] ?? '';
    return timingSafeEqual(digest(given), expected) && given.length > 0;
  };
}

const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();
