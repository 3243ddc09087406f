import { parseArgs } from 'node:util';
import { type Role, roles } from '#domain/roles';
import { issueLocalToken } from './auth';
import { localDataDir, localKeyFile } from './stack';

/** `npm run --silent token -- --role SalesManager --email sm@example.com`: a token for the local stack. */
const { values } = parseArgs({
  options: { role: { type: 'string', multiple: true }, email: { type: 'string' }, ttl: { type: 'string' } },
});
const chosen = values.role ?? [];
const unknown = chosen.filter((role) => !(roles as readonly string[]).includes(role));
if (!values.email || chosen.length === 0 || unknown.length) {
  process.stderr.write(
    `usage: npm run --silent token -- --role ROLE [--role ROLE] --email EMAIL\nroles: ${roles.join(', ')}\n` +
      (unknown.length ? `unknown role: ${unknown.join(', ')}\n` : ''),
  );
  process.exit(2);
}
process.stdout.write(
  `${await issueLocalToken(
    localKeyFile(localDataDir()),
    {
      email: values.email,
      roles: chosen as Role[],
    },
    values.ttl ? Number(values.ttl) : undefined,
  )}\n`,
);
