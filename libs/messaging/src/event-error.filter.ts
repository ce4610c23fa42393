import { Catch, type RpcExceptionFilter } from '@nestjs/common';
import { throwError } from 'rxjs';

/**
 * Nest's default RPC filter replaces every error with "Internal server error"; this one hands the
 * original error back to the transport so the retry log and the dead-letter reason name it.
 */
@Catch()
export class EventErrorFilter implements RpcExceptionFilter {
  catch(exception: unknown) {
    return throwError(() => exception);
  }
}
