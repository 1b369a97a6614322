// First start: make sure someone can sign in. Creates the first platform administrator when no
// user exists, with ADMIN_PASSWORD or a generated password written to a 0600 file (never logged).
import { randomBytes } from 'node:crypto';
import { writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { MikroORM } from '@mikro-orm/postgresql';
import { hashPassword } from './auth/password.js';
import type { Config } from './config.js';
import type { Logger } from './logger.js';
import { Membership, Role } from './modules/membership/membership.entity.js';
import { Organization } from './modules/organization/organization.entity.js';
import { Project } from './modules/project/project.entity.js';
import { User } from './modules/user/user.entity.js';

export async function bootstrap(orm: MikroORM, config: Config, log: Logger, opts: { demo: boolean }): Promise<void> {
  const em = orm.em.fork();
  if ((await em.count(User, {})) > 0) return;
  let password = config.ADMIN_PASSWORD;
  let passwordFile: string | undefined;
  if (!password) {
    password = randomBytes(12).toString('base64url');
    await mkdir(config.DATA_DIR, { recursive: true, mode: 0o700 });
    passwordFile = path.join(config.DATA_DIR, 'initial-admin-password');
    await writeFile(passwordFile, password + '\n', { mode: 0o600 });
  }
  const admin = em.create(User, {
    email: config.ADMIN_EMAIL.toLowerCase(),
    displayName: 'Administrator',
    passwordHash: await hashPassword(password),
    isPlatformAdmin: true,
  });
  if (opts.demo) {
    // Embedded mode shows a working tenant straight away.
    const org = em.create(Organization, { name: 'Demo', slug: 'demo' });
    em.create(Project, { organization: org, name: 'default', description: 'Created at first start.' });
    em.create(Membership, { organization: org, user: admin, role: Role.OWNER, project: null });
  }
  await em.flush();
  log.info(
    { email: admin.email, passwordFile: passwordFile ?? '(ADMIN_PASSWORD)' },
    'created the first platform administrator; sign in with this email and the password from passwordFile',
  );
}
