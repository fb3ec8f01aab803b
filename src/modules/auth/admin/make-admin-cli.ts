import { runAgainstDatabase } from '../../../db/run-against-database.ts';
import { makeAdmin } from './admin-service.ts';

/**
 * `npm run auth:make-admin -- <email>`: gives an existing account the admin role, against the
 * database the environment names. This is how the first admin is made: no setting, no route, so
 * nobody can become admin by registering a particular email. Later admins can be made by an
 * admin through `PATCH /api/auth/users/:id`. With the embedded PGlite, only one process may open
 * its data folder: while the server holds it, this refuses (exit 1) instead of changing a copy
 * that would be lost.
 */
const email = process.argv[2];
if (!email || process.argv.length > 3) {
  console.error('usage: npm run auth:make-admin -- <email>');
  process.exit(2);
}

await runAgainstDatabase(async (db) => {
  const outcome = await makeAdmin(db, email);
  if (outcome === 'not-found') {
    console.error(`No account has the email ${email}; register it first.`);
    process.exitCode = 1;
  } else {
    console.log(outcome === 'promoted' ? `${email} is now an admin.` : `${email} is already an admin.`);
  }
});
