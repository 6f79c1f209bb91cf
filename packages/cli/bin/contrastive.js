#!/usr/bin/env node
// Thin launcher: the command lives in dist/ so that `npx contrastive` starts fast.
process.env.TF_CPP_MIN_LOG_LEVEL = process.env.TF_CPP_MIN_LOG_LEVEL || '2';
require('../dist/main.js').runFromProcess();
