import { money } from '#domain/money';
import { escapeHtml, htmlPage, type Links, type OutgoingEmail, pageUrl } from './correspondence';
import { type Order, welcomeLetterFilename } from './order';

/**
 * The emails of an order (R21-R26), composed as data and queued with the change that causes them
 * (the outbox), so a failing mail service delays them and loses none.
 */

const email = (
  id: string,
  purpose: OutgoingEmail['purpose'],
  to: string[],
  subject: string,
  paragraphs: string[],
  link?: { url: string; label: string },
): OutgoingEmail => ({
  id,
  purpose,
  to,
  subject,
  text: `${paragraphs.join('\n\n')}\n${link ? `\n${link.label}: ${link.url}\n` : ''}`,
  html: htmlPage([...paragraphs.map(escapeHtml), ...(link ? [`<a href="${escapeHtml(link.url)}">${escapeHtml(link.label)}</a>`] : [])]),
});

const orderUrl = (order: Pick<Order, 'id'>, links: Links) => pageUrl(links, 'order', order.id);

/** R22: the customer hears that the order arrived. */
export const orderAcknowledgementEmail = (order: Order, id: string): OutgoingEmail =>
  email(
    id,
    'order-acknowledgement',
    [...new Set([order.userContact.email, ...(order.customer.contact ? [order.customer.contact.email] : [])])],
    `Order ${order.poNumber} received`,
    [
      `Dear ${order.userContact.name},`,
      `Thank you for your order ${order.poNumber} (${order.lines.length} item${order.lines.length === 1 ? '' : 's'}, ${money(order.totalGbp)} excluding VAT). We are reviewing it now and will confirm delivery dates shortly.`,
      `Your support registration is ${order.support.registrationId}; quote it whenever you contact us.`,
      `Your sales manager is ${order.owner}.`,
    ],
  );

const checklist = (order: Order) => order.packing.checklist.map((item) => `- ${item}`).join('\n');

/** R23: Production gets the Welcome Letter's soft copy to print, and the list to pack. */
export const welcomeLetterEmail = (order: Order, id: string, production: string, links: Links): OutgoingEmail => ({
  ...email(
    id,
    'welcome-letter',
    [production],
    `Welcome Letter to print: ${order.customer.name}, PO ${order.poNumber}`,
    [
      `Please print the attached Welcome Letter and pack it with the product, with the system-specific information:`,
      checklist(order),
      `Mark it printed and packed on the order when done.`,
    ],
    { url: orderUrl(order, links), label: 'Open the order' },
  ),
  attachments: [{ filename: welcomeLetterFilename(order), contentType: 'application/pdf', document: 'welcome-letter' }],
});

/** R24: for SF orders Production packs the system-specific information only. */
export const packingListEmail = (order: Order, id: string, production: string, links: Links): OutgoingEmail =>
  email(
    id,
    'packing-list',
    [production],
    `To pack (SF order): ${order.customer.name}, PO ${order.poNumber}`,
    [`Please pack the system-specific information with the product:`, checklist(order)],
    { url: orderUrl(order, links), label: 'Open the order' },
  );

/** R24: SF Customer Support gets the customer's login: a username and a one-time set-password link. */
export const sfLoginEmail = (order: Order, id: string, sfSupport: string, setPasswordUrl: string, validDays: number): OutgoingEmail =>
  email(
    id,
    'sf-login',
    [sfSupport],
    `New SF website login: ${order.customer.name}`,
    [
      `${order.customer.name} ordered through SF (PO ${order.poNumber}). Their website login is ready:`,
      `Username: ${order.webLogin?.username ?? order.userContact.email}`,
      `Please pass the link below to ${order.userContact.name}. It lets them choose their own password, works once and expires in ${validDays} days. No password is ever sent by email.`,
    ],
    { url: setPasswordUrl, label: 'Set the password' },
  );

/** R25: two weeks after shipment, the distributor is asked. */
export const deliveryCheckEmail = (order: Order, id: string, to: string, answerUrl: string): OutgoingEmail =>
  email(
    id,
    'delivery-check',
    [to],
    `Everything received in good order? ${order.customer.name}, PO ${order.poNumber}`,
    [
      `Dear ${order.distributor?.contact?.name ?? order.distributor?.name ?? 'partner'},`,
      `Two weeks ago we shipped PO ${order.poNumber} for ${order.customer.name}${order.shipment?.carrier ? ` by ${order.shipment.carrier}` : ''}. Was everything received in good order?`,
      `One click records your answer.`,
    ],
    { url: answerUrl, label: 'Answer' },
  );

/** R25: the SM is reminded to contact the customer. */
export const smReminderEmail = (order: Order, id: string, links: Links): OutgoingEmail =>
  email(
    id,
    'sm-reminder',
    [order.owner],
    `Two weeks since shipment: contact ${order.customer.name}`,
    [
      `PO ${order.poNumber} shipped on ${order.shipment?.shippedAt.slice(0, 10)}. Please contact ${order.userContact.name} (${order.userContact.email}${order.userContact.phone ? `, ${order.userContact.phone}` : ''}) to check that all is well, and log the call on the order.`,
    ],
    { url: orderUrl(order, links), label: 'Open the order' },
  );

/** R26: the SM calls or visits: "Is your equipment operating OK?" */
export const equipmentCheckEmail = (order: Order, id: string, answerUrl: string, chase: number): OutgoingEmail =>
  email(
    id,
    'equipment-check',
    [order.owner],
    `${chase ? 'Reminder: ' : ''}Is the equipment operating OK? ${order.customer.name}`,
    [
      `It is two months since PO ${order.poNumber} shipped. Please ${order.distributor ? `call ${order.distributor.name} or ` : ''}call or visit ${order.customer.name} (${order.userContact.name}, ${order.userContact.email}) and ask: "Is your equipment operating OK?"`,
      `Then record the answer by ${order.followUps?.equipmentCheck.dueBy.slice(0, 10)}.`,
    ],
    { url: answerUrl, label: 'Record the answer' },
  );

/** R26 "yes": pleased to be of service! */
export const pleasedToServeEmail = (order: Order, id: string): OutgoingEmail =>
  email(id, 'pleased-to-serve', [order.userContact.email], 'Pleased to be of service!', [
    `Dear ${order.userContact.name},`,
    `Thank you for telling ${order.owner} that your equipment is operating well. We are pleased to be of service!`,
    `Support is always there for you under registration ${order.support.registrationId}.`,
  ]);

/** R26 "no": corrective action starts; Engineering and support hear of it. */
export const correctiveActionEmail = (order: Order, id: string, to: string[], links: Links): OutgoingEmail =>
  email(
    id,
    'corrective-action',
    to,
    `Corrective action: ${order.customer.name}, PO ${order.poNumber}`,
    [
      `${order.owner} reports that the equipment of ${order.customer.name} is not operating OK: ${order.correctiveAction?.problem ?? ''}`,
      `Support registration ${order.support.registrationId}. The case stays on the SM's agenda until it is closed on the order.`,
    ],
    { url: orderUrl(order, links), label: 'Open the order' },
  );

/** R26: no answer by three months: the SM's manager hears of it. */
export const followUpEscalationEmail = (order: Order, id: string, manager: string, links: Links): OutgoingEmail =>
  email(
    id,
    'follow-up-escalation',
    [...new Set([manager, order.owner])],
    `Overdue: equipment check for ${order.customer.name}`,
    [
      `Three months after PO ${order.poNumber} shipped, ${order.owner} has not recorded whether the equipment of ${order.customer.name} is operating OK.`,
    ],
    { url: orderUrl(order, links), label: 'Open the order' },
  );

/** R25: the distributor reports a problem with the delivery; the SM hears of it at once. */
export const deliveryProblemEmail = (order: Order, id: string, notes: string | undefined, links: Links): OutgoingEmail =>
  email(
    id,
    'delivery-problem',
    [order.owner],
    `Delivery problem reported: ${order.customer.name}, PO ${order.poNumber}`,
    [
      `${order.distributor?.name ?? 'The distributor'} reports that PO ${order.poNumber} was not all received in good order: ${notes ?? 'no details given'}.`,
      `Please contact them and ${order.userContact.name} (${order.userContact.email}).`,
    ],
    { url: orderUrl(order, links), label: 'Open the order' },
  );
