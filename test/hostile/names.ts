import { PROVIDER_ID_PATTERN } from '../../src/core/registry/registry';

/**
 * Names that are also JavaScript property names. A host, a user or a server may call a model, a
 * provider or a favorite any of these; a plain object used as a map would answer with what
 * Object.prototype holds (a function, or the prototype itself) instead of "not there".
 */
export const PROPERTY_NAMES: readonly string[] = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', 'prototype'];

/** Those a provider id may be (lower case, no leading "_"). */
export const PROPERTY_PROVIDER_IDS: readonly string[] = PROPERTY_NAMES.filter((name) => PROVIDER_ID_PATTERN.test(name));
