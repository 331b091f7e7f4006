#!/usr/bin/env node
require('../dist/rectify.cjs');
