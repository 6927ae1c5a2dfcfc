// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

/** The layer rule of ARCHITECTURE.md: who may import whom. */
const layer = (files, patterns) => ({
  files,
  rules: { 'no-restricted-imports': ['error', { patterns }] },
});
const noElectron = { group: ['electron'], message: 'Only src/main/electron and src/preload may import electron.' };
const noRenderer = { group: ['**/renderer/**'], message: 'Nothing imports the renderer.' };
const noMain = { group: ['**/main/**'], message: 'This layer may not import main.' };
const noAdapters = { group: ['**/adapters/**'], message: 'This layer may not import adapters.' };
const noDemo = { group: ['**/demo-hospital/**'], message: 'Production code may not import the demo hospital.' };
const noNode = { group: ['node:*', 'fs', 'path', 'http', 'net', 'child_process', 'crypto', 'os'], message: 'The renderer has no Node.' };

export default tseslint.config(
  { ignores: ['dist/**', 'dist-renderer/**', 'release/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', '.cache/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node }, ecmaVersion: 2024, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  layer(['src/shared/**'], [noElectron, noRenderer, noMain, noAdapters, noDemo, noNode]),
  layer(['src/adapters/**'], [noElectron, noRenderer, noMain, noDemo]),
  layer(['src/main/services/**'], [noElectron, noRenderer, noDemo, { group: ['**/main/host/**', '**/main/electron/**'], message: 'Services never import a host.' }]),
  layer(['src/main/host/**'], [noElectron, noRenderer, noDemo]),
  layer(['src/main/electron/**', 'src/preload/**'], [noRenderer, noDemo]),
  layer(['src/renderer/**'], [noElectron, noMain, noAdapters, noDemo, noNode]),
  layer(['src/demo-hospital/**'], [noElectron, noRenderer, noMain]),
  {
    files: ['src/renderer/**'],
    languageOptions: { globals: { ...globals.browser } },
  },
);
