/**
 * Notifications for the publisher's Owners and Managers: one action-center item per recipient,
 * and an e-mail to users (service principals have no mailbox). E-mail goes out after the change
 * that caused it is committed; the items, each with its e-mail's outcome, are then written in one
 * transaction. A refused or unconfigured SMTP server is recorded on the item, never fatal.
 */
import { normalizeGuid } from '../../core/guid.js';
import { notFound } from '../../core/errors.js';
import type { Store } from '../../storage/port.js';
import type { Clock, IdGenerator, RequestContext } from '../context.js';
import type { Mailer } from './mailer.js';
import type { PublisherService } from './publisher-service.js';
import { COLLECTIONS, type PublisherRecord } from './records.js';

export interface Notification {
  readonly id: string;
  readonly recipientId: string;
  readonly publisherId: string;
  readonly offerId?: string;
  readonly subject: string;
  readonly body: string;
  readonly createdAt: string;
  readonly read: boolean;
  readonly email: { readonly status: 'sent' | 'failed' | 'skipped'; readonly to?: string; readonly detail?: string };
}

export interface ActionCenter {
  /** Notifies the publisher's Owners and Managers. */
  notify(publisher: PublisherRecord, message: { offerId?: string; subject: string; body: string }): Promise<Notification[]>;
  list(ctx: RequestContext, options?: { unreadOnly?: boolean }): Promise<Notification[]>;
  markRead(ctx: RequestContext, id: string): Promise<Notification>;
}

/** The action center over the store and the mailer. */
export function createActionCenter(deps: { store: Store; clock: Clock; ids: IdGenerator; mailer: Mailer; publishers: PublisherService }): ActionCenter {
  const { store, clock, ids, mailer, publishers } = deps;

  function recipient(ctx: RequestContext): string {
    return ctx.caller === 'system' ? 'system' : normalizeGuid(ctx.caller.objectId);
  }

  return {
    async notify(publisher, message) {
      const out: Notification[] = [];
      for (const member of publishers.membersWith(publisher, ['Owner', 'Manager'])) {
        const user = await store.identity.getUser(member.userId);
        let email: Notification['email'] = { status: 'skipped', detail: user === undefined ? 'service principals have no mailbox' : 'no SMTP server is configured' };
        if (user !== undefined && mailer.configured) {
          try {
            await mailer.send({ to: [user.userPrincipalName], subject: message.subject, text: message.body });
            email = { status: 'sent', to: user.userPrincipalName };
          } catch (error) {
            email = { status: 'failed', to: user.userPrincipalName, detail: error instanceof Error ? error.message : String(error) };
          }
        }
        const item: Notification = {
          id: ids.guid(),
          recipientId: member.userId,
          publisherId: publisher.account.publisherId,
          ...(message.offerId === undefined ? {} : { offerId: message.offerId }),
          subject: message.subject,
          body: message.body,
          createdAt: clock.now().toISOString(),
          read: false,
          email,
        };
        out.push(item);
      }
      // One notification reaches all its recipients or none (a crash between two items would split it).
      await store.transaction(async (tx) => {
        for (const item of out) await tx.documents.put(COLLECTIONS.notifications, item.id, item.recipientId, item);
      });
      return out;
    },

    async list(ctx, options) {
      const all = await store.documents.list<Notification>(COLLECTIONS.notifications, recipient(ctx));
      return all.filter((n) => !(options?.unreadOnly === true && n.read)).sort((a, b) => b.createdAt.localeCompare(a.createdAt));
    },

    async markRead(ctx, id) {
      return store.transaction(async (tx) => {
        const item = await tx.documents.get<Notification>(COLLECTIONS.notifications, id);
        if (item === undefined || item.recipientId !== recipient(ctx)) throw notFound('resourceNotFound', `Notification ${id} does not exist.`);
        const read = { ...item, read: true };
        await tx.documents.put(COLLECTIONS.notifications, id, item.recipientId, read);
        return read;
      });
    },
  };
}
