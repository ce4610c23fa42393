import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { LABELER_API_CONFIG, type LabelerApiConfig } from '../labeler-api.config';
import { AuthRepository } from './auth.repository';
import { randomSecret } from './credentials';
import { hashPassword } from './passwords';

/** On a first start (no admin yet) makes one from HYDRA_ADMIN_USER / HYDRA_ADMIN_PASSWORD, or prints a generated password once. */
@Injectable()
export class FirstAdminService implements OnApplicationBootstrap {
  private readonly logger = new Logger('Auth');

  constructor(
    private readonly repository: AuthRepository,
    @Inject(LABELER_API_CONFIG) private readonly config: LabelerApiConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (await this.repository.adminExists()) return;
    const { adminName, adminPassword } = this.config.auth;
    const password = adminPassword ?? randomSecret().slice(0, 20);
    if (!(await this.repository.createAdmin(adminName, await hashPassword(password)))) {
      this.logger.warn(
        `no admin exists and the name ${adminName} is taken: set HYDRA_ADMIN_USER to a free name`,
      );
      return;
    }
    this.logger.log(`created the first admin, ${adminName}`);
    // The one place a password is shown: on the console, never in the structured log.
    if (!adminPassword)
      process.stdout.write(
        `\n  Hydra admin log-in: ${adminName} / ${password}\n  (shown once; change it after logging in)\n\n`,
      );
  }
}
