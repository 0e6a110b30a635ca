/**
 * A password typed into a URL (`http://user:password@host`) is no secret the redactor knows, and
 * the registry refuses such URLs. Its messages about them (a bad entry, an ignored LLAMA_SWAP_URL)
 * quote what was written: they must never quote the password.
 */
import { strict as assert } from 'node:assert';
import { mergeRegistry, parseRegistrySource } from '../../src/core/registry/registry';
import { hostileFamily } from './family';

const PASSWORD = 'pw-4f9c2e7a81d3b605';
const urls = [
  `http://sam:${PASSWORD}@127.0.0.1:8401`,
  `https://${PASSWORD}@127.0.0.1`,
  `ftp://sam:${PASSWORD}@127.0.0.1/models`,
  `javascript://sam:${PASSWORD}@x`,
  `  http://sam:${PASSWORD}@127.0.0.1:8401/v1  `,
];

hostileFamily('secrets', 'passwords written into URLs are never quoted back', () => {
  it('an ignored LLAMA_SWAP_URL with user:password@ is named without its password', () => {
    for (const url of urls) {
      const merged = mergeRegistry({ legacyLlamaSwapUrl: url, deepseekKeyAvailable: false });
      assert.equal(merged.registry.providers.length, 0, url);
      assert.ok(merged.warnings.length > 0, url);
      for (const warning of merged.warnings) assert.ok(!warning.includes(PASSWORD) && !warning.includes(PASSWORD.slice(0, 8)), warning);
    }
  });

  it('a registry entry whose URL fields, id or kind hold user:password@ gets messages without the password', () => {
    const entries = urls.flatMap((url) => [
      { id: 'lab', kind: 'llama-swap', baseUrl: url },
      { id: 'lab', kind: 'llama-swap', baseUrl: 'http://127.0.0.1:1', sidecarUrl: url },
      { id: url, kind: 'llama-swap', baseUrl: 'http://127.0.0.1:1' },
      { id: 'lab', kind: url, baseUrl: 'http://127.0.0.1:1' },
      { id: 'lab', kind: 'llama-swap', baseUrl: 'http://127.0.0.1:1', [url]: true },
    ]);
    for (const entry of entries) {
      const parsed = parseRegistrySource([entry], 'settings', 'user-settings', false);
      const texts = parsed.ok ? parsed.problems.map((p) => p.message) : [parsed.message];
      assert.ok(texts.length > 0, JSON.stringify(entry));
      for (const text of texts) assert.ok(!text.includes(PASSWORD) && !text.includes(PASSWORD.slice(0, 8)), text);
    }
  });
});
