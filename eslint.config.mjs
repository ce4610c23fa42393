import nx from '@nx/eslint-plugin';
import prettier from 'eslint-config-prettier';
import vue from 'eslint-plugin-vue';
import tseslint from 'typescript-eslint';

export default [
  {
    ignores: [
      '**/dist',
      '**/node_modules',
      '**/coverage',
      '.nx',
      '**/jest.config.js',
      '**/jest.environment.js',
      'jest.preset.js',
    ],
  },
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  // The web app's single-file components: Vue's rules for the template, TypeScript's for the script.
  ...vue.configs['flat/recommended'].map((config) => ({ ...config, files: ['web/**/*.vue'] })),
  {
    files: ['web/**/*.vue'],
    plugins: { '@typescript-eslint': tseslint.plugin },
    languageOptions: { parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.vue'] } },
    rules: { ...tseslint.configs.eslintRecommended.rules, ...tseslint.configs.recommended.at(-1)?.rules },
  },
  {
    files: ['**/*.ts', 'web/**/*.vue'],
    rules: {
      // The dependency direction of ARCHITECTURE.md: libs never import services; web imports only contracts.
      '@nx/enforce-module-boundaries': [
        'error',
        {
          allow: [],
          depConstraints: [
            { sourceTag: 'type:contracts', onlyDependOnLibsWithTags: [] },
            { sourceTag: 'type:lib', onlyDependOnLibsWithTags: ['type:lib', 'type:contracts'] },
            { sourceTag: 'type:service', onlyDependOnLibsWithTags: ['type:lib', 'type:contracts'] },
            {
              sourceTag: 'type:app',
              onlyDependOnLibsWithTags: ['type:service', 'type:lib', 'type:contracts'],
            },
            { sourceTag: 'type:web', onlyDependOnLibsWithTags: ['type:contracts'] },
          ],
        },
      ],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
    },
  },
  {
    files: ['libs/db/src/migrations/*.ts'],
    rules: { quotes: 'off' },
  },
  prettier,
];
