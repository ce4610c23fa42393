import type { AlarmEvent } from './events/alarm.events';
import type { ImageClassifiedEvent, ImageExplainedEvent } from './events/image.events';
import type { ModelPromotedEvent, ModelTrainedEvent } from './events/model.events';
import type { TrainingProgressEvent } from './events/training.events';

/** Events the labeler-api pushes to the web app over Socket.IO. */
export interface ServerToClientEvents {
  'image:classified': (event: ImageClassifiedEvent) => void;
  'image:explained': (event: ImageExplainedEvent) => void;
  'alarm:changed': (event: AlarmEvent) => void;
  'training:progress': (event: TrainingProgressEvent) => void;
  'model:trained': (event: ModelTrainedEvent) => void;
  'model:promoted': (event: ModelPromotedEvent) => void;
}

/** Events the web app sends: which plot types a screen wants live updates for. */
export interface ClientToServerEvents {
  'plot-types:watch': (plotTypes: string[]) => void;
}
