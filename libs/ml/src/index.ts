export * from './backend/tensorflow-backend';
export * from './models/hydra-cnn';
export * from './preprocessing/image-input';
export * from './training/balanced-sampling';
export * from './training/train-model';
