#!/usr/bin/env node
// The package's `bin` (`npx mcp-perimeter …`): runs bin/cli.ts with no build step. esbuild-register
// transpiles the TypeScript sources on require (esbuild is a runtime dependency for this reason).
'use strict';
require('esbuild-register/dist/node').register({ target: 'node20', format: 'cjs' });
require('./cli.ts');
