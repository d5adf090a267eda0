import pkg from '../package.json';
import { PRODUCER } from '../lambdas/producer';

it('records the package name and version in every envelope', () => {
  expect(PRODUCER).toEqual({ name: pkg.name, version: pkg.version });
});
