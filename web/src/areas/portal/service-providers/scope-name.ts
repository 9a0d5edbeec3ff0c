/** A delegated scope for people: the subscription's name, or the resource group's with its subscription's. */
import type { Subscription } from '../arm.ts';

export function scopeName(scope: string, subscriptions: readonly Pick<Subscription, 'subscriptionId' | 'displayName'>[]): string {
  const match = /^\/subscriptions\/([^/]+)(?:\/resourceGroups\/([^/]+))?$/i.exec(scope);
  if (!match) return scope;
  const subscription = subscriptions.find((s) => s.subscriptionId.toLowerCase() === match[1]!.toLowerCase())?.displayName ?? match[1]!;
  return match[2] === undefined ? subscription : `${match[2]} (${subscription})`;
}
