import { assertValidKey, assertValidPrefix, InvalidObjectKeyError } from './object-key';

describe('object keys', () => {
  it.each(['images/FCAL_occupancy/123456/ab12.png', 'models/CDC_timing/5d6c/model.json', 'thumbs/ab12.webp'])(
    'accepts %s',
    (key) => {
      expect(() => assertValidKey(key)).not.toThrow();
    },
  );

  it.each([
    ['', /empty/],
    ['../etc/passwd', /"\.\." segment/],
    ['images/../../secret', /"\.\." segment/],
    ['/absolute/key', /empty segment/],
    ['images//double', /empty segment/],
    ['images/.hidden', /starts with "\."/],
    ['images/spa ce.png', /segment "spa ce.png"/],
    ['images/back\\slash', /characters outside/],
    ['x'.repeat(1025), /longer than 1024/],
  ])('rejects %j', (key, reason) => {
    expect(() => assertValidKey(key)).toThrow(InvalidObjectKeyError);
    expect(() => assertValidKey(key)).toThrow(reason);
  });

  it('lets a listing prefix end with a slash or be empty', () => {
    expect(() => assertValidPrefix('images/FCAL/')).not.toThrow();
    expect(() => assertValidPrefix('')).not.toThrow();
    expect(() => assertValidPrefix('../')).toThrow(InvalidObjectKeyError);
  });
});
