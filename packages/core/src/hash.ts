import { sha256 } from '@noble/hashes/sha2';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils';

/**
 * The hex SHA-256 of a text, synchronously and on every runtime (Web Crypto's digest is async, and
 * node:crypto is Node's): for store keys that identify a credential without containing it.
 */
export function sha256Hex(text: string): string {
  return bytesToHex(sha256(utf8ToBytes(text)));
}
