import { strict as assert } from 'node:assert';
import { envValue } from '../../src/core/registry/env';
import { PROPERTY_NAMES } from '../hostile/names';

describe('environment variables', () => {
  it('an apiKeyEnv named like a property reads as not set, not as a function (process.env inherits Object.prototype)', () => {
    for (const name of PROPERTY_NAMES) assert.equal(envValue(process.env, name), undefined, name);
    assert.equal(envValue({ ['__proto__']: ' k1 ', constructor: 'k2' }, '__proto__'), 'k1');
    assert.equal(envValue({ constructor: 'k2' }, 'constructor'), 'k2', 'a variable really called that is read');
    assert.equal(envValue({ EMPTY: '  ' }, 'EMPTY'), undefined);
  });
});
