import type { SubjectKeys } from '../../src/application/ports/subjectKeys';

/**
 * A SubjectKeys for use-case specs: no cryptography (the PostgreSQL one has it, and its own
 * specs), only which subjects were destroyed, in the order asked.
 */
export const memorySubjectKeys = (): SubjectKeys & { destroyed: string[] } => {
  const destroyed: string[] = [];
  return {
    destroyed,
    seal: async (_subject, plaintext) => Buffer.from(plaintext),
    open: async (subject, sealed) => (destroyed.includes(subject) ? null : Buffer.from(sealed)),
    destroy: async (subjects) => {
      for (const s of subjects) if (!destroyed.includes(s)) destroyed.push(s);
    },
    isDestroyed: async (subject) => destroyed.includes(subject),
  };
};
