/**
 * `npm start` and `npm test` run scripts/vscode/setup.sh under an outer npm on the machine's Node.
 * That npm hands its configuration down as npm_* variables, and an inner npm (installing
 * code-server under Node 24) would read them as its own: code-server's postinstall then reads
 * "node/v20" from npm_config_user_agent and refuses to install. These tests run the script the
 * way a newcomer does, through `npm run`, and look at the environment the inner install gets.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

const root = path.resolve(__dirname, '..', '..', '..');

function envThroughNpm(extra: Record<string, string>): Map<string, string> {
  const run = spawnSync('npm', ['run', '--silent', 'setup:vscode', '--', '--print-env'], {
    cwd: root,
    env: { ...process.env, ...extra },
    encoding: 'utf8',
  });
  assert.equal(run.status, 0, run.stderr);
  const env = new Map<string, string>();
  for (const line of run.stdout.split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0) env.set(line.slice(0, eq), line.slice(eq + 1));
  }
  return env;
}

describe('tool install environment under npm (npm start, npm test)', function () {
  this.timeout(30000);
  let env: Map<string, string>;
  before(() => {
    // What a user's own npm configuration may add on top of what npm always sets.
    env = envThroughNpm({
      npm_config_ignore_scripts: 'true',
      npm_config_nodedir: '/usr',
      NPM_CONFIG_PREFIX: '/somewhere/else',
      npm_config_registry: 'http://127.0.0.1:4873/',
    });
  });

  it('drops the outer npm\'s user agent, node-gyp, prefixes, nodedir and script settings', () => {
    const leaked = [...env.keys()].filter((name) => {
      const lower = name.toLowerCase();
      if (!lower.startsWith('npm_')) return false;
      const keep = ['registry', 'cafile', 'ca', 'cert', 'key', 'proxy', 'https_proxy', 'http_proxy', 'noproxy', 'no_proxy', 'strict_ssl', 'cache', 'userconfig', 'globalconfig'];
      return !keep.some((key) => lower === `npm_config_${key}`);
    });
    assert.deepEqual(leaked, []);
    for (const name of ['INIT_CWD', 'NODE']) assert.equal(env.get(name), undefined, name);
  });

  it('keeps how to reach the registry, and the npmrc files the machine\'s npm reads', () => {
    assert.equal(env.get('npm_config_registry'), 'http://127.0.0.1:4873/');
    assert.match(env.get('npm_config_globalconfig') ?? '', /npmrc$/);
  });

  it('takes the outer npm\'s node_modules/.bin and node-gyp-bin off PATH', () => {
    const parts = (env.get('PATH') ?? '').split(':');
    assert.deepEqual(parts.filter((p) => p.endsWith('node_modules/.bin') || p.endsWith('node-gyp-bin')), []);
    assert.ok(parts.length > 0);
  });
});
