import { escapeHtml, htmlPage, type OutgoingEmail } from './correspondence';

/**
 * R1/R2: marketing campaigns, the leads they bring, and the material sent to distributors. A
 * lead names its campaign (`campaignId`); the campaign counts its leads and qualified leads.
 */
export const campaignKinds = ['advertising', 'press-release', 'trade-show', 'direct-communication', 'user-conference'] as const;
export const materialKinds = ['mailshot', 'cold-call'] as const;

export interface Campaign {
  id: string;
  kind: (typeof campaignKinds)[number];
  name: string;
  startsOn: string;
  endsOn?: string;
  costGbp?: number;
  createdBy: string;
  createdAt: string;
}

export interface CampaignStats {
  leadCount: number;
  qualifiedCount: number;
}

const perLead = (cost: number | undefined, count: number) =>
  cost === undefined || count === 0 ? null : Math.round((cost / count) * 100) / 100;

/** What a campaign brought: leads, qualified leads, and what each cost. */
export const campaignReport = (campaign: Campaign, stats: CampaignStats) => ({
  ...campaign,
  leadCount: stats.leadCount,
  qualifiedCount: stats.qualifiedCount,
  costPerLeadGbp: perLead(campaign.costGbp, stats.leadCount),
  costPerQualifiedLeadGbp: perLead(campaign.costGbp, stats.qualifiedCount),
});

export interface Material {
  kind: (typeof materialKinds)[number];
  subject: string;
  body: string;
}

/** R2: the material as a distributor's contact receives it, with the way out of bulk mail. */
export const materialEmail = (
  campaign: Pick<Campaign, 'name'>,
  material: Material,
  recipient: { name: string; email: string; company: string },
  unsubscribeUrl: string,
  id: string,
): OutgoingEmail => ({
  id,
  purpose: 'campaign-material',
  to: [recipient.email],
  subject: material.subject,
  unsubscribeUrl,
  text:
    `Dear ${recipient.name},\n\n${material.body}\n\n` +
    `${material.kind === 'cold-call' ? 'Cold-call material' : 'Mailshot'} for ${recipient.company}, from our ${campaign.name} campaign.\n\n` +
    `To receive no more marketing email: ${unsubscribeUrl}\n`,
  html: htmlPage([
    `Dear ${escapeHtml(recipient.name)},`,
    ...material.body.split(/\n{2,}/).map(escapeHtml),
    `<small>${material.kind === 'cold-call' ? 'Cold-call material' : 'Mailshot'} for ${escapeHtml(recipient.company)}, from our ${escapeHtml(campaign.name)} campaign. <a href="${escapeHtml(unsubscribeUrl)}">Unsubscribe from marketing email</a></small>`,
  ]),
});
