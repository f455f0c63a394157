/**
 * Webhook receipts in D1: delivery ids already accepted, per source, so a redelivery is
 * answered as a duplicate. A receipt is written only after the delivery's work is durable, so
 * a crash in between makes the sender's retry do the work again rather than lose it; both
 * kinds of work (enqueueing a sync, storing metrics) are idempotent.
 */
import { and, eq, gt } from 'drizzle-orm'
import { drizzle } from 'drizzle-orm/d1'
import { webhookReceipts } from '../db/schema'

/** How long a delivery id is remembered: twice the 24 hours senders may retry for. */
export const RECEIPT_TTL_MS = 48 * 60 * 60 * 1000

/** Where a webhook came from. */
export type WebhookSource = 'crm' | 'red360'

/** Whether the delivery was accepted before and is still remembered. */
export async function isDuplicate(
  db: D1Database,
  source: WebhookSource,
  deliveryId: string,
  now: number,
): Promise<boolean> {
  const rows = await drizzle(db)
    .select({ event: webhookReceipts.event })
    .from(webhookReceipts)
    .where(
      and(
        eq(webhookReceipts.source, source),
        eq(webhookReceipts.deliveryId, deliveryId),
        gt(webhookReceipts.expiresAt, now),
      ),
    )
    .limit(1)

  return rows.length > 0
}

/** Remembers an accepted delivery. */
export async function recordReceipt(
  db: D1Database,
  source: WebhookSource,
  deliveryId: string,
  event: string,
  now: number,
): Promise<void> {
  const receipt = { source, deliveryId, event, receivedAt: now, expiresAt: now + RECEIPT_TTL_MS }

  await drizzle(db)
    .insert(webhookReceipts)
    .values(receipt)
    .onConflictDoUpdate({
      target: [webhookReceipts.source, webhookReceipts.deliveryId],
      set: { event, receivedAt: now, expiresAt: receipt.expiresAt },
    })
}
