// ESLint 8.57, installed under an alias for the config tests; it ships no type declarations.
declare module 'eslint-v8';
