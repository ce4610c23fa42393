import { BadRequestException } from '@nestjs/common';
import { NulCharacterPipe } from './nul-character.pipe';

const pipe = new NulCharacterPipe();

describe('NulCharacterPipe', () => {
  it('passes values without a NUL through unchanged', () => {
    const body = { name: 'a', items: [{ label: 'Good' }], n: 1, none: null };
    expect(pipe.transform(body, { type: 'body' })).toBe(body);
  });

  it('answers a NUL in a value or a key, at any depth, with a 400 naming the field', () => {
    expect(() => pipe.transform({ items: [{ label: 'Go\u0000od' }] }, { type: 'body' })).toThrow(
      new BadRequestException('body.items.0.label: text may not contain the NUL character (U+0000)'),
    );
    expect(() => pipe.transform({ ['a\u0000']: 1 }, { type: 'query' })).toThrow('query.a\u0000: text');
    expect(() => pipe.transform('x\u0000', { type: 'param', data: 'plotType' })).toThrow(
      /^param\.plotType: /,
    );
  });

  it('walks a deeply nested body without running out of stack', () => {
    let nested: unknown = 'end\u0000';
    for (let depth = 0; depth < 200_000; depth += 1) nested = [nested];
    expect(() => pipe.transform(nested, { type: 'body' })).toThrow(BadRequestException);
  });
});
