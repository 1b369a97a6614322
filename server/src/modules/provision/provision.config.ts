// The worker's Terraform and Ansible settings from the environment (README "Configuration").
import path from 'node:path';
import type { Config } from '../../config.js';
import type { ConfigureSettings } from './configure.js';
import { stateConnString, type TerraformSettings } from './terraform-provisioner.js';

export function provisioningOptions(
  config: Config,
  where: { databaseUrl: string; embedded: boolean },
): { terraform: Partial<TerraformSettings>; configure: Partial<ConfigureSettings> } {
  return {
    terraform: {
      ...(config.TERRAFORM_BINARY ? { binary: config.TERRAFORM_BINARY } : {}),
      // The pg backend keeps its states in the platform's own database (PGlite's socket in embedded mode).
      stateConnStr: stateConnString(where.databaseUrl),
      stateSchema: config.TERRAFORM_STATE_SCHEMA,
      workRoot: path.resolve(config.TERRAFORM_WORK_DIR ?? path.join(config.DATA_DIR, 'terraform')),
    },
    // Embedded mode's guests are the simulator's, with made-up addresses: never probe them by default.
    // Nor under NODE_ENV=test, whose workers (the test harness's, a test's worker processes) provision
    // on the simulator too: a sandbox or proxy that accepts any TCP connection makes such an address
    // look reachable, and Ansible then waits on an SSH handshake that never comes.
    configure: { enabled: config.CONFIGURE_GUESTS ?? !(where.embedded || config.NODE_ENV === 'test') },
  };
}
