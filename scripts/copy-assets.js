// The inbox's static files are not TypeScript: copy them next to the compiled routes.
const { cpSync } = require('node:fs');
const path = require('node:path');

const from = path.join(__dirname, '..', 'src', 'infrastructure', 'http', 'inbox', 'assets');
const to = path.join(__dirname, '..', 'dist', 'src', 'infrastructure', 'http', 'inbox', 'assets');
cpSync(from, to, { recursive: true });
