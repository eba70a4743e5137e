// Messages Bosun posted to Slack (`notifications`): the notifier finds a subject's message here to
// thread a follow-up under it or edit it, and the dashboard lists every announcement.
import { Queries } from "./queries.js";
import { type DbRow, iso, isoOrNull, num, str, strOrNull } from "./sql-values.js";
import type { NotificationInput, NotificationRow } from "./types.js";

/** What {@link toNotification} reads. */
const NOTIFICATION_COLUMNS = `id, channel, subject, mode, channel_id, ts, thread_ts, message, text,
  effect_key, edits, posted_at, edited_at`;

export class NotificationQueries extends Queries {
  /** The message about `subject` in `channel`, if one was posted. */
  async notificationFor(channel: string, subject: string): Promise<NotificationRow | null> {
    const { rows } = await this.db.query<DbRow>(
      `SELECT ${NOTIFICATION_COLUMNS} FROM notifications WHERE channel = $1 AND subject = $2`,
      [channel, subject],
    );
    return rows[0] ? toNotification(rows[0]) : null;
  }

  /**
   * Records a posted message. A subject already recorded in the channel (a post that raced
   * another) keeps the first row, which is returned.
   */
  async recordNotification(n: NotificationInput): Promise<NotificationRow> {
    const { rows } = await this.db.query<DbRow>(
      `INSERT INTO notifications (channel, subject, mode, channel_id, ts, thread_ts, message, text,
                                  effect_key)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       ON CONFLICT (channel, subject) WHERE subject IS NOT NULL DO NOTHING
       RETURNING ${NOTIFICATION_COLUMNS}`,
      [
        n.channel,
        n.subject ?? null,
        n.mode,
        n.channelId ?? null,
        n.ts ?? null,
        n.threadTs ?? null,
        n.message,
        n.text,
        n.effectKey ?? null,
      ],
    );
    if (rows[0]) return toNotification(rows[0]);
    return (await this.notificationFor(n.channel, n.subject!))!;
  }

  /** Records that a message was edited to say `text` now. */
  async recordNotificationEdit(
    id: number,
    edit: { message: string; text: string; effectKey?: string },
  ): Promise<NotificationRow | null> {
    const { rows } = await this.db.query<DbRow>(
      `UPDATE notifications
          SET message = $2, text = $3, effect_key = coalesce($4, effect_key), edits = edits + 1,
              edited_at = now()
        WHERE id = $1
        RETURNING ${NOTIFICATION_COLUMNS}`,
      [id, edit.message, edit.text, edit.effectKey ?? null],
    );
    return rows[0] ? toNotification(rows[0]) : null;
  }

  /** Newest first. */
  async listNotifications(options: { limit?: number } = {}): Promise<NotificationRow[]> {
    const { rows } = await this.db.query<DbRow>(
      `SELECT ${NOTIFICATION_COLUMNS} FROM notifications ORDER BY id DESC LIMIT $1`,
      [options.limit ?? 100],
    );
    return rows.map(toNotification);
  }
}

function toNotification(r: DbRow): NotificationRow {
  return {
    id: num(r.id),
    channel: str(r.channel),
    subject: strOrNull(r.subject),
    mode: str(r.mode),
    channelId: strOrNull(r.channel_id),
    ts: strOrNull(r.ts),
    threadTs: strOrNull(r.thread_ts),
    message: str(r.message),
    text: str(r.text),
    effectKey: strOrNull(r.effect_key),
    edits: num(r.edits),
    postedAt: iso(r.posted_at),
    editedAt: isoOrNull(r.edited_at),
  };
}
