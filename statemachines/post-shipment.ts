import type { StepInput } from '#functions/orders/workflow-steps';
import { choice, type Definition, days, fail, onAnyFailure, stepsFunction, succeed, waitUntil, when } from '#statemachines/builder';

/**
 * R25/R26, the chart of the post-shipment follow-ups: written here, generated into
 * post-shipment.asl.json (`npm run workflows`). One Lambda runs every step
 * (functions/orders/workflow-steps.ts).
 */

const { lambdaStep, askStep } = stepsFunction<StepInput['step']>('OrderSteps', 'orderId');

const recordTheFailure = [onAnyFailure('Record the failure')];
const orderStep = (step: StepInput['step'], next: string, options: Parameters<typeof lambdaStep>[2] = {}, fields = {}) =>
  lambdaStep(step, { next }, { catches: recordTheFailure, ...options }, fields);

/** R26: the SM answers between day 60 and day 90 after shipment (followUpSchedule, functions/domain/order.ts). */
const equipmentCheckWindow = days(90 - 60);

const ask = 'SM asks: is your equipment operating OK?';

export const postShipment: Definition = {
  Comment:
    "R25/R26: after shipment, the two-week delivery check and SM reminder, then the 'is your equipment operating OK?' call between two and three months; none for customers served by W. Sales. Waits run to timestamps computed from the ship date.",
  StartAt: 'Served by W. Sales?',
  States: {
    'Served by W. Sales?': choice(
      "The chart's exception: W. Sales looks after its own customers",
      [when('$.servedByWSales', true, 'Record: skipped, served by W. Sales')],
      'Until two weeks after shipment',
    ),
    'Record: skipped, served by W. Sales': orderStep('skip', 'Skipped'),
    Skipped: succeed(),
    'Until two weeks after shipment': waitUntil('$.schedule.deliveryCheckAt', 'Two-week check', 'R25: ship date + 14 days'),
    'Two-week check': orderStep('two-week-check', 'Until two months after shipment', {
      comment: "R25: the distributor is asked 'everything received in good order?'; the SM is reminded to contact the customer",
    }),
    'Until two months after shipment': waitUntil('$.schedule.equipmentCheckFrom', ask, 'R26: ship date + 60 days'),
    [ask]: askStep(
      'ask-equipment-check',
      { next: 'Answered' },
      {
        timeoutSeconds: equipmentCheckWindow,
        onTimeout: "Escalate to the SM's manager",
        answer: '$.answer',
        comment: "R26: a person's step; the SM answers by link or on the agenda by the three-month mark",
        catches: recordTheFailure,
      },
    ),
    Answered: succeed("'Yes' and 'no' were recorded with the answer: the pleased-to-serve email, or the corrective action"),
    "Escalate to the SM's manager": orderStep('escalate-equipment-check', 'Ask again?', {
      comment: "R26: no answer by three months; the SM's manager hears of it and the SM gets a new link",
      resultSelector: { 'again.$': '$.Payload.again' },
      resultPath: '$.escalation',
    }),
    'Ask again?': choice(undefined, [when('$.escalation.again', true, ask)], 'Unanswered'),
    Unanswered: succeed("The check stays overdue on the SM's agenda"),
    'Record the failure': orderStep('fail', 'Failed', { catches: [] }, { 'failure.$': '$.failure' }),
    Failed: fail('Order.FollowUpFailed', 'A post-shipment step failed after its retries; the order says which'),
  },
};
