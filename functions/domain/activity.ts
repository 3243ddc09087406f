import type { TimelineEntry } from './timeline';

/** R6-R8, R11, R12, R18: what the team does with customers and distributors, as it happened. */
export const activityKinds = ['call', 'visit', 'email', 'note', 'training'] as const;
export const activityChannels = ['phone', 'in-person', 'email', 'video', 'via-distributor', 'internal'] as const;

export interface Activity {
  kind: (typeof activityKinds)[number];
  channel?: (typeof activityChannels)[number];
  /** When it happened; defaults to now. */
  at?: string;
  /** Who it was with: the customer, the distributor, a buying influence. */
  with?: string;
  summary: string;
  outcome?: string;
}

const defaultChannel: Record<Activity['kind'], (typeof activityChannels)[number]> = {
  call: 'phone',
  visit: 'in-person',
  email: 'email',
  note: 'internal',
  training: 'in-person',
};

export const activityEntry = (activity: Activity, by: string, entryId: string, now: string): TimelineEntry => ({
  id: entryId,
  at: activity.at ?? now,
  actor: by,
  kind: 'activity',
  channel: activity.channel ?? defaultChannel[activity.kind],
  summary: `${activity.kind}${activity.with ? ` with ${activity.with}` : ''}: ${activity.summary}`,
  detail: {
    activity: activity.kind,
    ...(activity.outcome ? { outcome: activity.outcome } : {}),
    loggedAt: now,
  },
});
