import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';

/**
 * Keep-alive connections, one agent per destination (scheme, host and port): a webhook reuses
 * an idle connection to its receiver instead of opening one per attempt (docs/performance.md:
 * the connect and, for https, the handshake were most of an attempt to a fast receiver).
 *
 * The address guard still holds: a connection is opened only through the guarded lookup, and
 * every attempt checks its host's addresses again before it is sent (sendWebhook.ts), so a
 * name that now resolves to a private address is refused even while an old connection lives.
 */
export type DestinationAgents = Readonly<{
  agentFor: (url: URL) => HttpAgent;
  /** closes every connection, idle or not: the worker is stopping */
  destroy: () => void;
}>;

/**
 * An idle connection is closed after this long: shorter than the 5 s keep-alive timeout of
 * Node's own HTTP server (a common receiver), so we rarely send on a socket being closed.
 */
const IDLE_MS = 4_000;

export const destinationAgents = (
  { maxSocketsPerDestination }: Readonly<{ maxSocketsPerDestination: number }> = {
    maxSocketsPerDestination: Infinity,
  },
): DestinationAgents => {
  const agents = new Map<string, HttpAgent>();
  return {
    agentFor: (url) => {
      const key = `${url.protocol}//${url.host}`;
      let agent = agents.get(key);
      if (agent === undefined) {
        const options = {
          keepAlive: true,
          timeout: IDLE_MS,
          maxSockets: maxSocketsPerDestination,
          scheduling: 'lifo' as const,
        };
        agent = url.protocol === 'https:' ? new HttpsAgent(options) : new HttpAgent(options);
        agents.set(key, agent);
      }
      return agent;
    },
    destroy: () => {
      for (const agent of agents.values()) agent.destroy();
      agents.clear();
    },
  };
};
