import { InitialSchema1795727949422 } from './1795727949422-InitialSchema';
import { RunCondition1795736225553 } from './1795736225553-RunCondition';
import { Accounts1796151894024 } from './1796151894024-Accounts';
import { ImageListingAndUndo1796152190445 } from './1796152190445-ImageListingAndUndo';
import { ImageDeliveryKey1796154839508 } from './1796154839508-ImageDeliveryKey';
import { ImageOutbox1796162107239 } from './1796162107239-ImageOutbox';
import { PlotTypeIgnoreRegions1796163943136 } from './1796163943136-PlotTypeIgnoreRegions';
import { AlarmCursor1796215278763 } from './1796215278763-AlarmCursor';

/** In the order they apply; `npm run migration:generate -w @hydra/db` writes new ones beside this file. */
export const migrations = [InitialSchema1795727949422, RunCondition1795736225553, Accounts1796151894024, ImageListingAndUndo1796152190445, ImageDeliveryKey1796154839508, ImageOutbox1796162107239, PlotTypeIgnoreRegions1796163943136, AlarmCursor1796215278763];
