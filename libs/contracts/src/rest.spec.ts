import { trainingRequestDto } from './rest';

describe('trainingRequestDto', () => {
  const issues = (options: unknown) =>
    trainingRequestDto.safeParse({ options }).error?.issues.map(({ path, message }) => ({ path, message }));

  it('takes a start from the base or from scratch for a new hydra-cnn', () => {
    expect(issues({ startFrom: 'base' })).toBeUndefined();
    expect(issues({ startFrom: 'scratch', architecture: 'inception-v3' })).toBeUndefined();
    expect(trainingRequestDto.parse({}).options).toEqual({});
  });

  it('refuses the base for a fine-tune, another architecture or a Good reference, saying why', () => {
    expect(issues({ startFrom: 'base', parentModelId: '00000000-0000-4000-8000-000000000001' })).toEqual([
      {
        path: ['options', 'startFrom'],
        message: 'a fine-tune starts from its parent model, not from the base',
      },
    ]);
    expect(issues({ startFrom: 'base', architecture: 'mobilenet-v2' })).toEqual([
      {
        path: ['options', 'startFrom'],
        message: 'only hydra-cnn has a base; mobilenet-v2 starts from scratch',
      },
    ]);
    expect(issues({ startFrom: 'base', goodReference: true })).toEqual([
      {
        path: ['options', 'startFrom'],
        message: 'a model with a Good reference starts from random weights: the base never saw that input',
      },
    ]);
    expect(issues({ startFrom: 'scratch', goodReference: true })).toBeUndefined();
    expect(issues({ goodReference: 'yes' })?.[0]?.path).toEqual(['options', 'goodReference']);
    expect(issues({ startFrom: 'pretrained' })?.[0]?.path).toEqual(['options', 'startFrom']);
  });
});
