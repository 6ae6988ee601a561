/** Every source file a Node.js service can have; the recommended config parses all of them. */
export const CODE_FILES = ['**/*.{js,jsx,mjs,cjs,ts,tsx,mts,cts}'];
