import { ordersOf } from '#adapters/order-records';
import { quotesOf } from '#adapters/quote-records';
import { fromItem, type Item } from '#adapters/table-items';
import { opportunityListQuery } from '#contract/lists';
import type { Opportunity } from '#domain/opportunity';
import { opportunityStage, type PipelineItem, type PipelineStage } from '#domain/pipeline';
import { apiRoute, json } from '#http/api';
import { attributeFilter, listPage } from '#http/lists';
import { readRule } from '#http/read-rule';

/**
 * Opportunities by stage, owner, estimated value and date, newest first. The stage is where the
 * opportunity's quotes and orders put it (as on the pipeline), read for each opportunity the page
 * comes across: a stage filter reads at most 200 before a short page with a cursor comes back.
 */
export const listOpportunities = apiRoute(
  { route: 'GET /opportunities', query: opportunityListQuery },
  async ({ query, caller, actOn, actsOnAny }) => {
    if (query.owner) await actOn(query.owner, `The opportunities of ${query.owner}`);
    const mayRead = readRule(caller!);
    const stages = new Map<string, { stage: PipelineStage; item: PipelineItem }>();
    const stageOf = async (opportunity: Opportunity) => {
      const [quotes, orders] = await Promise.all([quotesOf(opportunity.id), ordersOf(opportunity.id)]);
      const found = opportunityStage(opportunity, quotes, orders);
      stages.set(opportunity.id, found);
      return found.stage;
    };
    const keep = async (item: Item) => {
      const opportunity = fromItem<Opportunity>(item);
      if (!actsOnAny && !query.owner && !(await mayRead('GET /opportunities/{id}', opportunity.owner))) return false;
      return !query.stage || (await stageOf(opportunity)) === query.stage;
    };
    const page = await listPage('opportunity', query, {
      filter: attributeFilter([
        { path: 'owner', op: '=', value: query.owner },
        { path: 'qualification.estimatedValueGbp', op: '>=', value: query.minValue },
        { path: 'qualification.estimatedValueGbp', op: '<=', value: query.maxValue },
      ]),
      keep,
      ...(query.stage ? { readBudget: 200 } : {}),
    });
    const opportunities = await Promise.all(
      page.items.map(async (item) => {
        const opportunity = fromItem<Opportunity>(item);
        if (!stages.has(opportunity.id)) await stageOf(opportunity);
        const { stage, item: where } = stages.get(opportunity.id)!;
        return {
          id: opportunity.id,
          company: opportunity.company,
          owner: opportunity.owner,
          leadId: opportunity.leadId,
          stage,
          status: where.status,
          valueGbp: where.valueGbp,
          estimatedValueGbp: opportunity.qualification.estimatedValueGbp,
          engineeringReview: opportunity.engineeringReview.status,
          createdAt: opportunity.createdAt,
        };
      }),
    );
    return json(200, { opportunities, nextCursor: page.nextCursor });
  },
);
