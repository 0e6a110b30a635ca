import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse } from 'jsonc-parser';
import * as z from 'zod/mini';
import type { OpencodeBridge } from '../../src/core/push/opencodeBridge';
import { mergeBridgeIntoConfig, projectOpencodeConfig, workspaceConfigFile, writeBridgeToWorkspace } from '../../src/node/opencodeConfigFile';

const bridge: OpencodeBridge = {
  enabled_providers: ['sam-desktop', 'embedding'],
  model: 'embedding/qwen3',
  provider: {
    'sam-desktop': {
      npm: '@ai-sdk/openai-compatible',
      name: 'sam-desktop',
      options: { baseURL: 'http://127.0.0.1:8400/v1', apiKey: 'none' },
      models: { 'Qwen/Qwen3-8B': { name: 'Qwen3 8B' } },
    },
    embedding: {
      npm: '@ai-sdk/openai-compatible',
      name: 'embedding',
      options: { baseURL: 'http://127.0.0.1:8411/v1', apiKey: 'none' },
      models: { qwen3: { name: 'qwen3' } },
    },
  },
};

const USER_CONFIG = `{
  // My opencode settings: keep these comments.
  "$schema": "https://opencode.ai/config.json",
  "theme": "tokyonight", /* inline note */
  "enabled_providers": ["mine"],
  "disabled_providers": ["embedding", "other"],
  "provider": {
    // my own host
    "mine": { "npm": "@ai-sdk/openai-compatible", "options": { "baseURL": "http://127.0.0.1:9/v1" }, "models": { "m1": { "name": "Mine" } } },
    "embedding": { "options": { "baseURL": "http://old.invalid/v1" } },
  },
}
`;

const objectSchema = z.record(z.string(), z.unknown());

function read(text: string): Record<string, unknown> {
  return objectSchema.parse(parse(text, [], { allowTrailingComma: true }));
}

describe('writing the bridge into a workspace opencode config', () => {
  it('keeps comments and the user\'s keys, replaces the registry\'s providers, and enables them', () => {
    const merged = mergeBridgeIntoConfig(USER_CONFIG, bridge);
    assert.ok(merged.ok);
    for (const kept of ['// My opencode settings: keep these comments.', '/* inline note */', '// my own host', '"theme": "tokyonight"']) {
      assert.ok(merged.text.includes(kept), `keeps ${kept}`);
    }
    const config = read(merged.text);
    const providers = objectSchema.parse(config['provider']);
    assert.deepEqual(Object.keys(providers), ['mine', 'embedding', 'sam-desktop']);
    assert.deepEqual(providers['embedding'], bridge.provider['embedding'], 'an entry with a registry id is the registry\'s');
    assert.deepEqual(providers['sam-desktop'], bridge.provider['sam-desktop']);
    assert.deepEqual(config['enabled_providers'], ['mine', 'sam-desktop', 'embedding']);
    assert.deepEqual(config['disabled_providers'], ['other']);
    assert.equal(config['model'], undefined, "the user's default model is left alone");
  });

  it('creates a plain file from nothing and leaves enabled_providers alone when the user has none', () => {
    const merged = mergeBridgeIntoConfig('', bridge);
    assert.ok(merged.ok);
    assert.deepEqual(read(merged.text), { provider: bridge.provider });
  });

  it('refuses a file it cannot read as JSON with comments, naming the line', () => {
    const merged = mergeBridgeIntoConfig('{\n  "theme": "x",\n  "provider": {\n}}}', bridge);
    assert.equal(merged.ok, false);
    assert.match(merged.ok ? '' : merged.reason, /line 4/);
    const notObject = mergeBridgeIntoConfig('{"provider": []}', bridge);
    assert.equal(notObject.ok, false);
  });

  it('picks the existing .jsonc, else .json, and writes only into the workspace folder', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'boocode-occ-'));
    try {
      assert.equal(workspaceConfigFile(dir), path.join(dir, 'opencode.json'));
      fs.writeFileSync(path.join(dir, 'opencode.jsonc'), USER_CONFIG);
      assert.equal(workspaceConfigFile(dir), path.join(dir, 'opencode.jsonc'));
      const written = writeBridgeToWorkspace(dir, bridge);
      assert.deepEqual(written, { ok: true, file: path.join(dir, 'opencode.jsonc'), created: false, replaced: ['provider.embedding.options.baseURL'] });
      assert.deepEqual(fs.readdirSync(dir), ['opencode.jsonc'], 'no other file, no temp file left');
      assert.ok(fs.readFileSync(path.join(dir, 'opencode.jsonc'), 'utf8').includes('// my own host'));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("finds the config a folder brings as opencode does: up to the repository's root, never the home's ~/.opencode", () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'boocode-occ-home-'));
    try {
      const repo = path.join(home, 'src', 'repo');
      const pkg = path.join(repo, 'packages', 'app');
      fs.mkdirSync(pkg, { recursive: true });
      fs.mkdirSync(path.join(home, '.opencode', 'bin'), { recursive: true }); // where opencode's installer puts itself
      fs.mkdirSync(path.join(repo, '.git'));
      assert.equal(projectOpencodeConfig(pkg, home), undefined, 'nothing in the repository');
      fs.writeFileSync(path.join(home, 'src', 'opencode.json'), '{}');
      assert.equal(projectOpencodeConfig(pkg, home), undefined, 'above the repository is not the workspace');
      fs.mkdirSync(path.join(repo, '.opencode'));
      assert.equal(projectOpencodeConfig(pkg, home), path.join(repo, '.opencode'));
      fs.writeFileSync(path.join(pkg, 'opencode.jsonc'), '{}');
      assert.equal(projectOpencodeConfig(pkg, home), path.join(pkg, 'opencode.jsonc'));
    } finally {
      fs.rmSync(home, { recursive: true, force: true });
    }
  });
});
