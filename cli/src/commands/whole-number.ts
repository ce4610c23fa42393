import { InvalidArgumentError } from 'commander';

/** A commander parser for options that count something: a whole number ≥ 1. */
export const positiveInteger = (value: string) => {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1) throw new InvalidArgumentError('a whole number ≥ 1');
  return number;
};
