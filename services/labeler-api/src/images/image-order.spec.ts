import { BadRequestException } from '@nestjs/common';
import { decodeCursor, encodeCursor } from './image-order';

const ID = '0b6f3f7e-8a3c-4a55-9d2e-1f0c6a7b8c9d';

describe('image list cursors', () => {
  it('read back what they handed out', () => {
    const key = ['2026-03-01 12:00:00.123456+00', ID];
    expect(decodeCursor('newest', encodeCursor('newest', key))).toEqual(key);
    expect(decodeCursor('run', encodeCursor('run', [2_147_483_647, key[0] as string, ID]))).toHaveLength(3);
  });

  it.each([
    ['a month 13', ['2026-13-01 00:00:00+00', ID]],
    ['30 February', ['2026-02-30 00:00:00+00', ID]],
    ['year 0', ['0000-01-01 00:00:00+00', ID]],
    ['an offset PostgreSQL refuses', ['2026-01-01 00:00:00+16', ID]],
    ['hour 25', ['2026-01-01 25:00:00Z', ID]],
  ])('refuse a forged timestamp (%s) with a 400, before the database sees it', (_case, key) => {
    expect(() => decodeCursor('newest', encodeCursor('newest', key))).toThrow(BadRequestException);
  });

  it('refuse a run number past the integer column', () => {
    const key = [2 ** 31, '2026-01-01 00:00:00+00', ID];
    expect(() => decodeCursor('run', encodeCursor('run', key))).toThrow(BadRequestException);
  });
});
