/**
 * May Parley send webhooks to this URL? Refuses URLs that resolve to private, loopback or
 * link-local addresses unless configured otherwise. Resolves to null when allowed, else a reason.
 */
export interface WebhookUrlGuard {
  refusal(url: string): Promise<string | null>;
}
