import { SetMetadata } from '@nestjs/common';

export const PUBLIC_ROUTE = 'hydra:public';

/** Open to anyone where a service closes its routes by default (probes, metrics, log-in, the API description). */
export const Public = () => SetMetadata(PUBLIC_ROUTE, true);
