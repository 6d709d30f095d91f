#!/usr/bin/env node
// The `vigil` command (npx vigil …): builds on first use, then runs the compiled CLI.
'use strict';
const { spawnSync } = require('node:child_process');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const build = spawnSync(process.execPath, [path.join(root, 'scripts', 'ensure-build.mjs')], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
if (build.status !== 0) process.exit(build.status ?? 1);
require(path.join(root, 'dist', 'apps', 'cli', 'src', 'main.js')).main(process.argv.slice(2));
