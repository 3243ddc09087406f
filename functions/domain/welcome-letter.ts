import type { Order } from './order';
import { type PrintedDocument, printedDocument } from './printed-document';

/**
 * R23: the Welcome Letter Production prints and packs with a standard order: thanks, contact
 * details, website access information, the SM's electronic signature, and on its second part the
 * system-specific information to pack.
 */

export const welcomeLetter = (order: Order, contacts: { support: string; website: string }, renderedAt: string): PrintedDocument =>
  printedDocument(
    { title: `Welcome, ${order.customer.name}`, author: order.owner, subject: `Order ${order.poNumber}`, at: renderedAt },
    ({ write, gap }) => {
      write(`Welcome, ${order.customer.name}`, { bold: true, size: 18 });
      gap();
      write(`Dear ${order.userContact.name},`);
      gap(4);
      write(
        `Thank you for your order ${order.poNumber}. We are glad to have you with us, and we will be here for as long as you use your equipment.`,
      );
      gap();
      write('Your contacts', { bold: true, size: 12 });
      write(`Your sales manager: ${order.owner}`);
      write(`Support: ${contacts.support} (your support registration is ${order.support.registrationId})`);
      gap();
      write('Website access', { bold: true, size: 12 });
      write(`${contacts.website}: sign in with ${order.userContact.email} to find manuals, software updates and training.`);
      gap(12);
      write(`Signed electronically by ${order.owner}, ${renderedAt.slice(0, 10)}`, { bold: true });
      gap(20);
      write('System-specific information packed with this order', { bold: true, size: 12 });
      for (const item of order.packing.checklist) write(`[ ] ${item}`, { indent: 6 });
    },
  );
