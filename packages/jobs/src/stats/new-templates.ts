import type { Anomaly } from './anomaly.js';
import { formatMinute } from './robust.js';

export interface SeenTemplate {
  id: string;
  /** The template text, e.g. "User <*> logged in". */
  text: string;
  /** Lines of this upload matching it. */
  count: number;
  /** First matching line's time, epoch ms UTC. */
  firstSeen: number;
}

/**
 * Templates of this upload that the service never had before: `known` holds the template ids seen for the
 * service in earlier uploads. Ordered by first appearance (then by count, highest first), since a new
 * message right after a deploy is the usual story.
 */
export function findNewTemplates(
  known: ReadonlySet<string> | readonly string[],
  seen: readonly SeenTemplate[],
): Anomaly[] {
  const knownIds = known instanceof Set ? known : new Set(known);
  return seen
    .filter((t) => !knownIds.has(t.id))
    .sort((a, b) => a.firstSeen - b.firstSeen || b.count - a.count || a.id.localeCompare(b.id))
    .map((t) => ({
      kind: 'new-template' as const,
      at: t.firstSeen,
      value: t.count,
      baseline: 0,
      deviation: null,
      subject: t.id,
      message: `New message "${t.text}": ${t.count} lines, first at ${formatMinute(t.firstSeen)}.`,
    }));
}
