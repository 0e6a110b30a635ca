// Folder rules (one zone per top folder, as the README's Layout table says): a wrong import fails `npm run lint`, not a code review.
import tseslint from 'typescript-eslint';

const nodeBuiltins = ['fs', 'path', 'os', 'http', 'https', 'net', 'child_process', 'crypto', 'stream', 'url', 'worker_threads'];
const nodeIo = [...nodeBuiltins, ...nodeBuiltins.map((m) => `node:${m}`), 'node:*'];

const restrict = (paths, patterns, message) => ({
  'no-restricted-imports': [
    'error',
    {
      paths: paths.map((name) => ({ name, message })),
      patterns: patterns.map((group) => ({ group: [group], message })),
    },
  ],
});

export default tseslint.config(
  { ignores: ['node_modules/**', 'out/**', 'dist/**', '.tools/**', '.artifacts/**', '.bench/**', '.scratch/**', '**/*.js', '**/*.mjs'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': ['error', { selector: 'ExportDefaultDeclaration', message: 'Use named exports.' }],
    },
  },
  {
    files: ['src/core/**/*.ts'],
    rules: restrict(
      ['vscode', 'undici', 'preact', ...nodeIo],
      ['**/vscode/**', '**/http/**', '**/node/**', '**/webview/**', 'node:*'],
      'src/core is pure: no vscode, no undici, no node I/O. Take collaborators through the constructor.',
    ),
  },
  {
    files: ['src/shared/**/*.ts'],
    rules: restrict(['vscode', 'preact', 'undici', ...nodeIo], ['**/vscode/**', '**/http/**', '**/node/**', 'node:*'], 'The protocol is shared with the webview: zod only.'),
  },
  {
    files: ['webview/**/*.ts', 'webview/**/*.tsx'],
    rules: restrict(['vscode', 'undici', ...nodeIo], ['**/src/vscode/**', '**/src/http/**', '**/src/node/**', 'node:*'], 'The webview runs in a browser: no vscode, no node.'),
  },
  {
    files: ['doubles/**/*.ts'],
    rules: restrict(['vscode'], ['**/src/**', '**/test/**'], 'The doubles stand alone (npm start runs them as the demo fleet): node only.'),
  },
  {
    files: ['src/**/*.ts'],
    ignores: ['src/core/**', 'src/shared/**', 'src/http/**', 'src/node/**'],
    rules: restrict([], ['**/doubles/**', '**/test/**'], 'The extension never depends on its doubles or tests.'),
  },
  {
    files: ['src/http/**/*.ts', 'src/node/**/*.ts'],
    rules: restrict(['vscode'], ['**/vscode/**'], 'Adapters below src/vscode stay usable outside VS Code.'),
  },
);
