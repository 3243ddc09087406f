import { findPersonByEmail } from '#adapters/people-records';
import { Problem } from './api';

/** A record reassigned goes to a sales manager the people directory knows, or nowhere (400 naming `owner`). */
export const salesManagerOr400 = async (email: string): Promise<string> => {
  const person = await findPersonByEmail(email);
  if (!person?.roles.includes('SalesManager')) {
    throw new Problem(400, 'Invalid request body', [{ path: 'owner', message: 'must be a sales manager in the people directory' }]);
  }
  return person.email;
};
