import { randomBytes, randomUUID } from 'node:crypto';
import type { IdGenerator } from '../application/ports/ids';

/**
 * MongoDB-style ObjectIds (4 bytes of seconds, 5 random bytes per process, a 3-byte counter):
 * 24 hex digits like the seed's ids, and roughly time-ordered, which keeps indexes compact.
 */
export const objectIdGenerator = (): IdGenerator => {
  const processPart = randomBytes(5).toString('hex');
  let counter = randomBytes(3).readUIntBE(0, 3);
  return {
    objectId: () => {
      counter = (counter + 1) % 0x1000000;
      const seconds = Math.floor(Date.now() / 1000)
        .toString(16)
        .padStart(8, '0');
      return `${seconds}${processPart}${counter.toString(16).padStart(6, '0')}`;
    },
    uuid: () => randomUUID(),
  };
};
